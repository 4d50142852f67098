import { describe, expect, it } from 'vitest';
import { COMPLAINT_RIGHTS, noticeLine } from '../../src/domain/notices-owed.js';
import { contactsToLift, owesRestrictionLiftNotice, restrictionVerdict, RESTRICTION_LIFT_NOTICE, type ObjectionRestriction } from '../../src/domain/objection.js';

/**
 * Art 18(1)(d): processing is restricted "where the data subject has objected to processing
 * pursuant to Article 21(1) pending the verification whether the legitimate grounds of the
 * controller override those of the data subject".
 * Art 18(3): "A data subject who has obtained restriction of processing pursuant to paragraph 1
 * shall be informed by the controller before the restriction of processing is lifted."
 */
describe('when an objection\'s restriction may be lifted (Art 18(1)(d), 18(3), 21)', () => {
  const cases: [string, ObjectionRestriction, boolean, string][] = [
    ['marketing: Art 21(3) stops the marketing, nothing was restricted', { scope: 'marketing', decision: 'rejected', told: true }, false, 'restricts nothing'],
    ['other, undecided: pending the verification of grounds (Art 18(1)(d))', { scope: 'other', decision: 'pending', told: false }, false, 'not decided'],
    ['other, undecided even if somebody recorded a telling', { scope: 'other', decision: 'pending', told: true }, false, 'not decided'],
    ['other, upheld: the processing stops for good (Art 21(1))', { scope: 'other', decision: 'upheld', told: true }, false, 'upheld'],
    ['other, not upheld, individual not yet told: "informed … before the restriction … is lifted" (Art 18(3))', { scope: 'other', decision: 'rejected', told: false }, false, 'must be told before'],
    ['other, not upheld and told: may be lifted', { scope: 'other', decision: 'rejected', told: true }, true, ''],
    ['other, closed undecided (withdrawn, refused, identity not confirmed), not yet told (Art 18(3))', { scope: 'other', decision: 'closed', told: false }, false, 'must be told before'],
    ['other, closed undecided and told: may be lifted', { scope: 'other', decision: 'closed', told: true }, true, ''],
    ['no scope recorded: nothing to lift', { scope: null, decision: 'rejected', told: true }, false, 'restricts nothing'],
  ];
  it.each(cases)('%s', (_name, state, lift, why) => {
    const verdict = restrictionVerdict(state);
    expect(verdict.lift).toBe(lift);
    if (!verdict.lift) expect(verdict.why).toContain(why);
  });
});

describe('which rows a told notice lifts', () => {
  it.each([
    ['all the rows intake restricted', [3, 1, 2], [], [1, 2, 3]],
    ['not a row another request keeps restricted (a restriction carried out, another objection open)', [1, 2, 3], [2], [1, 3]],
    ['nothing when every row is kept', [4], [4], []],
    ['nothing when intake restricted nothing (the rows were already restricted)', [], [5], []],
    ['each row once', [7, 7], [], [7]],
  ])('%s', (_name, intake, elsewhere, lifted) => {
    expect(contactsToLift(intake as number[], elsewhere as number[])).toEqual(lifted);
  });

  it('owes the Art 18(3) notice only when intake restricted something', () => {
    expect(owesRestrictionLiftNotice([1])).toBe(true);
    expect(owesRestrictionLiftNotice([])).toBe(false);
  });
});

describe('the notices on the card', () => {
  const owed = (kind: string) => ({ kind, owedSince: '2026-06-10', dueBy: '2026-07-08', toldOn: null });
  it('tells the individual the grounds and that the restriction will be lifted, with their right to complain (Art 12(4), 18(3))', () => {
    const line = noticeLine(owed(RESTRICTION_LIFT_NOTICE), '2026-06-11');
    expect(line).toMatch(/^restriction to be lifted: owed by 2026-07-08 Wed: tell them that the restriction of processing placed while their objection was considered will be lifted, and why: the objection was not upheld, for the compelling legitimate grounds/);
    expect(line).toContain('recording this lifts it (Art 18(3), Art 21(1))');
    expect(line).toContain(COMPLAINT_RIGHTS);
  });

  it('tells the individual which records were kept under legal hold and why (Art 17(3)(e), 12(4))', () => {
    const line = noticeLine(owed('legal-hold'), '2026-06-11');
    expect(line).toMatch(/^records kept under legal hold: owed by 2026-07-08 Wed: tell them which of their records were not erased and why/);
    expect(line).toContain('establishment, exercise or defence of legal claims (Art 17(3)(e))');
    expect(line).toContain(COMPLAINT_RIGHTS);
  });
});
