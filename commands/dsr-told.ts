import { privateReply } from '../src/chat/reply.js';
import { parseOptions } from '../src/domain/command-grammar.js';
import { NOTICE_KIND_NAMES } from '../src/domain/notices-owed.js';
import { recordTold, toldText } from '../src/services/notices-owed.js';
import { mistake, onDate, oneOf, requestRef } from './arguments.js';
import type { ChatCommand } from './command.js';

const USAGE = `/dsr told <ref> <${NOTICE_KIND_NAMES.join('|')}> [--on YYYY-MM-DD]`;

/** Members only: records that the individual was told what the law says they must be (Art 12(3)–(4)). */
export const dsrTold: ChatCommand = {
  name: 'dsr told',
  usage: USAGE,
  summary: 'record that the individual was told of an extension, a refusal, a rejected identity, the outcome, a restriction to be lifted or records kept under legal hold',
  access: 'member',
  async run(ctx, args) {
    const parsed = parseOptions(args, ['on']);
    if (!parsed.ok) return mistake(USAGE, parsed.error);
    const [refWord, kindWord, ...extra] = parsed.value.positionals;
    const ref = requestRef(refWord);
    if (!ref.ok) return mistake(USAGE, ref.error);
    const kind = oneOf(kindWord, NOTICE_KIND_NAMES, 'notice');
    if (!kind.ok) return mistake(USAGE, kind.error);
    if (extra.length > 0) return mistake(USAGE, `Only --on may follow the notice, not "${extra.join(' ').slice(0, 60)}"`);
    const day = onDate(parsed.value.options.on);
    if (!day.ok) return mistake(USAGE, day.error);
    const on = day.value;
    const told = await recordTold(ctx.services, ctx.actor, { reference: ref.value, kind: kind.value, on });
    if (!told.ok) return mistake(USAGE, told.error);
    return privateReply(toldText(told.value));
  },
};
