import { parseOptions } from '../src/domain/command-grammar.js';
import { privateReply } from '../src/chat/reply.js';
import { recordComplaintOutcome } from '../src/services/complaints.js';
import { freeText, mistake } from './arguments.js';
import type { ChatCommand } from './command.js';

const USAGE = '/gov complaint outcome <ref> <what the complainant was told> [--inquiries "what was looked into"]';

/** Members only. Records the outcome as told to the complainant and closes the complaint. */
export const govComplaintOutcome: ChatCommand = {
  name: 'gov complaint outcome',
  usage: USAGE,
  summary: 'record the outcome told to the complainant (and the inquiries made); closes the complaint',
  access: 'member',
  async run(ctx, args) {
    const parsed = parseOptions(args, ['inquiries']);
    if (!parsed.ok) return mistake(USAGE, parsed.error);
    const [ref, ...words] = parsed.value.positionals;
    if (ref === undefined) return mistake(USAGE, 'Give the complaint reference, e.g. CMP-2026-001');
    const outcome = freeText(words);
    if (outcome === null) return mistake(USAGE, `Say what the complainant was told, e.g. /gov complaint outcome ${ref.slice(0, 20)} apologised; the export was sent on 3 March`);
    const inquiries = parsed.value.options.inquiries;
    const done = await recordComplaintOutcome(ctx.services, ctx.actor, { reference: ref, outcome, inquiries: typeof inquiries === 'string' ? inquiries : null });
    return done.ok ? privateReply(done.value.message) : mistake(USAGE, done.error);
  },
};
