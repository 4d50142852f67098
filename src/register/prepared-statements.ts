import type { Knex } from 'knex';
import type { Db } from './database.js';

/**
 * Statements a session prepares once (SQL `PREPARE`) and then runs by name (`EXECUTE`), for the
 * reads sent many at a time as one multi-statement query (request-view-rows.ts, vote-context.ts).
 * Sent with their values written in, such statements were planned afresh every time, and under a
 * burst of votes planning cost Postgres as much as running them. A prepared statement is planned
 * for its first few runs, then Postgres keeps a generic plan for the session.
 *
 * A session prepares what it lacks in the same round trip as its first use, so nothing is sent
 * twice and no round trip is added. `PREPARE` outlives a rolled-back transaction, so what was sent
 * stays prepared whatever became of the statements after it.
 */
export interface Prepared {
  readonly name: string;
  /** The `PREPARE` statement itself. */
  readonly text: string;
}

/** Every statement defined, by name: what an `execute` sent among others needs prepared (usedBy). */
const defined = new Map<string, Prepared>();

/** A statement to prepare: `body` takes `$1…` of the given types. Names are fixed words, checked, and each names one statement. */
export function prepared(name: string, types: readonly string[], body: string): Prepared {
  if (!/^[a-z][a-z0-9_]*$/.test(name)) throw new RangeError(`a prepared statement's name is a lower-case word, got "${name}"`);
  const statement = { name: `govbot_${name}`, text: `prepare govbot_${name} (${types.join(', ')}) as ${body}` };
  const before = defined.get(statement.name);
  if (before && before.text !== statement.text) throw new RangeError(`two statements are named "${name}"`);
  defined.set(statement.name, statement);
  return statement;
}

/** The statement that runs `statement` with `args`, each already written in (sql-literals.ts). */
export function execute(statement: Prepared, ...args: string[]): string {
  return `execute ${statement.name}(${args.join(', ')})`;
}

/**
 * The prepared statements that `statements` run (those made by execute), so that a write built in
 * one module and sent by another (a vote's, with its card's reads) is prepared wherever it goes.
 */
export function usedBy(statements: readonly string[]): Prepared[] {
  // Values are written in as hex (sql-literals.ts), so the only text that can match is an execute.
  const names = statements.flatMap((sql) => [...sql.matchAll(/\bexecute (govbot_[a-z0-9_]+)\(/g)].map((match) => match[1]!));
  return names.flatMap((name) => defined.get(name) ?? []);
}

type Result = { rows: unknown[] };
type Session = object;

/** What each session (a pg client) has prepared; a session the pool drops takes its entry with it. */
const preparedOn = new WeakMap<Session, Set<string>>();
/** Sessions whose prepared statements the schema moved under: they drop them all first. */
const stale = new WeakSet<Session>();

/**
 * Sends `statements` as one multi-statement query on one session, the `PREPARE` of each of `uses`
 * that session lacks sent first, and returns the statements' results in order.
 *
 * A statement that no longer matches the schema (a migration by another replica changed a table it
 * reads: "cached plan must not change result type") fails its transaction once; the session then
 * drops everything it prepared and prepares it again with its next query.
 */
export async function queryPrepared(db: Db | Knex.Transaction, uses: readonly Prepared[], statements: readonly string[]): Promise<Result[]> {
  const needed = [...new Map([...uses, ...usedBy(statements)].map((statement) => [statement.name, statement])).values()];
  return onSession(db, async (session, raw) => {
    const known = preparedOn.get(session) ?? new Set<string>();
    preparedOn.set(session, known);
    const missing = needed.filter((statement) => !known.has(statement.name));
    const first = [...(stale.has(session) ? ['deallocate all'] : []), ...missing.map((statement) => statement.text)];
    let sent: Result[] | Result;
    try {
      sent = (await raw([...first, ...statements].join(';\n'))) as unknown as Result[] | Result;
    } catch (error) {
      const code = (error as { code?: string } | null)?.code;
      if (isStalePrepared(error)) {
        known.clear();
        stale.add(session);
      } else if (code !== NOTHING_RAN && code !== SYNTAX_ERROR) {
        prepare(session, known, missing);
      }
      throw error;
    }
    prepare(session, known, missing);
    // One statement alone comes back as a result, several as a list of them.
    const results = Array.isArray(sent) ? sent : [sent];
    return results.slice(results.length - statements.length);
  });
}

/**
 * Postgres plans a prepared statement afresh for its first five runs in a session, then keeps a
 * generic plan. Planned with the session's catalogue caches still cold, those first runs cost
 * several times a later one, and a burst of votes just after start paid for all of them at once.
 */
const RUNS_BEFORE_GENERIC_PLAN = 6;

/**
 * Prepares `statements` on a session of the pool (see database.ts, prepareWholePool) and runs each
 * until Postgres keeps its generic plan, with arguments that match no row, so that the first
 * requests after a start find them planned. One round trip.
 */
export async function warmPrepared(db: Db, session: unknown, statements: readonly { readonly statement: Prepared; readonly args: readonly string[] }[]): Promise<void> {
  const known = preparedOn.get(session as Session) ?? new Set<string>();
  preparedOn.set(session as Session, known);
  const missing = statements.map((s) => s.statement).filter((statement) => !known.has(statement.name));
  const runs = statements.flatMap(({ statement, args }) => Array.from({ length: RUNS_BEFORE_GENERIC_PLAN }, () => execute(statement, ...args)));
  // Locking reads (for update) lock nothing here: no row matches, and the implicit transaction ends with the text.
  await db.raw([...missing.map((statement) => statement.text), ...runs].join(';\n')).connection(session);
  prepare(session as Session, known, missing);
}

/** What was sent first ran first, whatever became of the statements after it. */
function prepare(session: Session, known: Set<string>, sent: readonly Prepared[]): void {
  stale.delete(session);
  for (const statement of sent) known.add(statement.name);
}

/**
 * The session a transaction holds, or one taken from the pool for this query alone: what was
 * prepared is the session's, so the query must go where the bookkeeping says.
 */
async function onSession<T>(db: Db | Knex.Transaction, work: (session: Session, raw: (sql: string) => Promise<unknown>) => Promise<T>): Promise<T> {
  if ((db as Knex.Transaction).isTransaction) {
    const session = await db.client.acquireConnection() as Session;
    return work(session, async (sql) => db.raw(sql));
  }
  const session = await db.client.acquireConnection() as Session;
  try {
    return await work(session, async (sql) => db.raw(sql).connection(session));
  } finally {
    await db.client.releaseConnection(session);
  }
}

/**
 * Errors after which nothing of the query ran: the transaction had already failed, or the text did
 * not parse (Postgres parses every statement of the text before it runs the first).
 */
const NOTHING_RAN = '25P02';
const SYNTAX_ERROR = '42601';

/** The session's prepared statements are not what this process thinks: one the schema moved under, one missing, one already there. */
function isStalePrepared(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  return code === '26000' || code === '42P05' || (code === '0A000' && /cached plan must not change result type/.test(message ?? ''));
}
