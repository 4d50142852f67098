import { privateReply } from '../src/chat/reply.js';
import { userText } from '../src/chat/mention.js';
import { recipientsOfRequest, recipientToldText, recordRecipientTold } from '../src/services/recipients.js';
import { freeText, mistake, requestRef } from './arguments.js';
import type { ChatCommand } from './command.js';

const USAGE = '/dsr recipients <ref> [told <processor>]';

/** Art 19: who must be told of a rectification, erasure or restriction, and recording each as told. */
export const dsrRecipients: ChatCommand = {
  name: 'dsr recipients',
  usage: USAGE,
  summary: 'the recipients owed an Art 19 notice after a rectification, erasure or restriction; record one as told',
  access: 'member',
  async run(ctx, args) {
    const [refWord, verb, ...rest] = args;
    const ref = requestRef(refWord);
    if (!ref.ok) return mistake(USAGE, ref.error);
    if (verb === undefined) {
      const listed = await recipientsOfRequest(ctx.services, ref.value);
      if (!listed.ok) return mistake(USAGE, listed.error);
      if (listed.value.length === 0) return privateReply(`${ref.value} owes no recipient a notice: none is owed until a rectification, erasure or restriction is carried out.`);
      const lines = listed.value.map((n) => `• ${userText(n.processor)} (${n.change}): ${n.told_at === null ? `owed since ${n.owed_since.toISOString().slice(0, 10)}` : `told ${n.told_at.toISOString().slice(0, 10)}`}`);
      return privateReply([`Recipients of ${ref.value} (Art 19):`, ...lines, `Record one with /dsr recipients ${ref.value} told <processor>`].join('\n'));
    }
    if (verb.toLowerCase() !== 'told') return mistake(USAGE, `"${userText(verb.slice(0, 30))}" is not something to do with recipients: say told <processor>`);
    const name = freeText(rest);
    if (name === null) return mistake(USAGE, 'Say which provider was told, as the register of service providers names it');
    const told = await recordRecipientTold(ctx.services, ctx.actor, { reference: ref.value, processor: name });
    if (!told.ok) return mistake(USAGE, told.error);
    return privateReply(recipientToldText(told.value));
  },
};
