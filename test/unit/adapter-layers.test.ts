import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * DESIGN §6: the adapters (Slack, Teams, the web forms) and the chat commands call services and
 * never the register, so every rule about what is written, audited and locked lives in one place.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const LAYERS = ['src/slack', 'src/teams', 'src/web', 'commands'];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(relative);
    return entry.name.endsWith('.ts') ? [relative] : [];
  });
}

describe('adapter layers', () => {
  it.each(LAYERS)('%s imports nothing from src/register', (layer) => {
    const offenders = sourceFiles(layer).flatMap((file) => {
      const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
      return [...text.matchAll(/from '([^']+)'/g)]
        .map((m) => m[1]!)
        .filter((specifier) => specifier.startsWith('.') && path.join(path.dirname(file), specifier).startsWith(path.join('src', 'register')))
        .map((specifier) => `${file} → ${specifier}`);
    });
    expect(offenders).toEqual([]);
  });

  it('finds the files it checks', () => {
    expect(sourceFiles('commands').length).toBeGreaterThan(20);
    expect(sourceFiles('src/slack')).toContain(path.join('src/slack', 'replay-guard.ts'));
  });
});
