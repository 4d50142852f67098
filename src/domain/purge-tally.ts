/**
 * A purge batch's items summed the ways its card and report show them: what is to be deleted, what
 * was kept back and why, what was deleted and what the purge skipped. Pure: the counts come from
 * one GROUP BY in the register, whatever the batch's size.
 */

/** The note on a deleted item whose contact left a suppression entry because it asked for erasure (R1). */
export const SUPPRESSED_NOTE = 'suppressed';
/**
 * The note on a deleted item tagged "Do not contact": what remains of it is its suppression record
 * (the keyed hashes of its email and phone, the tag, the reason and the purge's reference).
 */
export const DO_NOT_CONTACT_NOTE = 'do-not-contact';

export interface PurgeItemCountLike {
  readonly reason: string;
  readonly status: 'pending' | 'excluded' | 'done' | 'skipped';
  readonly note: string | null;
  readonly count: number;
}

/** A batch's items summed the ways cards and reports show them; keys are reasons (R1…) or notes. */
export interface PurgeTally {
  readonly pending: Readonly<Record<string, number>>;
  readonly keptBack: Readonly<Record<string, number>>;
  readonly deleted: Readonly<Record<string, number>>;
  readonly skipped: Readonly<Record<string, number>>;
  /** Candidates not kept back at the sweep, by reason, whatever became of them since. */
  readonly listed: Readonly<Record<string, number>>;
  /** Deleted contacts that left a suppression entry (R1, do-not-contact): their note says so. */
  readonly suppressed: number;
  /** Of those, the "Do not contact" records reduced to their suppression record. */
  readonly doNotContact: number;
  /** Every candidate a rule applied to, kept back or not. */
  readonly candidates: number;
}

export function tallyPurge(counts: readonly PurgeItemCountLike[]): PurgeTally {
  const pending: Record<string, number> = {};
  const keptBack: Record<string, number> = {};
  const deleted: Record<string, number> = {};
  const skipped: Record<string, number> = {};
  const listed: Record<string, number> = {};
  const add = (into: Record<string, number>, key: string, n: number) => { into[key] = (into[key] ?? 0) + n; };
  let candidates = 0;
  let suppressed = 0;
  let doNotContact = 0;
  for (const c of counts) {
    candidates += c.count;
    if (c.status !== 'excluded') add(listed, c.reason, c.count);
    if (c.status === 'pending') add(pending, c.reason, c.count);
    else if (c.status === 'done') {
      add(deleted, c.reason, c.count);
      if (c.note === SUPPRESSED_NOTE || c.note === DO_NOT_CONTACT_NOTE) suppressed += c.count;
      if (c.note === DO_NOT_CONTACT_NOTE) doNotContact += c.count;
    }
    else if (c.status === 'excluded') add(keptBack, c.note ?? 'excluded', c.count);
    else add(skipped, c.note ?? 'no-longer-due', c.count);
  }
  return { pending, keptBack, deleted, skipped, listed, suppressed, doNotContact, candidates };
}

export function sumOf(counts: Readonly<Record<string, number>>): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

/** "850 ms", "12 s", "3 min 5 s", "2 h 4 min": how long a purge took, for the report. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return 'unknown';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
