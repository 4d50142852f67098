import { privateReply } from '../src/chat/reply.js';
import type { PauseKind } from '../src/register/pauses.js';
import { PAUSE_KINDS, pauseRequest } from '../src/services/pause-request.js';
import { freeText, MAX_FREE_TEXT, mistake, oneOf, requestRef } from './arguments.js';
import type { ChatCommand } from './command.js';

const USAGE = '/dsr pause <ref> <identity|authority|clarification|fee> [note]';
const KINDS = Object.keys(PAUSE_KINDS) as PauseKind[];

/**
 * Members only: stopping the statutory clock is a committee decision. `authority` is the agent's
 * proof of authority (CONTRACT lists identity, clarification and fee; authority is the fourth
 * reason Art 12A allows).
 */
export const dsrPause: ChatCommand = {
  name: 'dsr pause',
  usage: USAGE,
  summary: 'stop the statutory clock while information is awaited',
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
    return privateReply(`The clock of ${ref.value} is paused from today while waiting for ${PAUSE_KINDS[kind.value]}. When it arrives: /dsr resume ${ref.value} (the paused days, both ends included, are then added to the due date).`);
  },
};
