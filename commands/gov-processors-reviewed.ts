import { formatDateWithWeekday } from '../src/domain/dates.js';
import { privateReply } from '../src/chat/reply.js';
import { userText } from '../src/chat/mention.js';
import { reviewProcessor } from '../src/services/processors.js';
import { freeText, mistake } from './arguments.js';
import type { ChatCommand } from './command.js';

const USAGE = '/gov processors reviewed <name>';

/** Members only. Every word after `reviewed` is the name, so quotes are optional here; case is ignored. */
export const govProcessorsReviewed: ChatCommand = {
  name: 'gov processors reviewed',
  usage: USAGE,
  summary: 'record the yearly review of a provider\'s safeguards and data processing agreement; next review a year on',
  access: 'member',
  async run(ctx, args) {
    const name = freeText(args);
    if (name === null) return mistake(USAGE, 'Give the provider\'s name as /gov processors lists it, e.g. /gov processors reviewed HubSpot CRM');
    const reviewed = await reviewProcessor(ctx.services, ctx.actor, name);
    if (!reviewed.ok) return mistake(USAGE, reviewed.error);
    const p = reviewed.value.processor;
    return privateReply(`Recorded the review of ${userText(p.name)} on ${formatDateWithWeekday(p.last_reviewed_on ?? p.next_review_on)}. Next review due ${formatDateWithWeekday(p.next_review_on)}.`);
  },
};
