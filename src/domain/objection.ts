import { err, ok, type Result } from './result.js';

/**
 * What an objection (Art 21) is about decides how it is handled (DESIGN §1):
 * - direct marketing: absolute (Art 21(2)–(3)); the person is tagged "Do not contact" at once;
 * - other processing on legitimate interests (referee and case-study use, profiling: notice §3–4):
 *   the committee decides whether compelling legitimate grounds override the person's interests
 *   (Art 21(1)); processing is restricted while it decides (Art 18(1)(d)); upheld, that processing
 *   stops (and the data is erased if the person asked, Art 17(1)(c)); not upheld, the person is
 *   told the grounds (Art 12(4)).
 */
export type ObjectionScope = 'marketing' | 'other';

export const OBJECTION_SCOPES: Readonly<Record<ObjectionScope, string>> = {
  marketing: 'Direct marketing (absolute: tag "Do not contact")',
  other: 'Other processing on legitimate interests (referee or case-study use, profiling): the committee decides',
};

const ALIASES: Readonly<Record<string, ObjectionScope>> = {
  marketing: 'marketing', 'direct-marketing': 'marketing', emails: 'marketing', newsletter: 'marketing',
  other: 'other', profiling: 'other', referee: 'other', 'case-study': 'other', 'legitimate-interest': 'other',
};

export function parseObjectionScope(input: string | null | undefined): Result<ObjectionScope> {
  const word = (input ?? '').trim().toLowerCase();
  if (word === '') return err('Say what the objection is about: --about marketing (direct marketing) or --about other (referee or case-study use, profiling)');
  const scope = ALIASES[word];
  if (scope) return ok(scope);
  return err(`"${word.slice(0, 40)}" is not what an objection can be about: use --about marketing or --about other`);
}

/** Whether an objection needs the committee's decision on compelling grounds, with processing restricted meanwhile. */
export function needsGroundsDecision(scope: ObjectionScope | null | undefined): boolean {
  return scope === 'other';
}

/**
 * The restriction an objection to other processing placed at intake (Art 18(1)(d)) and when it may
 * go. It lasts "pending the verification whether the legitimate grounds of the controller override
 * those of the data subject" (Art 18(1)(d)); upheld, the processing stops for good, so it stays;
 * not upheld, or closed without a decision (withdrawn, refused, identity not confirmed), it may be
 * lifted, but "a data subject who has obtained restriction of processing
 * pursuant to paragraph 1 shall be informed by the controller before the restriction of processing
 * is lifted" (Art 18(3)).
 */
/** `closed`: closed without a decision on the grounds (withdrawn, refused, identity not confirmed). */
export type ObjectionDecision = 'pending' | 'upheld' | 'rejected' | 'closed';

export interface ObjectionRestriction {
  readonly scope: ObjectionScope | null;
  readonly decision: ObjectionDecision;
  /** Whether the individual has been told the restriction is to be lifted (the `restriction-lift` notice). */
  readonly told: boolean;
}

export type RestrictionVerdict =
  | { readonly lift: true }
  | { readonly lift: false; readonly why: string };

export function restrictionVerdict(state: ObjectionRestriction): RestrictionVerdict {
  if (!needsGroundsDecision(state.scope)) return { lift: false, why: 'an objection to direct marketing restricts nothing (Art 21(3): it stops the marketing)' };
  switch (state.decision) {
    case 'pending': return { lift: false, why: 'the committee has not decided on compelling grounds yet (Art 18(1)(d))' };
    case 'upheld': return { lift: false, why: 'the objection was upheld: that processing stops for good (Art 21(1))' };
    case 'rejected':
    case 'closed':
      return state.told ? { lift: true } : { lift: false, why: 'the individual must be told before the restriction is lifted (Art 18(3))' };
  }
}

/** The notice kind (src/domain/notices-owed.ts) that, once told, lets a rejected objection's restriction go. */
export const RESTRICTION_LIFT_NOTICE = 'restriction-lift';

/** A rejected objection owes the Art 18(3) notice only when its intake restricted something. */
export function owesRestrictionLiftNotice(restrictedAtIntake: readonly number[]): boolean {
  return restrictedAtIntake.length > 0;
}

/**
 * The rows to lift: those this objection restricted at intake, except any another request still
 * keeps restricted (a restriction request carried out, an upheld or undecided objection), since
 * lifting one basis must not lift another.
 */
export function contactsToLift(restrictedAtIntake: readonly number[], restrictedElsewhere: readonly number[]): number[] {
  const kept = new Set(restrictedElsewhere);
  return [...new Set(restrictedAtIntake)].filter((id) => !kept.has(id)).sort((a, b) => a - b);
}
