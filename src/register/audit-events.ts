import type { Knex } from 'knex';
import { GovbotError } from '../errors.js';
import { canonicalEventAroundId, personalDataIn, toJsonFacts, type StoredAuditEvent } from '../domain/audit-chain.js';
import type { Db } from './database.js';
import { execute, prepared, queryPrepared } from './prepared-statements.js';
import { sqlLiteral } from './sql-literals.js';

/**
 * The append-only audit chain (DESIGN §4). Appends are serialised by a transaction-scoped advisory
 * lock, so ids stay gapless and each event links to the one committed before it; a rolled-back
 * transaction takes its event, and its lock, with it.
 */

// The lock's key, 7453010373645639028 ('govaudit' in ASCII, so no other advisory lock in govbot
// picks it), is written in the audit_append function (migration 20261206174000_audit_append_function).

export interface NewAuditEvent {
  readonly actor: string;
  readonly action: string;
  /** A reference or id (`DSR-2026-0001`, `contact:42`), never an identifier of a person. */
  readonly subject?: string | null;
  /** Ids, references and facts only: personal data is refused (AUDIT_PERSONAL_DATA). */
  readonly facts?: Readonly<Record<string, unknown>>;
  readonly occurredAt: Date;
}

interface AuditEventRow {
  id: number | string;
  occurred_at: Date;
  actor: string;
  action: string;
  subject: string | null;
  facts: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

// Two appends racing on one transaction would both read the same last event: queue them per transaction.
const pending = new WeakMap<Knex.Transaction, Promise<unknown>>();

export async function appendAuditEvent(trx: Knex.Transaction, event: NewAuditEvent): Promise<{ id: number; hash: string }> {
  if (!trx.isTransaction) {
    throw new GovbotError('AUDIT_OUTSIDE_TRANSACTION', 'appendAuditEvent needs a transaction (db.transaction(async (trx) => ...)): its lock lasts only as long as one, and the event must commit with the change it records');
  }
  const checked = checkedAuditEvent(event);
  const previous = pending.get(trx) ?? Promise.resolve();
  const appended = previous.catch(() => undefined).then(async () => {
    await appendDeferred(trx);
    return insertNext(trx, checked);
  });
  pending.set(trx, appended);
  return appended;
}

/**
 * An event to append at the end of the transaction rather than now: the chain's lock is then taken
 * just before commit, instead of being held, and every other append waiting, through the round
 * trips that follow. Order is kept: an appendAuditEvent in the same transaction first appends what
 * was deferred. The caller must end its transaction with flushAuditEvents or commitWithAuditEvents (cast-vote.ts does);
 * a transaction that rolls back takes its deferred events with it, as it would appended ones.
 */
export function deferAuditEvent(trx: Knex.Transaction, event: NewAuditEvent): void {
  if (!trx.isTransaction) throw new GovbotError('AUDIT_OUTSIDE_TRANSACTION', 'deferAuditEvent needs a transaction: the event must commit with the change it records');
  defer(trx, { event: checkedAuditEvent(event) });
}

/**
 * A write nothing in the transaction reads again (a card's outbox row), sent with the deferred
 * events, in order, in their one round trip. `sql` has its values written in (sql-literals.ts).
 * As for deferred events, the caller must end its transaction with flushAuditEvents or commitWithAuditEvents.
 */
export function deferWrite(trx: Knex.Transaction, sql: string): void {
  if (!trx.isTransaction) throw new GovbotError('AUDIT_OUTSIDE_TRANSACTION', 'deferWrite needs a transaction: the write must commit with the change it belongs to');
  defer(trx, { sql });
}

/** Appends the deferred events (and sends the deferred writes), in order; call it last in the transaction. */
export async function flushAuditEvents(trx: Knex.Transaction): Promise<void> {
  const previous = pending.get(trx) ?? Promise.resolve();
  const flushed = previous.catch(() => undefined).then(() => appendDeferred(trx));
  pending.set(trx, flushed);
  await flushed;
}

/**
 * flushAuditEvents with the transaction's COMMIT in the same round trip: the chain's lock, which
 * every append in every transaction waits for, is then released inside Postgres, never held while
 * the answer travels back to this process and waits its turn in a busy event loop (under a burst
 * of votes, that wait was what every other vote queued behind). The caller's transaction must end
 * right after, with nothing more to send: a new, empty transaction is begun in the same round trip,
 * so the COMMIT knex then sends ends that one.
 */
export async function commitWithAuditEvents(trx: Knex.Transaction): Promise<void> {
  const previous = pending.get(trx) ?? Promise.resolve();
  const committed = previous.catch(() => undefined).then(() => appendDeferred(trx, ['COMMIT', 'BEGIN']));
  pending.set(trx, committed);
  await committed;
}

type CheckedAuditEvent = NewAuditEvent & { subject: string | null; facts: Record<string, unknown> };
type Deferred = { readonly event: CheckedAuditEvent } | { readonly sql: string };
const deferred = new WeakMap<Knex.Transaction, Deferred[]>();

function defer(trx: Knex.Transaction, item: Deferred): void {
  const items = deferred.get(trx);
  if (items) items.push(item);
  else deferred.set(trx, [item]);
}

/** Everything deferred, as one multi-statement query: one round trip however many there are. */
async function appendDeferred(trx: Knex.Transaction, then: readonly string[] = []): Promise<void> {
  const items = deferred.get(trx) ?? [];
  deferred.delete(trx);
  if (items.length === 0 && then.length === 0) return;
  // Writes first, then the events, each in the order deferred: the chain's lock is taken last.
  const writes = items.flatMap((item) => ('sql' in item ? [item.sql] : []));
  const events = items.flatMap((item) => ('event' in item ? [auditAppendStatement(item.event)] : []));
  try {
    await queryPrepared(trx, [], [...writes, ...events, ...then]);
  } catch (error) {
    throw auditError(error);
  }
}

/** auditAppendCall with its values written in, for appendDeferred's multi-statement query; prepared, as a vote's writes are (proposals.ts). */
function auditAppendStatement(event: CheckedAuditEvent): string {
  const call = auditAppendCall(event);
  const [occurredAt, actor, action, subject, facts, before, after] = call.bindings as [Date, string, string, string | null, string, Buffer, Buffer];
  return execute(AUDIT_APPEND, sqlLiteral(occurredAt), sqlLiteral(actor), sqlLiteral(action), sqlLiteral(subject), `${sqlLiteral(facts)}::jsonb`, sqlLiteral(before), sqlLiteral(after));
}

const AUDIT_APPEND = prepared('audit_append', ['timestamptz', 'text', 'text', 'text', 'jsonb', 'bytea', 'bytea'],
  'select id, hash from audit_append($1, $2, $3, $4, $5, $6, $7)');

async function insertNext(trx: Knex.Transaction, event: NewAuditEvent & { subject: string | null; facts: Record<string, unknown> }): Promise<{ id: number; hash: string }> {
  const call = auditAppendCall(event);
  try {
    const result = await trx.raw<{ rows: { id: number | string; hash: string }[] }>(`select id, hash from ${call.sql}`, call.bindings);
    const row = result.rows[0]!;
    return { id: Number(row.id), hash: row.hash };
  } catch (error) {
    throw auditError(error);
  }
}

/**
 * The call that appends `event` in one statement (migration 20261206174000_audit_append_function):
 * lock, last event, insert and hash all in Postgres, so the chain's lock is never held across a
 * round trip to Node. For use as `select … from <sql>`, alone or at the end of a larger statement
 * that writes what the event records (the intake). `event` must have passed the checks above.
 */
export function auditAppendCall(event: NewAuditEvent & { subject: string | null; facts: Record<string, unknown> }): { sql: string; bindings: Knex.RawBinding[] } {
  const halves = canonicalEventAroundId({ occurredAt: event.occurredAt, actor: event.actor, action: event.action, subject: event.subject, facts: event.facts });
  return {
    sql: 'audit_append(?::timestamptz, ?, ?, ?, ?::jsonb, ?::bytea, ?::bytea)',
    // Facts as text: handed an object, pg would still stringify it, but an array would become a Postgres array.
    bindings: [event.occurredAt, event.actor, event.action, event.subject, JSON.stringify(event.facts), Buffer.from(halves.before, 'utf8'), Buffer.from(halves.after, 'utf8')],
  };
}

/** An event checked and shaped for auditAppendCall: facts as jsonb will hand them back, personal data refused. */
export function checkedAuditEvent(event: NewAuditEvent): CheckedAuditEvent {
  const facts = toJsonFacts(event.facts ?? {});
  const subject = event.subject ?? null;
  const problem = personalDataIn({ subject, facts });
  if (problem) {
    throw new GovbotError('AUDIT_PERSONAL_DATA', `audit event "${event.action}" refused: ${problem}. Audit events are permanent, so they hold ids, references and facts only`);
  }
  return { ...event, subject, facts };
}

/** The function's refusal of a snapshot transaction, as the coded error callers know. */
export function auditError(error: unknown): unknown {
  if ((error as { code?: string } | null)?.code === 'GA001') {
    return new GovbotError('AUDIT_ISOLATION', `appendAuditEvent needs a read committed transaction: ${(error as Error).message}`);
  }
  return error;
}

/** Batches of events in id order, by keyset (OFFSET would rescan the whole table for every batch). */
export async function* streamAuditEventBatches(db: Db, batchSize = 1000): AsyncGenerator<StoredAuditEvent[]> {
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
  let afterId = 0;
  for (;;) {
    const rows = await db<AuditEventRow>('audit_events')
      .select('id', 'occurred_at', 'actor', 'action', 'subject', 'facts', 'prev_hash', 'hash')
      .where('id', '>', afterId).orderBy('id').limit(batchSize);
    const batch = rows.map(toStoredEvent);
    const lastEvent = batch[batch.length - 1];
    if (!lastEvent) return;
    yield batch;
    if (batch.length < batchSize) return;
    afterId = lastEvent.id;
  }
}

/** Events one at a time in id order, read in batches of `batchSize`. */
export async function* streamAuditEvents(db: Db, batchSize = 1000): AsyncGenerator<StoredAuditEvent> {
  for await (const batch of streamAuditEventBatches(db, batchSize)) yield* batch;
}

export async function countAuditEvents(db: Db): Promise<number> {
  const row = await db('audit_events').count<{ count: string | number }[]>({ count: '*' }).first();
  return Number(row?.count ?? 0);
}

function toStoredEvent(row: AuditEventRow): StoredAuditEvent {
  return {
    id: Number(row.id),
    occurredAt: row.occurred_at,
    actor: row.actor,
    action: row.action,
    subject: row.subject,
    facts: row.facts,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
