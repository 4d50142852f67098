import fs from 'node:fs';
import os from 'node:os';
import { formatImportReport, importContacts } from '../services/import-contacts.js';
import { resolveSuppressionPepper } from '../services/suppression-pepper.js';
import { USAGE_ERROR, type CliIo } from './io.js';
import { withDatabase } from './with-database.js';

/** `govbot import contacts <file.csv>`: exit 0 when the file was read, even if rows were rejected. */
export async function importCommand(args: string[], io: CliIo): Promise<number> {
  const [what, file, ...rest] = args;
  if (what !== 'contacts' || file === undefined || rest.length > 0) {
    io.err('usage: govbot import contacts <file.csv>');
    return USAGE_ERROR;
  }
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) throw new Error('not a file');
    fs.accessSync(file, fs.constants.R_OK);
  } catch (error) {
    io.err(`govbot import: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): give the path of a CSV export, e.g. govbot import contacts ./contacts.csv`);
    return 1;
  }
  // Reading and checking rows yields to PostgreSQL on a shared host: the database's decision of
  // each batch sets the pace, and the bot's own queries should not wait behind an import either.
  // The parser keeps ahead of the database with the CPU left over (a failure to lower is harmless).
  try {
    os.setPriority(os.constants.priority.PRIORITY_BELOW_NORMAL);
  } catch {
    // not permitted here: run at the priority we have
  }
  return withDatabase(io, async (db, config) => {
    const pepper = await resolveSuppressionPepper({ configured: config.suppressionPepper, dataDir: config.dataDir, production: config.nodeEnv === 'production' });
    const report = await importContacts({ db, pepper, actor: `cli:${os.userInfo().username}`, now: io.now?.() ?? new Date() }, fs.createReadStream(file));
    formatImportReport(report).forEach((line) => io.out(line));
    return 0;
  });
}
