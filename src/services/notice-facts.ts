import facts from '../domain/notice-facts.json' with { type: 'json' };
import { missingFacts, type NoticeFacts } from '../domain/notice-facts.js';
import { GovbotError } from '../errors.js';

/**
 * The notice's facts (src/domain/notice-facts.json), checked once: an access export without its
 * supplementary information would be incomplete, so a file missing any of it is a fault to fix,
 * never a partial answer to the individual.
 */
export function noticeFacts(): NoticeFacts {
  const missing = missingFacts(facts);
  if (missing.length > 0) {
    throw new GovbotError('NOTICE_FACTS_INCOMPLETE', `src/domain/notice-facts.json lacks ${missing.join(', ')}: add them from the privacy notice before exporting`);
  }
  return facts as NoticeFacts;
}
