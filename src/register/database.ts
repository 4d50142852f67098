import knex, { type Knex } from 'knex';
import pg from 'pg';
import type { Config } from '../config.js';
import { GovbotError } from '../errors.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres.js';

export type Db = Knex;

// Dates (no time) stay 'YYYY-MM-DD' strings: turning them into JS Dates at local midnight shifts them.
pg.types.setTypeParser(pg.types.builtins.DATE, (value: string) => value);
// bigint ids fit in a JS number for any register this size; strings everywhere would be noise.
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));

export interface Database {
  readonly db: Db;
  /** Connection string, handed to job workers (each opens its own pool). */
  readonly url: string;
  readonly embedded: EmbeddedPostgres | null;
  close(): Promise<void>;
}

export function createKnex(url: string, pool: { min: number; max: number } = { min: 0, max: 10 }): Db {
  // A bounded wait for a connection: with the database down, requests fail fast instead of piling up.
  // knex would print its own warnings to the console; failures reach callers as errors instead.
  const quiet = () => undefined;
  return knex({
    client: 'pg', connection: url, pool, acquireConnectionTimeout: 10_000, asyncStackTraces: false,
    log: { warn: quiet, error: quiet, deprecate: quiet, debug: quiet },
  });
}

/** DATABASE_URL when given, else the embedded cluster in DATA_DIR. Fails with a one-line fix. */
export async function openDatabase(config: Config, log: (message: string) => void): Promise<Database> {
  const embedded = config.databaseUrl ? null
    : await startEmbeddedPostgres({ dataDir: config.dataDir, database: 'govbot', log });
  const url = config.databaseUrl ?? embedded!.url;
  const db = createKnex(url);
  try {
    await db.raw('select 1');
  } catch (error) {
    await db.destroy();
    await embedded?.stop();
    throw new GovbotError('DATABASE_UNREACHABLE', `cannot connect to the database at ${describeUrl(url)}: ${reason(error)}. Check DATABASE_URL (for example postgres://govbot:PASSWORD@localhost:5432/govbot), or unset it to use the embedded database`);
  }
  return {
    db,
    url,
    embedded,
    close: async () => {
      await db.destroy();
      await embedded?.stop();
    },
  };
}

function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
  } catch {
    return 'the given URL';
  }
}

function reason(error: unknown): string {
  const e = error as { code?: string; message?: string };
  if (e.code === 'ECONNREFUSED') return 'connection refused (is the server running on that host and port?)';
  if (e.code === 'ENOTFOUND') return 'host not found';
  if (e.code === '28P01') return 'wrong user name or password';
  if (e.code === '3D000') return 'that database does not exist';
  return (e.message ?? String(error)).split('\n')[0] ?? 'unknown error';
}
