import type { Config } from '../config.js';
import type { Schedule } from '../domain/schedules.js';
import type { Logger } from '../logger.js';
import type { Db } from '../register/database.js';

/** What a job's logic gets: everything passed in, so tests run it with a pinned clock. */
export interface JobContext {
  readonly db: Db;
  readonly config: Config;
  readonly logger: Logger;
  readonly pepper: string;
  /**
   * In the service's background thread: whether a run going through many items should stop after
   * the one in hand (requests are arriving and it has had its turn; src/inbox/acks-first.ts).
   */
  readonly giveWay?: () => boolean;
}

export type JobSummary = Record<string, unknown>;

export interface JobDefinition {
  readonly name: string;
  readonly schedule: Schedule;
  readonly description: string;
  /** How late a missed slot may still be caught up (e.g. after downtime). */
  readonly catchUpMs: number;
  run(context: JobContext, now: Date): Promise<JobSummary>;
}
