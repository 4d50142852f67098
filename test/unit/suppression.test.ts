import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { externalIdHash, isSuppressionHash, keyedHasher, normaliseEmail, suppressionHash } from '../../src/domain/suppression.js';
import { pepperFilePath, resolveSuppressionPepper } from '../../src/services/suppression-pepper.js';

const pepper = 'a-pepper-of-at-least-16-chars';
const root = fileURLToPath(new URL('../..', import.meta.url));

describe('keyedHasher', () => {
  it('gives the very hashes suppressionHash and externalIdHash give, so an import matches what an erasure left', () => {
    const hashes = keyedHasher(pepper);
    for (const email of [' Jane@Example.com ', 'chloé@example.fr']) expect(hashes.email(email)).toBe(suppressionHash(pepper, email));
    for (const id of ['CRM-1', ' CRM-1', 'ÅÄÖ-9']) expect(hashes.externalId(id)).toBe(externalIdHash(pepper, id));
    expect(() => keyedHasher('')).toThrow(/pepper is empty/);
  });
});

describe('suppressionHash', () => {
  it.each([
    ['Jane.Doe@Example.com'], ['  jane.doe@example.com'], ['JANE.DOE@EXAMPLE.COM\n'], ['\tjane.doe@example.COM  '],
  ])('gives one hash for %j and its normal form', (email) => {
    expect(normaliseEmail(email)).toBe('jane.doe@example.com');
    expect(suppressionHash(pepper, email)).toBe(suppressionHash(pepper, 'jane.doe@example.com'));
  });

  it('is HMAC-SHA256 hex of the normalised email, keyed by the pepper text', () => {
    // echo -n 'jane@example.com' | openssl dgst -sha256 -hmac 'key-key-key-key-key'
    expect(suppressionHash('key-key-key-key-key', ' Jane@Example.com '))
      .toBe('2ce1a25bf4c358be8724ef1e91ff50db6dd646c5d688de24316abe558a8592bd');
    expect(isSuppressionHash(suppressionHash(pepper, 'jane@example.com'))).toBe(true);
  });

  it('differs by pepper and by address', () => {
    expect(suppressionHash(pepper, 'jane@example.com')).not.toBe(suppressionHash(`${pepper}x`, 'jane@example.com'));
    expect(suppressionHash(pepper, 'jane@example.com')).not.toBe(suppressionHash(pepper, 'jane@example.org'));
  });

  it('refuses an empty pepper and tells a hash from an address', () => {
    expect(() => suppressionHash('', 'jane@example.com')).toThrow(/empty/);
    expect(isSuppressionHash('jane@example.com')).toBe(false);
    expect(isSuppressionHash('A'.repeat(64))).toBe(false);
  });
});

describe('resolveSuppressionPepper', () => {
  let dataDir: string;
  beforeEach(() => { dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-pepper-')); });
  afterEach(() => { fs.rmSync(dataDir, { recursive: true, force: true }); });

  it('uses the configured pepper and writes no file', async () => {
    expect(await resolveSuppressionPepper({ configured: pepper, dataDir, production: true })).toBe(pepper);
    expect(fs.existsSync(path.join(dataDir, 'secrets'))).toBe(false);
  });

  it('is required in production', async () => {
    await expect(resolveSuppressionPepper({ configured: null, dataDir, production: true }))
      .rejects.toMatchObject({ name: 'GovbotError', code: 'SUPPRESSION_PEPPER_REQUIRED' });
    expect(fs.existsSync(path.join(dataDir, 'secrets'))).toBe(false);
  });

  it('is made once, private, and reused', async () => {
    const first = await resolveSuppressionPepper({ configured: null, dataDir, production: false });
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    const file = pepperFilePath(dataDir);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(await resolveSuppressionPepper({ configured: null, dataDir, production: false })).toBe(first);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['suppression-pepper']);
  });

  it('agrees between concurrent resolves in one process', async () => {
    const peppers = await Promise.all(Array.from({ length: 10 }, () =>
      resolveSuppressionPepper({ configured: null, dataDir, production: false })));
    expect(new Set(peppers).size).toBe(1);
    expect(fs.readFileSync(pepperFilePath(dataDir), 'utf8').trim()).toBe(peppers[0]);
    expect(fs.readdirSync(path.dirname(pepperFilePath(dataDir)))).toEqual(['suppression-pepper']);
  });

  it('agrees between processes starting together', async () => {
    const module = compileForNode(['src/errors.ts', 'src/services/suppression-pepper.ts'], dataDir);
    const script = `import { resolveSuppressionPepper } from ${JSON.stringify(module)};
      process.stdout.write(await resolveSuppressionPepper({ configured: null, dataDir: ${JSON.stringify(dataDir)}, production: false }));`;
    const peppers = await Promise.all(Array.from({ length: 6 }, () => runNode(script)));
    expect(peppers[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(peppers).size).toBe(1);
  });

  it('refuses a pepper file that is empty rather than replacing it', async () => {
    fs.mkdirSync(path.join(dataDir, 'secrets'), { mode: 0o700 });
    fs.writeFileSync(pepperFilePath(dataDir), '\n', { mode: 0o600 });
    await expect(resolveSuppressionPepper({ configured: null, dataDir, production: false }))
      .rejects.toMatchObject({ code: 'SUPPRESSION_PEPPER_INVALID' });
  });
});

/** Node 20 cannot run .ts: transpile the files (their imports already end in .js) into `outDir`. */
function compileForNode(files: string[], outDir: string): string {
  let last = '';
  for (const file of files) {
    const source = fs.readFileSync(path.join(root, file), 'utf8');
    const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
    last = path.join(outDir, 'compiled', file.replace(/\.ts$/, '.js'));
    fs.mkdirSync(path.dirname(last), { recursive: true });
    fs.writeFileSync(last, outputText);
  }
  fs.writeFileSync(path.join(outDir, 'compiled', 'package.json'), '{"type":"module"}');
  return last;
}

function runNode(script: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let errText = '';
    child.stdout.on('data', (chunk: Buffer) => { out += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { errText += chunk.toString(); });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(errText))));
  });
}
