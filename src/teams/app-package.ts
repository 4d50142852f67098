import fs from 'node:fs';
import path from 'node:path';
import { zip } from './zip.js';

/**
 * The Teams app package users upload: manifest.json with its `{{NAME}}` placeholders filled in
 * from the environment, and the two icons, zipped flat. Each placeholder has a check and an
 * example, so a missing or malformed value is named before anything is written.
 */
export const PACKAGE_FILES = { manifest: 'manifest.json', color: 'color.png', outline: 'outline.png' } as const;

const PLACEHOLDERS: Readonly<Record<string, { check: RegExp; example: string; meaning: string }>> = {
  MICROSOFT_APP_ID: {
    check: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
    example: '00000000-0000-0000-0000-000000000000',
    meaning: 'the Application (client) id of the bot\'s Entra app registration',
  },
  BOT_DOMAIN: {
    check: /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i,
    example: 'govbot.example.com',
    meaning: 'the public host name of the messaging endpoint https://<BOT_DOMAIN>/api/messages, without https:// or a path',
  },
};

export type Filled = { ok: true; text: string } | { ok: false; problems: string[] };

export function fillPlaceholders(template: string, env: Readonly<Record<string, string | undefined>>): Filled {
  const names = [...new Set([...template.matchAll(/\{\{([A-Z_]+)\}\}/g)].map((m) => m[1]!))];
  const problems: string[] = [];
  const values: Record<string, string> = {};
  for (const name of names) {
    const rule = PLACEHOLDERS[name];
    const value = env[name]?.trim();
    if (!rule) problems.push(`the manifest uses {{${name}}}, which the packager does not know`);
    else if (!value) problems.push(`${name} is not set: it is ${rule.meaning}; for example ${name}=${rule.example}`);
    else if (!rule.check.test(value)) problems.push(`${name} is "${value.slice(0, 80)}", which is not ${rule.meaning}; for example ${name}=${rule.example}`);
    else values[name] = value;
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, text: template.replace(/\{\{([A-Z_]+)\}\}/g, (_, name: string) => values[name]!) };
}

export interface AppPackageSource {
  readonly manifest: string;
  readonly color: Buffer;
  readonly outline: Buffer;
}

export function readPackageSource(dir: string): AppPackageSource {
  return {
    manifest: fs.readFileSync(path.join(dir, PACKAGE_FILES.manifest), 'utf8'),
    color: fs.readFileSync(path.join(dir, PACKAGE_FILES.color)),
    outline: fs.readFileSync(path.join(dir, PACKAGE_FILES.outline)),
  };
}

export type Built = { ok: true; zip: Buffer; manifest: unknown } | { ok: false; problems: string[] };

export function buildAppPackage(source: AppPackageSource, env: Readonly<Record<string, string | undefined>>): Built {
  const filled = fillPlaceholders(source.manifest, env);
  if (!filled.ok) return filled;
  const manifest: unknown = JSON.parse(filled.text);
  return {
    ok: true,
    manifest,
    zip: zip([
      { name: PACKAGE_FILES.manifest, data: Buffer.from(filled.text, 'utf8') },
      { name: PACKAGE_FILES.color, data: source.color },
      { name: PACKAGE_FILES.outline, data: source.outline },
    ]),
  };
}

/** Width and height from a PNG's IHDR, for the icon size checks. */
export function pngSize(png: Buffer): { width: number; height: number } | null {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (png.length < 24 || !png.subarray(0, 8).equals(signature) || png.toString('ascii', 12, 16) !== 'IHDR') return null;
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}
