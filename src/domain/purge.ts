import { addDays, dateInTimeZone, type IsoDate } from './dates.js';
import { purgeRef } from './references.js';
import { err, ok, type Result } from './result.js';
import { retentionCutoff } from './retention.js';
import { fromWallClock } from './schedules.js';

/**
 * The quarterly deletion review (DESIGN §3) beyond the retention rules themselves: how batches are
 * named, what a sweep does when an earlier proposal is still about, why a candidate was left alone
 * at purge time, and how people name a contact in `/gov purge exclude`.
 */

export type PurgeBatchStatus = 'proposed' | 'approved' | 'running' | 'done' | 'rejected' | 'superseded';

export const PURGE_BATCH_STATUSES: Readonly<Record<PurgeBatchStatus, string>> = {
  proposed: 'awaiting the committee',
  approved: 'approved, deletion queued',
  running: 'approved, deleting',
  done: 'done',
  rejected: 'rejected: nothing was deleted',
  superseded: 'superseded by a later sweep: nothing was deleted',
};

/**
 * Why the purge left an approved candidate alone. Each is re-checked under lock, chunk by chunk,
 * because weeks can pass between the sweep and the approval: the approval covered the record as
 * it stood, not a customer it has since become.
 */
export type PurgeSkip = 'gone' | 'legal-hold' | 'restricted' | 'erased' | 'open-request' | 'excluded' | 'customer' | 'subscriber' | 'no-longer-due';

export const PURGE_SKIPS: Readonly<Record<PurgeSkip, string>> = {
  gone: 'already gone from the register',
  'legal-hold': 'placed under legal hold',
  restricted: 'processing restricted since the approval',
  erased: 'already erased',
  'open-request': 'subject of an open request',
  excluded: 'excluded by the committee',
  customer: 'became a customer',
  subscriber: 'became a subscriber',
  'no-longer-due': 'its reason no longer applies',
};

export function isPurgeSkip(value: string): value is PurgeSkip {
  return Object.hasOwn(PURGE_SKIPS, value);
}

/** `PURGE-2026-Q4` for a quarter's first sweep, `PURGE-2026-Q4-2` for a second one after it was decided. */
export function purgeBatchRef(asOf: IsoDate, sequence: number): string {
  if (!Number.isInteger(sequence) || sequence < 1) throw new RangeError(`sequence must be a whole number of at least 1, got ${sequence}`);
  const base = purgeRef(asOf);
  return sequence === 1 ? base : `${base}-${sequence}`;
}

/** The quarter part of a batch reference: `PURGE-2026-Q4-2` → `PURGE-2026-Q4`. */
export function quarterOfBatchRef(reference: string): string {
  return /^PURGE-\d{4}-Q[1-4]/.exec(reference)?.[0] ?? reference;
}

/** The candidate list's file name under DATA_DIR/exports. */
export function candidateFileName(reference: string): string {
  if (!/^PURGE-\d{4}-Q[1-4](-\d+)?$/.test(reference)) throw new RangeError(`not a purge reference: ${JSON.stringify(reference)}`);
  return `${reference}-candidates.csv`;
}

/**
 * The candidate list (or a draft of it, `<list>.<12 hex>.tmp`) that a file in the exports folder
 * is, by name; null for any other file.
 */
export function candidateListOf(fileName: string): string | null {
  return /^(PURGE-\d{4}-Q[1-4](?:-\d+)?-candidates\.csv)(?:\.[0-9a-f]{12}\.tmp)?$/.exec(fileName)?.[1] ?? null;
}

/**
 * The file of CRM ids a recipient of contact data must delete after a purge, under DATA_DIR/exports:
 * `PURGE-2026-Q4-recipient-2-hubspot-crm.csv` (the provider's register id keeps two similar names apart).
 */
export function recipientFileName(reference: string, recipient: { readonly id: number; readonly name: string }): string {
  const base = candidateFileName(reference).replace(/-candidates\.csv$/, '');
  if (!Number.isSafeInteger(recipient.id) || recipient.id < 1) throw new RangeError(`not a provider id: ${recipient.id}`);
  const slug = recipient.name.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40).replace(/-+$/, '');
  return `${base}-recipient-${recipient.id}${slug === '' ? '' : `-${slug}`}.csv`;
}

export interface SweepState {
  /** The purge proposal still awaiting votes, if any (at most one: a unique index says so). */
  readonly open: { readonly reference: string } | null;
  /** A batch approved and not yet finished: its purge is queued or running. */
  readonly active: { readonly reference: string } | null;
}

export type SweepPlan =
  | { readonly kind: 'propose'; readonly supersede: string | null }
  | { readonly kind: 'remind'; readonly reference: string }
  | { readonly kind: 'busy'; readonly reference: string };

/**
 * What a sweep on `asOf` does. Proposals never stack: while this quarter's proposal awaits votes a
 * second sweep reminds the committee of it instead. An undecided proposal from an earlier quarter
 * is stale (its candidates were chosen as of another day), so it is superseded by a fresh one. While
 * an approved purge is still deleting, a sweep would only list its own candidates again: it waits.
 */
export function planSweep(state: SweepState, asOf: IsoDate): SweepPlan {
  if (state.active) return { kind: 'busy', reference: state.active.reference };
  if (state.open) {
    if (quarterOfBatchRef(state.open.reference) === purgeRef(asOf)) return { kind: 'remind', reference: state.open.reference };
    return { kind: 'propose', supersede: state.open.reference };
  }
  return { kind: 'propose', supersede: null };
}

/** How `/gov purge exclude` names a contact: `#123` is a register id; anything else is tried as both. */
export type ContactName = { readonly kind: 'id'; readonly id: number } | { readonly kind: 'either'; readonly externalId: string; readonly id: number | null };

export function parseContactName(word: string | undefined): Result<ContactName> {
  const text = (word ?? '').trim();
  if (text === '') return err('Say which contact: its external_id (e.g. CRM-0042) or its register id (e.g. #1234), as the candidate list shows them');
  const hashed = /^#(\d{1,15})$/.exec(text);
  if (hashed) return ok({ kind: 'id', id: Number(hashed[1]) });
  if (text.length > 200) return err('That contact reference is too long to be an external_id or a register id');
  const numeric = /^\d{1,15}$/.test(text) ? Number(text) : null;
  return ok({ kind: 'either', externalId: text, id: numeric });
}

export interface RetentionBounds {
  /** The first instant of the cutoff day (`retentionCutoff`) in the time zone. */
  readonly cutoffStart: Date;
  /** The first instant of the day after `asOf` in the time zone. */
  readonly asOfEnd: Date;
}

/**
 * The instants at which the calendar days that `retentionReason` compares begin, so that SQL can
 * compare raw timestamps: an instant falls before day D in the zone exactly when it is earlier than
 * D's first instant.
 */
export function retentionBounds(asOf: IsoDate, years: number, timeZone: string): RetentionBounds {
  return { cutoffStart: startOfDay(retentionCutoff(asOf, years), timeZone), asOfEnd: startOfDay(addDays(asOf, 1), timeZone) };
}

/** The first instant of `date` in `timeZone` (where midnight is skipped by a clock change, the first that exists). */
export function startOfDay(date: IsoDate, timeZone: string): Date {
  const onOrAfter = (ms: number) => dateInTimeZone(new Date(ms), timeZone) >= date;
  const guess = fromWallClock(date, 0, 0, timeZone).getTime();
  // Bisect between an instant surely the day before and the guess (or a later instant on the day):
  // "on or after `date`" only turns true once, so this finds the day's first millisecond exactly.
  let before = guess - 30 * 3_600_000;
  let onDay = guess;
  while (!onOrAfter(onDay)) onDay += 3_600_000;
  while (onDay - before > 1) {
    const middle = Math.floor((before + onDay) / 2);
    if (onOrAfter(middle)) onDay = middle;
    else before = middle;
  }
  return new Date(onDay);
}
