import { openDatabase } from '../register/database.js';
import { migrateToLatest } from '../register/migrations.js';
import { recomputeLegacyClocks } from '../services/recompute-clocks.js';
import type { CliIo } from './io.js';

export async function migrateCommand(_args: string[], io: CliIo): Promise<number> {
  const config = io.loadConfig();
  const database = await openDatabase(config, (message) => io.out(message));
  try {
    const applied = await migrateToLatest(database.db);
    io.out(applied.length === 0 ? 'migrations: already up to date' : `migrations applied: ${applied.join(', ')}`);
    const clocks = await recomputeLegacyClocks({ db: database.db, config }, new Date());
    if (clocks.changed > 0) io.out(`request clocks recomputed under Article 12A: ${clocks.changed} (recorded in the audit trail)`);
    return 0;
  } finally {
    await database.close();
  }
}
