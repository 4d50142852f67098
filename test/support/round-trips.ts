import type { Db } from '../../src/register/database.js';

/** One statement sent to Postgres, as knex reports it (BEGIN and COMMIT included). */
export interface CountedStatement {
  readonly sql: string;
}

/**
 * Every statement `work` sends to the database, in order: each one is a round trip on the pg
 * socket, and on a small machine each costs the event loop about a millisecond, so the count per
 * intake, vote and list is what keeps acknowledgements fast under a burst.
 */
export async function countRoundTrips<T>(db: Db, work: () => Promise<T>): Promise<{ result: T; statements: CountedStatement[] }> {
  const statements: CountedStatement[] = [];
  const onQuery = (query: { sql: string }): void => { statements.push({ sql: query.sql }); };
  db.on('query', onQuery);
  try {
    const result = await work();
    return { result, statements };
  } finally {
    db.removeListener('query', onQuery);
  }
}

/** The statements one per line, shortened, for a failure message that shows what was sent. */
export function listing(statements: readonly CountedStatement[]): string {
  return statements.map((s, i) => `${i + 1}. ${s.sql.replace(/\s+/g, ' ').slice(0, 140)}`).join('\n');
}
