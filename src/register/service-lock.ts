import fs from 'node:fs';
import path from 'node:path';
import { GovbotError } from '../errors.js';
import { isAlive, readCmdline, readOwner } from './postgres-process.js';

/**
 * One service per data directory. A second `npm start` on the same DATA_DIR would otherwise share
 * the first one's embedded PostgreSQL and lose it when the first stops. The lock is a file naming
 * the service's pid, created exclusively; one left by a process that died is taken over. CLI
 * commands do not take it: they are meant to run beside the service.
 */
export function lockDataDir(dataDir: string): () => void {
  const file = path.join(path.resolve(dataDir), 'govbot.pid');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      fs.writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
      return () => { if (fs.existsSync(file) && fs.readFileSync(file, 'utf8').trim() === String(process.pid)) fs.rmSync(file, { force: true }); };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = readOwner(file);
      if (owner !== process.pid && isAlive(owner) && readCmdline(owner).includes('node')) {
        throw new GovbotError('ALREADY_RUNNING', `another govbot service (pid ${owner}) is already running on DATA_DIR=${path.resolve(dataDir)}: stop it first, or give this one its own DATA_DIR`);
      }
      fs.rmSync(file, { force: true }); // left by a service that died
    }
  }
  throw new GovbotError('ALREADY_RUNNING', `could not lock DATA_DIR=${path.resolve(dataDir)}: another service is starting on it`);
}
