import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { resolveLogFormat } from '../../src/logger.js';

/** LOG_FORMAT: JSON lines for log stores, one readable line an event for a person at a terminal. */
describe('log format', () => {
  it('is what LOG_FORMAT says, and a wrong value stops start-up with the choices', () => {
    expect(resolveLogFormat(parseConfig({ LOG_FORMAT: 'pretty' }, process.cwd()))).toBe('pretty');
    expect(resolveLogFormat(parseConfig({ LOG_FORMAT: 'json' }, process.cwd()))).toBe('json');
    expect(() => parseConfig({ LOG_FORMAT: 'xml' }, process.cwd())).toThrow(/LOG_FORMAT must be one of json, pretty \(got "xml"\); for example LOG_FORMAT=json/);
  });

  it('unset, is JSON when stdout is not a terminal (a pipe, a file, a log collector)', () => {
    expect(parseConfig({}, process.cwd()).logFormat).toBeNull();
    // The compiled module (npm test builds first), in a process whose stdout is a pipe.
    const script = `import('./dist/src/logger.js').then(({ resolveLogFormat }) => process.stdout.write(resolveLogFormat({ logFormat: null })))`;
    const out = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(out.stdout).toBe('json');
  });
});
