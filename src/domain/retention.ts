import { addYearsClamped, compareDates, type IsoDate } from './dates.js';

/**
 * The deletion policy of the privacy notice (DESIGN §1), applied to one contact on one day.
 * The quarterly sweep asks `retentionReason` of every contact; the first reason that applies is
 * the one recorded on the purge proposal and the tombstone.
 */

export type RetentionReason = 'R1' | 'R2' | 'R3' | 'R4';

/** Short labels for cards and reports ("counts by reason"). */
export const RETENTION_REASONS: Readonly<Record<RetentionReason, string>> = {
  R1: 'Asked for erasure',
  R2: 'Retention period over, no successful contact',
  R3: 'Known to be outdated or inaccurate',
  R4: 'No legitimate interest remains',
};

export type RetentionExclusion = 'legal-hold' | 'restricted' | 'erased' | 'open-request' | 'excluded';

export const RETENTION_EXCLUSIONS: Readonly<Record<RetentionExclusion, string>> = {
  'legal-hold': 'Under legal hold',
  restricted: 'Processing restricted (Art 18(2): storage only)',
  erased: 'Already erased',
  'open-request': 'Subject of an open request',
  excluded: 'Excluded by the committee',
};

export interface RetentionContact {
  readonly erasureRequested: boolean;
  readonly isCustomer: boolean;
  readonly isSubscriber: boolean;
  /** When the data was first collected; null when unknown. */
  readonly firstCollectedOn: IsoDate | null;
  /** When the register first saw the contact: R2's lower bound when the collection date is unknown. */
  readonly firstSeenOn: IsoDate;
  /** Last evidence of successful contact (e.g. a delivered email); null when none. */
  readonly lastSuccessfulContactOn: IsoDate | null;
  readonly inaccurate: boolean;
  readonly legitimateInterestEndedOn: IsoDate | null;
  readonly legalHold: boolean;
  /** Processing restricted (Art 18): storage is the one processing still allowed, so never deleted. */
  readonly restricted: boolean;
  readonly erased: boolean;
  /** Subject of a request still open: the request's own workflow decides what happens. */
  readonly openRequest: boolean;
  /** Excluded from this sweep by the committee (`/gov purge exclude`). */
  readonly excluded: boolean;
}

export interface RetentionPolicy {
  readonly asOf: IsoDate;
  readonly retentionYears: number;
}

/**
 * The day exactly `years` calendar years before `asOf` (29 Feb → 28 Feb). Data collected on the
 * cutoff day has been held exactly `years`, which is not "over" `years`: only earlier days qualify.
 */
export function retentionCutoff(asOf: IsoDate, years: number): IsoDate {
  if (!Number.isInteger(years) || years < 1) {
    throw new RangeError(`retention years must be a whole number of at least 1, got ${years}`);
  }
  return addYearsClamped(asOf, -years);
}

/** Why a contact must be left alone whatever the policy says, or null when nothing protects it. */
export function retentionExclusion(contact: RetentionContact): RetentionExclusion | null {
  if (contact.legalHold) return 'legal-hold';
  if (contact.restricted) return 'restricted';
  if (contact.erased) return 'erased';
  if (contact.openRequest) return 'open-request';
  if (contact.excluded) return 'excluded';
  return null;
}

function isBefore(date: IsoDate, cutoff: IsoDate): boolean {
  return compareDates(date, cutoff) < 0;
}

/**
 * R2 needs all of: no current relationship, data held over the period, and no successful contact
 * within it. When the collection date is unknown, the day the register first saw the contact is
 * the lower bound of how long it has been held (DESIGN §1): the data is at least that old, so
 * "held over the period" is still shown, never guessed. A successful contact on the cutoff day or
 * later is within the period and saves the contact.
 */
function heldTooLongWithoutContact(contact: RetentionContact, cutoff: IsoDate): boolean {
  if (contact.isCustomer || contact.isSubscriber) return false;
  if (!isBefore(contact.firstCollectedOn ?? contact.firstSeenOn, cutoff)) return false;
  return contact.lastSuccessfulContactOn === null || isBefore(contact.lastSuccessfulContactOn, cutoff);
}

/** The first applicable reason R1..R4 to delete this contact on `asOf`, or null to keep it. */
export function retentionReason(contact: RetentionContact, policy: RetentionPolicy): RetentionReason | null {
  if (retentionExclusion(contact) !== null) return null;
  if (contact.erasureRequested) return 'R1';
  if (heldTooLongWithoutContact(contact, retentionCutoff(policy.asOf, policy.retentionYears))) return 'R2';
  if (contact.inaccurate) return 'R3';
  // The notice keeps data "as long as you are a customer": a customer always has an interest.
  const ended = contact.legitimateInterestEndedOn;
  if (!contact.isCustomer && ended !== null && compareDates(ended, policy.asOf) <= 0) return 'R4';
  return null;
}
