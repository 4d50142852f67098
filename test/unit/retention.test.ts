import { describe, expect, it } from 'vitest';
import {
  RETENTION_EXCLUSIONS, RETENTION_REASONS, retentionCutoff, retentionExclusion, retentionReason,
  type RetentionContact, type RetentionReason,
} from '../../src/domain/retention.js';

const ASOF = '2026-10-01'; // the Q4 sweep; with 3 years the cutoff is 2023-10-01
const policy = { asOf: ASOF, retentionYears: 3 };

/** A contact nothing applies to: a current customer, recently in touch. */
const keep: RetentionContact = {
  erasureRequested: false, isCustomer: true, isSubscriber: false,
  firstCollectedOn: '2020-01-01', lastSuccessfulContactOn: '2026-09-01', inaccurate: false,
  firstSeenOn: '2020-01-01', legitimateInterestEndedOn: null, legalHold: false, restricted: false, erased: false,
  openRequest: false, excluded: false,
};
/** A prospect: not a customer, but recently in touch, so R2 does not apply. */
const prospect: RetentionContact = { ...keep, isCustomer: false };
/** A lapsed contact: not a customer or subscriber, collected long ago, never reached. */
const lapsed: RetentionContact = { ...keep, isCustomer: false, lastSuccessfulContactOn: null };

describe('retentionCutoff', () => {
  it.each([
    ['2026-10-01', 3, '2023-10-01'],
    ['2026-01-01', 3, '2023-01-01'],
    ['2028-02-29', 3, '2025-02-28'], // no 29 Feb in 2025
    ['2028-02-29', 4, '2024-02-29'],
    ['2026-10-01', 1, '2025-10-01'],
  ])('%s less %i years is %s', (asOf, years, expected) => {
    expect(retentionCutoff(asOf, years)).toBe(expected);
  });

  it.each([0, -1, 2.5])('refuses %d years as a fault', (years) => {
    expect(() => retentionCutoff(ASOF, years)).toThrow(RangeError);
  });
});

describe('retentionReason', () => {
  it.each<[string, Partial<RetentionContact>, RetentionReason | null]>([
    ['nothing applies', {}, null],
    // R1
    ['asked for erasure', { erasureRequested: true }, 'R1'],
    ['asked for erasure, and also inaccurate: R1 comes first', { erasureRequested: true, inaccurate: true }, 'R1'],
    // R2 boundaries: collected before the cutoff day, no contact on or after it
    ['lapsed, collected the day before the cutoff', { ...lapsed, firstCollectedOn: '2023-09-30' }, 'R2'],
    ['lapsed, collected exactly 3 years ago (not over 3)', { ...lapsed, firstCollectedOn: '2023-10-01' }, null],
    ['lapsed, collected after the cutoff', { ...lapsed, firstCollectedOn: '2024-05-01' }, null],
    // DESIGN §1: "held since first_collected_at, or when the register first saw the contact if that is unknown"
    ['lapsed, collection date unknown, first seen before the cutoff', { ...lapsed, firstCollectedOn: null, firstSeenOn: '2023-09-30' }, 'R2'],
    ['lapsed, collection date unknown, first seen on the cutoff day', { ...lapsed, firstCollectedOn: null, firstSeenOn: '2023-10-01' }, null],
    ['lapsed, collection date unknown, first seen last year', { ...lapsed, firstCollectedOn: null, firstSeenOn: '2025-06-01' }, null],
    ['lapsed, a known collection date wins over an older first sighting', { ...lapsed, firstCollectedOn: '2024-05-01', firstSeenOn: '2020-01-01' }, null],
    ['lapsed, last contact the day before the cutoff', { ...lapsed, lastSuccessfulContactOn: '2023-09-30' }, 'R2'],
    ['lapsed, last contact on the cutoff day', { ...lapsed, lastSuccessfulContactOn: '2023-10-01' }, null],
    ['lapsed, last contact last month', { ...lapsed, lastSuccessfulContactOn: '2026-09-01' }, null],
    ['old, never contacted, but a customer', { ...lapsed, isCustomer: true }, null],
    ['old, never contacted, but a subscriber', { ...lapsed, isSubscriber: true }, null],
    ['lapsed and inaccurate: R2 comes before R3', { ...lapsed, inaccurate: true }, 'R2'],
    // R3
    ['known to be inaccurate', { inaccurate: true }, 'R3'],
    ['inaccurate, and no legitimate interest: R3 comes before R4', { inaccurate: true, legitimateInterestEndedOn: '2026-01-01' }, 'R3'],
    // R4 boundaries
    ['legitimate interest ended yesterday', { ...prospect, legitimateInterestEndedOn: '2026-09-30' }, 'R4'],
    ['legitimate interest ends today', { ...prospect, legitimateInterestEndedOn: '2026-10-01' }, 'R4'],
    ['legitimate interest ends tomorrow', { ...prospect, legitimateInterestEndedOn: '2026-10-02' }, null],
    // notice §7.1: "we will store and use your data as long as you are a customer"
    ['legitimate interest ended, but a current customer', { legitimateInterestEndedOn: '2026-09-30' }, null],
    ['legitimate interest ended, a subscriber but not a customer', { ...prospect, isSubscriber: true, legitimateInterestEndedOn: '2026-09-30' }, 'R4'],
    // exclusions beat every reason
    ['asked for erasure, under legal hold', { erasureRequested: true, legalHold: true }, null],
    // Art 18(2): a restricted contact's data may only be stored
    ['lapsed, processing restricted', { ...lapsed, restricted: true }, null],
    ['inaccurate, processing restricted (Art 18(1)(a): accuracy contested)', { inaccurate: true, restricted: true }, null],
    ['lapsed, already erased', { ...lapsed, erased: true }, null],
    ['inaccurate, subject of an open request', { inaccurate: true, openRequest: true }, null],
    ['no legitimate interest, excluded by the committee', { legitimateInterestEndedOn: '2026-01-01', excluded: true }, null],
  ])('%s → %s', (_what, changes, expected) => {
    expect(retentionReason({ ...keep, ...changes }, policy)).toBe(expected);
  });

  it('follows RETENTION_YEARS', () => {
    const contact = { ...lapsed, firstCollectedOn: '2024-09-30' };
    expect(retentionReason(contact, { asOf: ASOF, retentionYears: 3 })).toBeNull();
    expect(retentionReason(contact, { asOf: ASOF, retentionYears: 2 })).toBe('R2');
  });
});

describe('retentionExclusion', () => {
  it.each<[Partial<RetentionContact>, string | null]>([
    [{}, null],
    [{ legalHold: true }, 'legal-hold'],
    [{ restricted: true }, 'restricted'],
    [{ restricted: true, openRequest: true }, 'restricted'],
    [{ erased: true }, 'erased'],
    [{ openRequest: true }, 'open-request'],
    [{ excluded: true }, 'excluded'],
    [{ legalHold: true, excluded: true }, 'legal-hold'],
  ])('%j → %s', (changes, expected) => {
    expect(retentionExclusion({ ...keep, ...changes })).toBe(expected);
  });
});

describe('labels', () => {
  it('has a short label for every reason and exclusion', () => {
    expect(Object.keys(RETENTION_REASONS)).toEqual(['R1', 'R2', 'R3', 'R4']);
    for (const label of [...Object.values(RETENTION_REASONS), ...Object.values(RETENTION_EXCLUSIONS)]) {
      expect(label.length).toBeGreaterThan(0);
      expect(label.length).toBeLessThanOrEqual(50);
    }
  });
});
