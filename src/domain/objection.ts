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
