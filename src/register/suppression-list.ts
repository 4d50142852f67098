import { isSuppressionHash, type SuppressionKind } from '../domain/suppression.js';
import { GovbotError } from '../errors.js';
import type { Db } from './database.js';

/** The suppression list: keyed hashes of emails and phones that must never be imported or contacted again. */

export interface NewSuppression {
  /** suppressionHash(pepper, email) or phoneSuppressionHash(pepper, phone): never the identifier itself. */
  readonly emailHmac: string;
  /** Which identifier the hash is of (default email). */
  readonly kind?: SuppressionKind;
  /** The tag the record keeps ("Do not contact"), when the person opted out. */
  readonly tag?: string | null;
  /** Why, in words or a code: 'erasure', 'do-not-contact', 'objection', 'purge R2', ... */
  readonly reason: string;
  /** The request or purge that caused it (`DSR-2026-0001`, `PURGE-2026-Q1`), when there is one. */
  readonly sourceRef?: string | null;
}

/**
 * Idempotent: a second entry for the same hash keeps the first one's reason and source, since
 * the first is when suppression began. True when this call added it.
 */
export async function addSuppression(db: Db, entry: NewSuppression): Promise<boolean> {
  assertHash(entry.emailHmac);
  const inserted = await db('suppression_list')
    .insert({ email_hmac: entry.emailHmac, kind: entry.kind ?? 'email', tag: entry.tag ?? null, reason: entry.reason, source_ref: entry.sourceRef ?? null })
    .onConflict('email_hmac').ignore()
    .returning('email_hmac');
  return inserted.length > 0;
}

export async function isSuppressed(db: Db, emailHmac: string): Promise<boolean> {
  const row = await db('suppression_list').select('email_hmac').where({ email_hmac: emailHmac }).first();
  return row !== undefined;
}

/** Which of `hmacs` are suppressed, in one query: an import checks a whole file at once. */
export async function suppressedAmong(db: Db, hmacs: readonly string[]): Promise<Set<string>> {
  if (hmacs.length === 0) return new Set();
  const unique = [...new Set(hmacs)];
  const rows = await db('suppression_list')
    .select<{ email_hmac: string }[]>('email_hmac')
    .whereRaw('email_hmac = any(?::text[])', [unique]);
  return new Set(rows.map((row) => row.email_hmac));
}

export interface SuppressionEntry {
  readonly kind: SuppressionKind;
  readonly reason: string;
  readonly tag: string | null;
  readonly sourceRef: string | null;
  readonly createdAt: Date;
}

/** The entries among `hmacs`, oldest first: what intake tells the committee about a subject. */
export async function suppressionEntries(db: Db, hmacs: readonly string[]): Promise<SuppressionEntry[]> {
  if (hmacs.length === 0) return [];
  const rows = await db('suppression_list').whereRaw('email_hmac = any(?::text[])', [[...new Set(hmacs)]]).orderBy('created_at')
    .select<{ kind: SuppressionKind; reason: string; tag: string | null; source_ref: string | null; created_at: Date }[]>('kind', 'reason', 'tag', 'source_ref', 'created_at');
  return rows.map((r) => ({ kind: r.kind, reason: r.reason, tag: r.tag, sourceRef: r.source_ref, createdAt: r.created_at }));
}

function assertHash(value: string): void {
  if (!isSuppressionHash(value)) {
    throw new GovbotError('SUPPRESSION_NOT_HMAC', 'a suppression entry must be suppressionHash(pepper, email) (64 lowercase hex digits), never the email itself');
  }
}
