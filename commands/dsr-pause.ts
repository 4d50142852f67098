import { privateReply } from '../src/chat/reply.js';
import { formatDateWithWeekday } from '../src/domain/dates.js';
import type { PauseKind } from '../src/services/pause-request.js';
import { PAUSE_KINDS, pauseRequest } from '../src/services/pause-request.js';
import { freeText, MAX_FREE_TEXT, mistake, oneOf, requestRef } from './arguments.js';
import type { ChatCommand } from './command.js';

const USAGE = '/dsr pause <ref> <identity|authority|clarification|fee> [note]';
const KINDS = Object.keys(PAUSE_KINDS) as PauseKind[];

/**
 * Members only: what the committee asks of the individual decides the clock (Art 12A). identity,
 * authority (an agent's proof) and fee: the clock has not started until the answer arrives;
 * clarification: an access request's running clock stops. A fee needs the finding first:
 * `fee unfounded|excessive <why>`.
 */
export const dsrPause: ChatCommand = {
  name: 'dsr pause',
  usage: USAGE,
  summary: 'record that identity, authority or a fee is awaited (the clock starts afresh when it arrives), or stop an access request\'s clock for clarification',
  access: 'member',
  async run(ctx, args) {
    const [refWord, kindWord, ...rest] = args;
    const ref = requestRef(refWord);
    if (!ref.ok) return mistake(USAGE, ref.error);
    const kind = oneOf(kindWord, KINDS, 'reason to pause');
    if (!kind.ok) return mistake(USAGE, kind.error);
    const note = freeText(rest);
    if (note !== null && note.length > MAX_FREE_TEXT) return mistake(USAGE, `Keep the note to ${MAX_FREE_TEXT} characters`);
    const paused = await pauseRequest(ctx.services, ctx.actor, { reference: ref.value, kind: kind.value, note });
    if (!paused.ok) return mistake(USAGE, paused.error);
    const r = ref.value;
    if (kind.value === 'clarification') {
      return privateReply(`The clock of ${r} is stopped from today for clarification (Art 12A, access requests only). When the answer arrives: /dsr resume ${r} [--on YYYY-MM-DD]; the days from today to that day, both included, do not count.`);
    }
    const was = paused.value.clock.since ?? '';
    return privateReply(`The clock of ${r} has not started: awaiting ${PAUSE_KINDS[kind.value]} since ${was ? formatDateWithWeekday(was) : 'today'}. When it arrives: /dsr resume ${r} [--on YYYY-MM-DD]; the clock then starts afresh, day one, on that day (Art 12A).`);
  },
};
