import { parentPort, workerData } from 'node:worker_threads';
import { loadConfig, type LogFormat } from '../config.js';
import { createLogger } from '../logger.js';
import { isDatabaseUnavailable } from '../errors.js';
import { createKnex } from '../register/database.js';
import { hasDueMessages } from '../register/outbox.js';
import { findJob } from './catalogue.js';
import { runScheduledJob } from './run-job.js';

export interface WorkerData { databaseUrl: string; pepper: string; logFormat: LogFormat }

const DELIVER = 'deliver-outbox';

/**
 * The body of every Bree worker (jobs/<name>.ts). A worker is a fresh thread: it opens its own small
 * pool, runs the job's slot logic once, reports the outcome to the scheduler, and closes.
 */
export async function runInWorker(name: string): Promise<void> {
  const data = workerData as WorkerData;
  const config = loadConfig();
  const logger = createLogger(config).child({ job: name });
  const db = createKnex(data.databaseUrl, { min: 0, max: 2 });
  try {
    const job = findJob(name);
    if (!job) throw new Error(`no job named ${name}`);
    const outcome = await runScheduledJob(job, { db, config, logger, pepper: data.pepper }, new Date());
    parentPort?.postMessage({ type: 'outcome', outcome });
    // A job that queued chat messages (a card done, a reminder) has them delivered now, not at the
    // next tick of deliver-outbox.
    if (name !== DELIVER && await hasDueMessages(db, new Date())) parentPort?.postMessage({ type: 'kick', job: DELIVER });
  } catch (error) {
    // The scheduler already says the database is gone (once) and runs every slot job again when
    // it is back; a stack trace per job per slot would only bury that line.
    if (!isDatabaseUnavailable(error)) throw error;
    parentPort?.postMessage({ type: 'unavailable', job: name });
  } finally {
    await db.destroy();
  }
}
