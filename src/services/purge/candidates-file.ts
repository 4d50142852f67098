import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Knex } from 'knex';
import { candidateFileName, candidateListOf, type RetentionBounds } from '../../domain/purge.js';
import { attachBatchItems, createBatchItems } from '../../register/purge-item-partitions.js';
import { candidateCsvStream } from '../../register/purge-items.js';
import { insertCandidatesCsv } from '../../register/purge-sweep.js';
import { exportsDirectory } from '../actions/export-file.js';

/**
 * The full candidate list of a purge, for members to check without personal data in the channel:
 * `DATA_DIR/exports/PURGE-2026-Q4-candidates.csv` (file 0600, folder 0700), one line per candidate
 * with its register id, CRM id (formula-safe), reason and whether it is kept back. Postgres writes
 * the CSV (COPY … TO STDOUT) and it streams to disk, hashed on the way, so a list of a million lines
 * costs the same memory as one of ten; then it is renamed into place, so a reader never sees half
 * a file. Its SHA-256 goes on the card.
 *
 * The file names people by CRM id, so it is removed once the batch is decided and carried out:
 * after deletion only tombstones (keyed hashes) may remain.
 */
export interface CandidateFile {
  readonly name: string;
  readonly path: string;
  readonly sha256: string;
  readonly lines: number;
}

export async function writeCandidateFile(trx: Knex.Transaction, dataDir: string, batch: { id: number; reference: string }): Promise<CandidateFile> {
  return writePrivateFile(dataDir, candidateFileName(batch.reference), await candidateCsvStream(trx, batch.id));
}

/**
 * The sweep's own list: its one statement selects the candidates, stores them in the batch's own
 * table and streams this file; the table gets its key and joins purge_items after the load.
 */
export async function sweepIntoCandidateFile(trx: Knex.Transaction, dataDir: string, batch: { id: number; reference: string }, bounds: RetentionBounds): Promise<CandidateFile> {
  await createBatchItems(trx, batch.id);
  const file = await writePrivateFile(dataDir, candidateFileName(batch.reference), await insertCandidatesCsv(trx, batch.id, bounds));
  await attachBatchItems(trx, batch.id);
  return file;
}

/**
 * Streams `rows` into `DATA_DIR/exports/<name>` (file 0600, folder 0700), hashing on the way:
 * written as a draft, synced, then renamed into place, so a reader never sees half a file and a
 * retry simply writes it again.
 */
export async function writePrivateFile(dataDir: string, name: string, rows: Readable & { rowCount: number }): Promise<CandidateFile> {
  const directory = exportsDirectory(dataDir);
  const target = path.join(directory, name);
  const draft = `${target}.${randomBytes(6).toString('hex')}.tmp`;
  const hash = createHash('sha256');
  try {
    await fs.mkdir(directory, { recursive: true, mode: 0o700 });
    await fs.chmod(directory, 0o700);
    const hashing = new Transform({ transform(chunk: Buffer, _encoding, done) { hash.update(chunk); done(null, chunk); } });
    await pipeline(rows, hashing, createWriteStream(draft, { flags: 'wx', mode: 0o600 }));
    await privateAndSynced(draft);
  } catch (error) {
    rows.destroy();
    await fs.rm(draft, { force: true });
    throw error;
  }
  await fs.rename(draft, target);
  return { name, path: target, sha256: hash.digest('hex'), lines: rows.rowCount };
}

/** A second file with the same content under `name` (same folder, 0600, renamed into place like the first). */
export async function copyPrivateFile(dataDir: string, from: CandidateFile, name: string): Promise<CandidateFile> {
  const target = path.join(exportsDirectory(dataDir), name);
  const draft = `${target}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await fs.copyFile(from.path, draft, fs.constants.COPYFILE_EXCL);
    await privateAndSynced(draft);
  } catch (error) {
    await fs.rm(draft, { force: true });
    throw error;
  }
  await fs.rename(draft, target);
  return { name, path: target, sha256: from.sha256, lines: from.lines };
}

/** Mode 0600 whatever the umask did, and on disk before it is renamed into place. */
async function privateAndSynced(file: string): Promise<void> {
  const handle = await fs.open(file, 'r+');
  try {
    await handle.chmod(0o600);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Once the list is no longer needed (purge done, rejected or superseded). A missing file is fine. */
export async function removeCandidateFile(dataDir: string, name: string | null): Promise<void> {
  if (name === null) return;
  // Only ever a name this module wrote: a stored value cannot point outside the exports folder.
  if (path.basename(name) !== name || !name.endsWith('-candidates.csv')) return;
  await fs.rm(path.join(exportsDirectory(dataDir), name), { force: true });
}

/**
 * Removes every candidate list (and draft of one) in the exports folder that is not in `live`, and
 * returns their names. A list is removed when its batch is decided and carried out; one is left
 * behind only when the process died between writing it and that (a kill -9 after the list was
 * renamed into place but before its sweep committed, or before the purge's end removed it). Run
 * under the sweep lock, so no sweep is writing a list meanwhile.
 */
export async function removeOrphanLists(dataDir: string, live: readonly string[]): Promise<string[]> {
  const directory = exportsDirectory(dataDir);
  const names = await fs.readdir(directory).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  const keep = new Set(live);
  const orphans = names.filter((name) => {
    const list = candidateListOf(name);
    return list !== null && !keep.has(list);
  }).sort();
  for (const name of orphans) await fs.rm(path.join(directory, name), { force: true });
  return orphans;
}
