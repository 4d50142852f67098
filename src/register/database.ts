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

/** The pool of a process's main thread. */
export const MAIN_POOL = { min: 0, max: 10 } as const;

export function createKnex(url: string, pool: { min: number; max: number } = MAIN_POOL): Db {
  // A bounded wait for a connection: with the database down, requests fail fast instead of piling up.
  // knex would print its own warnings to the console; failures reach callers as errors instead.
  const quiet = () => undefined;
  return knex({
    client: 'pg', connection: url, pool, acquireConnectionTimeout: 10_000, asyncStackTraces: false,
    log: { warn: quiet, error: quiet, deprecate: quiet, debug: quiet },
  });
}

export interface OpenOptions {
  /**
   * Keep the whole pool open once opened (the service; see prepareWholePool): a new PostgreSQL
   * session costs a process fork and a password exchange, tens of milliseconds under load, which
   * the first burst of requests after a quiet spell would otherwise pay before its
   * acknowledgements. A CLI command opens one connection, and only what it uses.
   */
  readonly keepPoolOpen?: boolean;
}

/**
 * Opens every connection of the pool, all held at once so that each is a session of its own, and
 * runs `prepare` on each. A session's first statement on a table reads the table's catalogue
 * entries and plans from nothing: the inbox's record costs 8 to 12 ms then against about 1 ms
 * after, which the first acknowledgements of a burst would otherwise pay, session by session.
 */
export async function prepareWholePool(db: Db, prepare: (session: unknown) => Promise<void>): Promise<void> {
  const held = await Promise.allSettled(Array.from({ length: db.client.pool?.max ?? MAIN_POOL.max }, () => db.client.acquireConnection() as Promise<unknown>));
  const sessions = held.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  try {
    await Promise.all(sessions.map(prepare));
  } finally {
    for (const session of sessions) db.client.releaseConnection(session);
  }
  const failed = held.find((s) => s.status === 'rejected');
  if (failed) throw failed.reason;
}

/** DATABASE_URL when given, else the embedded cluster in DATA_DIR. Fails with a one-line fix. */
export async function openDatabase(config: Config, log: (message: string) => void, options: OpenOptions = {}): Promise<Database> {
  const embedded = config.databaseUrl ? null
    : await startEmbeddedPostgres({ dataDir: config.dataDir, database: 'govbot', log });
  const url = config.databaseUrl ?? embedded!.url;
  const db = createKnex(url, options.keepPoolOpen ? { min: MAIN_POOL.max, max: MAIN_POOL.max } : MAIN_POOL);
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
