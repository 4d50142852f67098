import { privateReply, type Reply } from '../src/chat/reply.js';
import { userText } from '../src/chat/mention.js';
import { recipientsOfPurge, recordPurgeRecipientTold } from '../src/services/purge/purge-recipients-told.js';
import type { CommandContext } from './command.js';
import { freeText, mistake } from './arguments.js';

/**
 * `/dsr recipients PURGE-2026-Q4 [told <provider>]`: the same words as for a request, for the Art 19
 * notices a quarterly purge owes (one per provider receiving contact data, with a file of CRM ids).
 */
export const PURGE_REF = /^PURGE-\d{4}-Q[1-4](-\d+)?$/i;

export async function purgeRecipientsReply(ctx: CommandContext, usage: string, refWord: string, verb: string | undefined, rest: readonly string[]): Promise<Reply> {
  const ref = refWord.toUpperCase();
  if (verb === undefined) {
    const listed = await recipientsOfPurge(ctx.services, ref);
    if (!listed.ok) return mistake(usage, listed.error);
    if (listed.value.recipients.length === 0) {
      return privateReply(listed.value.status === 'done'
        ? `${ref} owes no recipient a notice: no provider on the register received contact data when it finished.`
        : `${ref} owes no recipient a notice yet: they are owed once its deletion is done.`);
    }
    const lines = listed.value.recipients.map((n) => `• ${userText(n.processor)}: ${n.owed_count.toLocaleString('en-GB')} contact(s) deleted, ${n.told_at === null ? `owed since ${n.owed_since.toISOString().slice(0, 10)}; CRM ids in ${n.file_name ?? '(none had one)'}` : `told ${n.told_at.toISOString().slice(0, 10)}`}`);
    return privateReply([`Recipients of ${ref} (Art 19):`, ...lines, `Record one with /dsr recipients ${ref} told <processor>`].join('\n'));
  }
  if (verb.toLowerCase() !== 'told') return mistake(usage, `"${userText(verb.slice(0, 30))}" is not something to do with recipients: say told <processor>`);
  const name = freeText(rest);
  if (name === null) return mistake(usage, 'Say which provider was told, as the register of service providers names it');
  const told = await recordPurgeRecipientTold(ctx.services, ctx.actor, { reference: ref, processor: name });
  if (!told.ok) return mistake(usage, told.error);
  return privateReply(told.value.already
    ? `${userText(told.value.processor)} was already recorded as told for ${ref}; nothing changed.`
    : `Recorded ${userText(told.value.processor)} as told of ${ref}'s deletions; its file of CRM ids was removed.`);
}
