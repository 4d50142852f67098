import { privateReply } from '../src/chat/reply.js';
import { parseContactName } from '../src/domain/purge.js';
import { excludeCandidate } from '../src/services/purge/exclude-candidate.js';
import { freeText, MAX_FREE_TEXT, mistake } from './arguments.js';
import type { ChatCommand } from './command.js';

const USAGE = '/gov purge exclude <contact> <reason>';

/**
 * Members: keeping a contact out of a deletion only ever protects data, so any member who knows of
 * a legal hold or a dispute may do it; it is audited with who did it and recorded with the reason.
 */
export const govPurgeExclude: ChatCommand = {
  name: 'gov purge exclude',
  usage: USAGE,
  summary: 'keep one candidate out of the proposed deletion (legal hold, dispute…), before approval; <contact> is its external_id or register id (#1234)',
  access: 'member',
  async run(ctx, args) {
    const [word, ...rest] = args;
    const contact = parseContactName(word);
    if (!contact.ok) return mistake(USAGE, contact.error);
    const reason = freeText(rest);
    if (reason === null) return mistake(USAGE, `Give the reason for keeping ${word} (for example "legal hold: tribunal claim"): it is recorded with the exclusion`);
    if (reason.length > MAX_FREE_TEXT) return mistake(USAGE, `Keep the reason to ${MAX_FREE_TEXT} characters`);
    const excluded = await excludeCandidate(ctx.services, ctx.actor, { contact: contact.value, contactWord: word ?? '', reason });
    if (!excluded.ok) return mistake(USAGE, excluded.error);
    const e = excluded.value;
    return privateReply(`Contact #${e.contactId} is kept out of ${e.reference} and of later sweeps; the card and the candidate list ${e.file} (sha256 ${e.sha256}) are updated. Votes already cast stand.`);
  },
};
