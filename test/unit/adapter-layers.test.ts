import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * DESIGN §6: the adapters (Slack, Teams, the web forms) and the chat commands call services and
 * never the register, so every rule about what is written, audited and locked lives in one place;
 * cards and reports render view objects defined beside their renderers (DESIGN §4 "Read models"),
 * so they import neither the services nor the register.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const LAYERS = ['src/slack', 'src/teams', 'src/web', 'commands'];
const RENDERERS = ['src/chat', 'src/reports'];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(relative);
    return entry.name.endsWith('.ts') ? [relative] : [];
  });
}

/** Every relative import in `layer` that resolves into one of `forbidden`, as "file → specifier". */
function importsInto(layer: string, forbidden: readonly string[]): string[] {
  return sourceFiles(layer).flatMap((file) => {
    const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
    return [...text.matchAll(/from '([^']+)'/g)]
      .map((m) => m[1]!)
      .filter((specifier) => specifier.startsWith('.') && forbidden.some((dir) => path.join(path.dirname(file), specifier).startsWith(dir + path.sep)))
      .map((specifier) => `${file} → ${specifier}`);
  });
}

describe('adapter layers', () => {
  it.each(LAYERS)('%s imports nothing from src/register', (layer) => {
    expect(importsInto(layer, [path.join('src', 'register')])).toEqual([]);
  });

  it.each(RENDERERS)('%s imports nothing from src/services or src/register', (layer) => {
    expect(importsInto(layer, [path.join('src', 'services'), path.join('src', 'register')])).toEqual([]);
  });

  it('finds the files it checks', () => {
    expect(sourceFiles('commands').length).toBeGreaterThan(20);
    expect(sourceFiles('src/slack')).toContain(path.join('src/slack', 'replay-guard.ts'));
    expect(sourceFiles('src/chat')).toContain(path.join('src/chat', 'cards', 'request-card.ts'));
    expect(importsInto('src/services', [path.join('src', 'register')]).length).toBeGreaterThan(10);
  });
});
