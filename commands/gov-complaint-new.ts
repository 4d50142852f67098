import { parseComplaintChannel } from '../src/domain/complaints.js';
import { parseIsoDate } from '../src/domain/dates.js';
import { parseOptions } from '../src/domain/command-grammar.js';
import { privateReply } from '../src/chat/reply.js';
import { logComplaint } from '../src/services/complaints.js';
import { freeText, mistake } from './arguments.js';
import type { ChatCommand } from './command.js';

const USAGE = '/gov complaint new <email> <summary> [--received YYYY-MM-DD] [--about <DSR-…|BR-…>] [--via email|phone|post|web|chat] [--name "full name"]';

/**
 * Members only. Logs a complaint that reached the committee another way (an email, a call, a
 * letter): the 30-day acknowledgement clock runs from `--received` (default today), and the card
 * goes to the committee channel.
 */
export const govComplaintNew: ChatCommand = {
  name: 'gov complaint new',
  usage: USAGE,
  summary: 'log a complaint about the handling of personal data (DPA 2018 s.164A): acknowledge within 30 days',
  access: 'member',
  async run(ctx, args) {
    const parsed = parseOptions(args, ['received', 'about', 'via', 'name']);
    if (!parsed.ok) return mistake(USAGE, parsed.error);
    const [email, ...words] = parsed.value.positionals;
    if (email === undefined) return mistake(USAGE, "Give the complainant's email and what the complaint is about");
    const summary = freeText(words);
    if (summary === null) return mistake(USAGE, 'Say what the complaint is about, e.g. /gov complaint new jo@example.com "no reply to my access request"');
    const { received, about, via, name } = parsed.value.options;
    let receivedOn = null;
    if (typeof received === 'string') {
      const date = parseIsoDate(received);
      if (!date.ok) return mistake(USAGE, `--received: ${date.error}`);
      receivedOn = date.value;
    }
    const channel = typeof via === 'string' ? parseComplaintChannel(via) : null;
    if (channel && !channel.ok) return mistake(USAGE, channel.error);
    const logged = await logComplaint(ctx.services, ctx.actor, {
      email, name: typeof name === 'string' ? name : null, summary, receivedOn,
      via: channel?.ok ? channel.value : 'email', about: typeof about === 'string' ? about : null,
    });
    if (!logged.ok) return mistake(USAGE, logged.error);
    const c = logged.value;
    return privateReply(`Logged complaint ${c.reference}. Acknowledge it to the complainant by ${c.ack_due_on} (30 days, DPA 2018 s.164A), then record it with the card's Acknowledge complaint button or /gov complaint ack ${c.reference}; the outcome is due by ${c.outcome_due_on}.`);
  },
};
