import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Knex } from 'knex';
import { candidateFileName } from '../../domain/purge.js';
import { candidateCsvPages } from '../../register/purge-items.js';
import { exportsDirectory } from '../actions/export-file.js';

/**
 * The full candidate list of a purge, for members to check without personal data in the channel:
 * `DATA_DIR/exports/PURGE-2026-Q4-candidates.csv` (file 0600, folder 0700), one line per candidate
 * with its register id, CRM id, reason and whether it is kept back. Written page by page, hashing as
 * it goes, so a list of a million lines costs the same memory as one of ten; then renamed into
 * place, so a reader never sees half a file. Its SHA-256 goes on the card.
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

/** Contact ids per page of the list: a page holds at most this many lines. */
const IDS_PER_PAGE = 20_000;
const HEADER = 'contact_id,external_id,reason,kept_back\r\n';

export async function writeCandidateFile(trx: Knex.Transaction, dataDir: string, batch: { id: number; reference: string }): Promise<CandidateFile> {
  const directory = exportsDirectory(dataDir);
  const name = candidateFileName(batch.reference);
  await fs.mkdir(directory, { recursive: true, mode: 0o700 });
  await fs.chmod(directory, 0o700);
  const target = path.join(directory, name);
  const draft = `${target}.${randomBytes(6).toString('hex')}.tmp`;
  const hash = createHash('sha256');
  const handle = await fs.open(draft, 'wx', 0o600);
  let lines = 0;
  try {
    const write = async (text: string) => {
      hash.update(text, 'utf8');
      await handle.writeFile(text, 'utf8'); // writes it all, unlike a single write()
    };
    await write(HEADER);
    for await (const page of candidateCsvPages(trx, batch.id, IDS_PER_PAGE)) {
      await write(page);
      lines += page.split('\n').length - 1;
    }
    await handle.chmod(0o600);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await fs.rm(draft, { force: true });
    throw error;
  }
  await handle.close();
  await fs.rename(draft, target);
  return { name, path: target, sha256: hash.digest('hex'), lines };
}

/** Once the list is no longer needed (purge done, rejected or superseded). A missing file is fine. */
export async function removeCandidateFile(dataDir: string, name: string | null): Promise<void> {
  if (name === null) return;
  // Only ever a name this module wrote: a stored value cannot point outside the exports folder.
  if (path.basename(name) !== name || !name.endsWith('-candidates.csv')) return;
  await fs.rm(path.join(exportsDirectory(dataDir), name), { force: true });
}
