import { erase } from './erase.js';
import type { ActionExecutor } from './executor.js';
import { suppress } from './flags.js';
import { flagContacts } from '../../register/subject-data.js';

/**
 * An objection to other processing, upheld (Art 21(1)): that processing stops for good. The rows
 * stay restricted and are tagged "Do not contact" with suppression entries for each identifier
 * (no more referee, case-study or profiling use); when the individual asked for erasure as well,
 * the rows are then erased (Art 17(1)(c)), keeping any under legal hold.
 */
export const upholdObjection: ActionExecutor = async (trx, env, input) => {
  await flagContacts(trx, input.contactIds, 'processing_restricted', input.now);
  const tagged = await suppress(trx, env, input);
  if (input.action.params.erase !== true) {
    return { summary: `Objection upheld: ${tagged.summary} Processing stays restricted.`, facts: { ...tagged.facts, objection_upheld: true, erased: false } };
  }
  const erased = await erase(trx, env, input);
  return { summary: `Objection upheld and the data erased as asked: ${erased.summary}`, facts: { ...erased.facts, objection_upheld: true, erased: true } };
};
