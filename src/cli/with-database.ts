import { openDatabase } from '../register/database.js';
import type { Db } from '../register/database.js';
import { migrateToLatest } from '../register/migrations.js';
import type { Config } from '../config.js';
import type { CliIo } from './io.js';

/**
 * Opens the register for one CLI command (starting the embedded cluster if that is what the
 * service uses), makes sure the schema is current, runs `work`, and always closes again.
 */
export async function withDatabase<T>(io: CliIo, work: (db: Db, config: Config) => Promise<T>): Promise<T> {
  const config = io.loadConfig();
  const database = await openDatabase(config, () => undefined);
  try {
    await migrateToLatest(database.db);
    return await work(database.db, config);
  } finally {
    await database.close();
  }
}
