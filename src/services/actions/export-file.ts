import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * Export files hold a whole person's data, so they are written for the owner alone (file 0600,
 * folder 0700) and atomically: the content goes to a temporary file of its own, is flushed, then
 * renamed over the final name. A reader never sees half a file, and a retry after a crash (the
 * file was written but the transaction never committed) replaces the same file.
 */

export interface WrittenExport {
  readonly name: string;
  readonly path: string;
  readonly sha256: string;
  readonly bytes: number;
}

const SAFE_NAME = /^[A-Z]+-\d{4}-\d+\.(json|csv)$/;

export function exportsDirectory(dataDir: string): string {
  return path.join(dataDir, 'exports');
}

export async function writeExportFile(directory: string, name: string, content: string): Promise<WrittenExport> {
  // The name comes from a reference; checking it keeps a bad one from writing outside the folder.
  if (!SAFE_NAME.test(name)) throw new Error(`refusing to write an export named ${JSON.stringify(name)}`);
  await fs.mkdir(directory, { recursive: true, mode: 0o700 });
  // mkdir's mode applies only to a folder it creates: tighten one that already existed too.
  await fs.chmod(directory, 0o700);
  const target = path.join(directory, name);
  const draft = `${target}.${randomBytes(6).toString('hex')}.tmp`;
  const data = Buffer.from(content, 'utf8');
  const handle = await fs.open(draft, 'wx', 0o600);
  try {
    await handle.writeFile(data);
    await handle.chmod(0o600); // whatever the umask did
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.rename(draft, target);
  } catch (error) {
    await fs.rm(draft, { force: true });
    throw error;
  }
  await syncDirectory(directory);
  return { name, path: target, sha256: createHash('sha256').update(data).digest('hex'), bytes: data.length };
}

/** Removes an export file; one already gone is not an error (an earlier run or a person removed it). */
export async function deleteExportFile(directory: string, name: string): Promise<'deleted' | 'already-gone'> {
  if (!SAFE_NAME.test(name)) throw new Error(`refusing to delete an export named ${JSON.stringify(name)}`);
  try {
    await fs.unlink(path.join(directory, name));
    return 'deleted';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'already-gone';
    throw error;
  }
}

/** Makes the rename itself durable, so a committed "written" is not undone by a power cut. */
async function syncDirectory(directory: string): Promise<void> {
  const handle = await fs.open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** A stored value as export text: timestamps in ISO UTC, booleans as words, null as empty. */
export function exportValue(value: unknown): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return JSON.stringify(value);
}

/**
 * A text cell a spreadsheet would run as a formula (a leading `=`, `+`, `-`, `@`, tab or carriage
 * return: OWASP's CSV injection guidance) gets a leading apostrophe, which spreadsheets show as
 * text. Numbers and booleans are written as they are: they cannot carry a formula.
 */
export function formulaSafe(value: string | number | boolean | null): string {
  if (value === null) return '';
  if (typeof value !== 'string') return String(value);
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** RFC 4180: a value holding a comma, quote or line break is quoted, its quotes doubled; every cell formula-safe. */
export function csvLine(values: readonly (string | number | boolean | null)[]): string {
  return values.map((value) => {
    const text = formulaSafe(value);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  }).join(',');
}
