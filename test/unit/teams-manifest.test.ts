import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { AppManifestUtils, TeamsManifestConverter } from '@microsoft/app-manifest';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../commands/registry.js';
import { buildAppPackage, fillPlaceholders, pngSize, readPackageSource } from '../../src/teams/app-package.js';
import { unzip, zip } from '../../src/teams/zip.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const source = readPackageSource(path.join(repoRoot, 'manifest', 'teams'));
const ENV = { MICROSOFT_APP_ID: '11111111-2222-4333-8444-555555555555', BOT_DOMAIN: 'govbot.example.com' };

interface Manifest {
  manifestVersion: string;
  id: string;
  accentColor: string;
  validDomains: string[];
  bots: { botId: string; scopes: string[]; supportsFiles: boolean; commandLists: { scopes: string[]; commands: { title: string }[] }[] }[];
}

/** The schema of the manifest's version, as bundled with @microsoft/app-manifest: no network. */
function bundledSchema(version: string): Parameters<typeof AppManifestUtils.validateAgainstSchema>[1] {
  const file = path.join(repoRoot, 'node_modules', '@microsoft', 'app-manifest', 'build', 'json-schemas', 'teams', `v${version}`, 'MicrosoftTeams.schema.json');
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Parameters<typeof AppManifestUtils.validateAgainstSchema>[1];
}

function packaged(): { text: string; manifest: Manifest } {
  const filled = fillPlaceholders(source.manifest, ENV);
  if (!filled.ok) throw new Error(filled.problems.join('\n'));
  return { text: filled.text, manifest: JSON.parse(filled.text) as Manifest };
}

async function validate(text: string): Promise<string[]> {
  const manifest = TeamsManifestConverter.jsonToManifest(text);
  return AppManifestUtils.validateAgainstSchema(manifest, bundledSchema(manifest.manifestVersion));
}

describe('Teams app manifest', () => {
  it('is valid against the official schema of its version, once the app id is filled in', async () => {
    const { text, manifest } = packaged();
    expect(manifest.manifestVersion).toBe('1.22');
    expect(await validate(text)).toEqual([]);
  });

  it('fails validation when something is wrong, so the check above means something', async () => {
    const { manifest } = packaged();
    const broken = { ...manifest, accentColor: 'blue', bots: [{ ...manifest.bots[0]!, botId: 'not-a-guid' }] };
    const failures = await validate(JSON.stringify(broken));
    expect(failures.join('\n')).toContain('/bots/0/botId');
    expect(failures.join('\n')).toContain('/accentColor');
  });

  it('keeps the app id as a placeholder, for the bot and the app alike', () => {
    const raw = JSON.parse(source.manifest) as Manifest;
    expect(raw.id).toBe('{{MICROSOFT_APP_ID}}');
    expect(raw.bots[0]!.botId).toBe('{{MICROSOFT_APP_ID}}');
    expect(raw.validDomains).toEqual(['{{BOT_DOMAIN}}']);
  });

  it('offers the bot in channels, group chats and personal chats, without files', () => {
    const bot = packaged().manifest.bots[0]!;
    expect([...bot.scopes].sort()).toEqual(['groupChat', 'personal', 'team']);
    expect(bot.supportsFiles).toBe(false);
    expect(bot.commandLists.flatMap((l) => l.scopes).sort()).toEqual(['groupChat', 'personal', 'team']);
  });

  it('lists only commands the registry has, under both roots', () => {
    const titles = packaged().manifest.bots[0]!.commandLists.flatMap((l) => l.commands.map((c) => c.title));
    const names = new Set(COMMANDS.map((c) => c.name));
    for (const title of titles) expect(names, `"${title}" is in the manifest but not in commands/registry.ts`).toContain(title);
    expect(new Set(titles.map((t) => t.split(' ')[0]))).toEqual(new Set(['dsr', 'gov']));
  });

  it('has a 192×192 colour icon and a 32×32 outline icon, white on transparent', () => {
    expect(pngSize(source.color)).toEqual({ width: 192, height: 192 });
    expect(pngSize(source.outline)).toEqual({ width: 32, height: 32 });
    const pixels = rgba(source.outline, 32);
    let visible = 0;
    for (let i = 0; i < pixels.length; i += 4) {
      if (pixels[i + 3] === 0) continue;
      visible += 1;
      expect([pixels[i], pixels[i + 1], pixels[i + 2]]).toEqual([255, 255, 255]);
    }
    expect(visible).toBeGreaterThan(50);
    const colour = rgba(source.color, 192);
    const alpha = (x: number, y: number) => colour[(y * 192 + x) * 4 + 3];
    expect([alpha(0, 0), alpha(96, 96), alpha(96, 4)]).toEqual([0, 255, 255]);
  });
});

describe('Teams app package', () => {
  it('zips the filled-in manifest and the icons at the top level', () => {
    const built = buildAppPackage(source, ENV);
    if (!built.ok) throw new Error(built.problems.join('\n'));
    const entries = unzip(built.zip);
    expect(entries.map((e) => e.name)).toEqual(['manifest.json', 'color.png', 'outline.png']);
    const manifest = JSON.parse(entries[0]!.data.toString('utf8')) as Manifest;
    expect(manifest.id).toBe(ENV.MICROSOFT_APP_ID);
    expect(manifest.validDomains).toEqual(['govbot.example.com']);
    expect(entries[1]!.data.equals(source.color)).toBe(true);
    expect(entries[2]!.data.equals(source.outline)).toBe(true);
    // The same inputs give the same bytes: no timestamps in the archive.
    const again = buildAppPackage(source, ENV);
    expect(again.ok && again.zip.equals(built.zip)).toBe(true);
  });

  it('names each missing or malformed variable with an example, and writes nothing', () => {
    const missing = buildAppPackage(source, {});
    expect(missing.ok).toBe(false);
    const problems = missing.ok ? [] : missing.problems;
    expect(problems.join('\n')).toMatch(/MICROSOFT_APP_ID is not set: .*for example MICROSOFT_APP_ID=00000000-/);
    expect(problems.join('\n')).toMatch(/BOT_DOMAIN is not set/);
    const malformed = fillPlaceholders(source.manifest, { MICROSOFT_APP_ID: 'my-bot', BOT_DOMAIN: 'https://govbot.example.com/api/messages' });
    expect(malformed.ok ? [] : malformed.problems).toEqual([
      expect.stringContaining('MICROSOFT_APP_ID is "my-bot"'),
      expect.stringContaining('without https:// or a path'),
    ]);
  });

  it('writes archives other tools read: stored sizes and CRCs check out in zlib', () => {
    const data = Buffer.from('hello, teams '.repeat(100));
    const archive = zip([{ name: 'a.txt', data }]);
    expect(archive.readUInt32LE(0)).toBe(0x04034b50);
    const compressedSize = archive.readUInt32LE(18);
    expect(zlib.inflateRawSync(archive.subarray(30 + 5, 30 + 5 + compressedSize)).equals(data)).toBe(true);
    expect(unzip(archive)).toEqual([{ name: 'a.txt', data }]);
  });
});

/** Decodes a PNG written with filter 0 on every row (as make-icons.mjs writes them). */
function rgba(png: Buffer, width: number): Buffer {
  const chunks: Buffer[] = [];
  for (let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at);
    if (png.toString('ascii', at + 4, at + 8) === 'IDAT') chunks.push(png.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  const raw = zlib.inflateSync(Buffer.concat(chunks));
  const stride = width * 4 + 1;
  const pixels = Buffer.alloc((raw.length / stride) * width * 4);
  for (let y = 0; y * stride < raw.length; y += 1) {
    expect(raw[y * stride]).toBe(0);
    raw.copy(pixels, y * width * 4, y * stride + 1, (y + 1) * stride);
  }
  return pixels;
}
