import type { Config } from './config.js';
import { describeConfig } from './config.js';
import { startHttpServer, type HttpServer } from './http/server.js';
import type { Logger } from './logger.js';
import { openDatabase, type Database } from './register/database.js';
import { migrateToLatest } from './register/migrations.js';
import { resolveSuppressionPepper } from './services/suppression-pepper.js';

export interface Service {
  readonly port: number;
  readonly database: Database;
  stop(): Promise<void>;
}

/**
 * Composition root: database, migrations, HTTP, and (as they arrive) the chat adapters and the
 * scheduler. Everything is built here from the Config and passed down; nothing reaches for globals.
 * If any step fails, whatever was started is stopped again before the error propagates.
 */
export async function startService(config: Config, logger: Logger): Promise<Service> {
  for (const line of describeConfig(config)) logger.info(line);
  const database = await openDatabase(config, (message) => logger.info(message));
  let http: HttpServer | null = null;
  try {
    const applied = await migrateToLatest(database.db);
    if (applied.length > 0) logger.info(`applied ${applied.length} migration(s): ${applied.join(', ')}`);
    await resolveSuppressionPepper({ configured: config.suppressionPepper, dataDir: config.dataDir, production: config.nodeEnv === 'production' });
    http = await startHttpServer({ host: config.host, port: config.port, db: database.db, logger });
  } catch (error) {
    await database.close();
    throw error;
  }
  const server = http;
  let stopping: Promise<void> | null = null;
  return {
    port: server.port,
    database,
    stop: () => {
      // Order matters: stop taking requests, then let the pool drain, then stop the database.
      stopping ??= server.close().then(() => database.close());
      return stopping;
    },
  };
}
