import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { Db } from '../register/database.js';

/**
 * What every use case needs, built once in the composition root and passed down. The clock is
 * injected so that tests pin "today" and the statutory clocks with it.
 */
export interface ServiceContext {
  readonly db: Db;
  readonly config: Config;
  readonly pepper: string;
  readonly logger: Logger;
  readonly clock: () => Date;
  /** Starts a job now (execute-actions after an approval); a no-op where no scheduler runs. */
  readonly kickJob: (name: string) => void;
  /**
   * The chat delivery being worked on, where it may be worked on again after an interruption
   * (Slack's inbox: key `slack:<id>`): an intake already logged under its key is returned, not
   * logged twice, and work taken up `again` is not counted against the person's intake limit twice.
   */
  readonly delivery?: { readonly key: string; readonly again: boolean };
}
