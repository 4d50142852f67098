import type { Knex } from 'knex';
import { GovbotError } from '../errors.js';
import { eventHash, GENESIS_HASH, personalDataIn, toJsonFacts, type StoredAuditEvent } from '../domain/audit-chain.js';
import type { Db } from './database.js';

/**
 * The append-only audit chain (DESIGN §4). Appends are serialised by a transaction-scoped advisory
 * lock, so ids stay gapless and each event links to the one committed before it; a rolled-back
 * transaction takes its event, and its lock, with it.
 */

/** 'govaudit' in ASCII: distinctive, so no other advisory lock in govbot picks the same key. */
export const AUDIT_LOCK_KEY = '7453010373645639028';

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
  const facts = toJsonFacts(event.facts ?? {});
  const subject = event.subject ?? null;
  const problem = personalDataIn({ subject, facts });
  if (problem) {
    throw new GovbotError('AUDIT_PERSONAL_DATA', `audit event "${event.action}" refused: ${problem}. Audit events are permanent, so they hold ids, references and facts only`);
  }
  const previous = pending.get(trx) ?? Promise.resolve();
  const appended = previous.catch(() => undefined).then(() => insertNext(trx, { ...event, subject, facts }));
  pending.set(trx, appended);
  return appended;
}

async function insertNext(trx: Knex.Transaction, event: NewAuditEvent & { subject: string | null; facts: Record<string, unknown> }): Promise<{ id: number; hash: string }> {
  const locked = await trx.raw<{ rows: { isolation: string }[] }>(
    "select pg_advisory_xact_lock(?::bigint), current_setting('transaction_isolation') as isolation", [AUDIT_LOCK_KEY]);
  const isolation = locked.rows[0]?.isolation;
  if (isolation !== 'read committed') {
    // Under a snapshot taken before the lock, the "last event" read below could be stale.
    throw new GovbotError('AUDIT_ISOLATION', `appendAuditEvent needs a read committed transaction, not ${isolation ?? 'unknown'}: its snapshot would miss events appended while it waited for the lock`);
  }
  const last = await trx<AuditEventRow>('audit_events').select('id', 'hash').orderBy('id', 'desc').first();
  const id = last ? Number(last.id) + 1 : 1;
  const prevHash = last?.hash ?? GENESIS_HASH;
  const hash = eventHash(prevHash, { id, occurredAt: event.occurredAt, actor: event.actor, action: event.action, subject: event.subject, facts: event.facts });
  await trx('audit_events').insert({
    id,
    occurred_at: event.occurredAt,
    actor: event.actor,
    action: event.action,
    subject: event.subject,
    // As text: handed an object, pg would still stringify it, but an array would become a Postgres array.
    facts: JSON.stringify(event.facts),
    prev_hash: prevHash,
    hash,
  });
  return { id, hash };
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
