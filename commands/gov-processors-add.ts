import { formatDateWithWeekday } from '../src/domain/dates.js';
import { privateReply } from '../src/chat/reply.js';
import { userText } from '../src/chat/mention.js';
import { addProcessor } from '../src/services/processors.js';
import { freeText, MAX_FREE_TEXT, mistake } from './arguments.js';
import type { ChatCommand } from './command.js';

const USAGE = '/gov processors add <name> <purpose> [--no-contact-data]';

/**
 * Members only. The name is the first word, or a quoted phrase for a name of several words
 * (`add "Google Workspace" email and documents`); the rest is the purpose.
 */
export const govProcessorsAdd: ChatCommand = {
  name: 'gov processors add',
  usage: USAGE,
  summary: 'add a service provider to the register (quote a name of several words); first review due in a year',
  access: 'member',
  async run(ctx, args) {
    const noContactData = args.some((a) => a.toLowerCase() === '--no-contact-data');
    const [name, ...rest] = args.filter((a) => a.toLowerCase() !== '--no-contact-data');
    if (name === undefined) return mistake(USAGE, 'Give the provider\'s name and what it does, e.g. /gov processors add "Google Workspace" email and documents');
    const purpose = freeText(rest);
    if (purpose === null) return mistake(USAGE, `Say what ${userText(name)} does with personal data after its name (quote a name of several words, e.g. "Google Workspace")`);
    if (purpose.length > MAX_FREE_TEXT) return mistake(USAGE, `Keep the purpose to ${MAX_FREE_TEXT} characters`);
    const added = await addProcessor(ctx.services, ctx.actor, { name, purpose, receivesContactData: !noContactData });
    if (!added.ok) return mistake(USAGE, added.error);
    const p = added.value;
    return privateReply(`Added ${userText(p.name)} to the register of service providers (purpose: ${userText(p.purpose)}). First yearly review due ${formatDateWithWeekday(p.next_review_on)}. ${p.receives_contact_data ? 'It receives contact data, so it is owed an Art 19 notice after each rectification, erasure or restriction.' : 'It receives no contact data: no Art 19 notices are owed to it.'}`);
  },
};
