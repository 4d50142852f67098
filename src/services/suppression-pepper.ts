import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { GovbotError } from '../errors.js';

/**
 * The key of the suppression hashes. SUPPRESSION_PEPPER wins; production must set it (every replica
 * needs the same one, and a lost pepper orphans the whole list). Outside production a pepper is made
 * once in DATA_DIR/secrets and kept, so a local install works with no set-up and its hashes survive
 * restarts.
 */
export interface PepperSource {
  readonly configured: string | null;
  readonly dataDir: string;
  readonly production: boolean;
}

const MIN_LENGTH = 16; // as config.ts demands of SUPPRESSION_PEPPER

export function pepperFilePath(dataDir: string): string {
  return path.join(dataDir, 'secrets', 'suppression-pepper');
}

export async function resolveSuppressionPepper(source: PepperSource): Promise<string> {
  if (source.configured) return source.configured;
  if (source.production) {
    throw new GovbotError('SUPPRESSION_PEPPER_REQUIRED', 'SUPPRESSION_PEPPER is required when NODE_ENV=production: it keys the hashes of the suppression list and must be the same on every replica; for example SUPPRESSION_PEPPER=$(openssl rand -hex 32)');
  }
  const file = pepperFilePath(source.dataDir);
  return (await readPepper(file)) ?? (await createPepper(file));
}

/**
 * Two processes starting together must end with one pepper. The new pepper is written in full to a
 * file of this process's own (flag 'wx'), then hard-linked into place: link() fails if the name
 * exists, so exactly one process wins, and the file never appears half-written for the loser to read
 * (or for a crash to leave behind empty).
 */
async function createPepper(file: string): Promise<string> {
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const pepper = randomBytes(32).toString('hex');
  const draft = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await fs.open(draft, 'wx', 0o600);
  try {
    await handle.writeFile(`${pepper}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.link(draft, file);
    return pepper;
  } catch (error) {
    if (errorCode(error) !== 'EEXIST') throw error;
    const winner = await readPepper(file);
    if (winner === null) throw error;
    return winner;
  } finally {
    await fs.rm(draft, { force: true });
  }
}

async function readPepper(file: string): Promise<string | null> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return null;
    throw new GovbotError('SUPPRESSION_PEPPER_UNREADABLE', `cannot read the suppression pepper at ${file} (${errorCode(error) ?? String(error)}): make it readable by the govbot user, or set SUPPRESSION_PEPPER to its content`, { cause: error });
  }
  const pepper = text.trim();
  if (pepper.length < MIN_LENGTH) {
    // Never replace it silently: a new pepper would orphan every hash made with the old one.
    throw new GovbotError('SUPPRESSION_PEPPER_INVALID', `the suppression pepper at ${file} is shorter than ${MIN_LENGTH} characters: restore it from a backup, or, only if the suppression list is empty, delete the file to have a new one made`);
  }
  return pepper;
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}
