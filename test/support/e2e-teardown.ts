import fs from 'node:fs';
import type { RunningService } from './processes.js';
import type { TestDatabase } from './test-database.js';

/**
 * What an end-to-end test started, stopped in order: the service first (SIGTERM, so it shuts down
 * cleanly), then the fake platform, the test database and the scratch folder. Parts that never
 * started (a failed beforeAll) are skipped.
 */
export async function tearDown(parts: { service?: RunningService; fake?: { close(): Promise<void> }; t?: TestDatabase; dir?: string }): Promise<void> {
  if (parts.service && parts.service.child.exitCode === null) {
    parts.service.child.kill('SIGTERM');
    await parts.service.exited;
  }
  await parts.fake?.close();
  await parts.t?.drop();
  if (parts.dir) fs.rmSync(parts.dir, { recursive: true, force: true });
}
