import { TeamsInfo, type Activity, type TurnContext } from 'botbuilder';
import { dispatchCommand, mayRepeat } from '../../commands/dispatch.js';
import type { InboxRecorder, Recorded } from '../inbox/recorder.js';
import { NOT_RECORDED } from '../inbox/work.js';
import { textActivity } from './activities.js';
import { mentionsOf, NOT_A_COMMAND, parseCommand, plainCommandText, type Mention } from './message-text.js';
import { replyPrivately, sendReply } from './replies.js';
import { actorFor, type TeamsDeps } from './turn-kit.js';
import { rememberNames } from './activity-names.js';

export const MESSAGE_WORK = 'teams-message';

/**
 * A message to the bot (`@govbot dsr list` in a channel or group chat, `dsr list` in a personal
 * chat) is recorded in the inbox and the turn ends: Teams gets its 200 at once, and the inbox
 * worker answers it (answerCommandMessage) in a turn of its own, as Slack's slash commands are.
 * The activity's id is the replay key, so a message Teams delivers again (it retries a turn it
 * thinks went unanswered) is acted on once, on any replica. Teams delivers channel and group
 * messages only when the bot is @mentioned, and every message in a personal chat.
 */
export async function onCommandMessage(context: TurnContext, deps: TeamsDeps, inbox: InboxRecorder): Promise<void> {
  const outcome = await recordMessage(context.activity, inbox);
  // Nothing was recorded, so nothing will be done: the person may send it again.
  if (outcome === 'failed') await replyPrivately(context, deps, textActivity(NOT_RECORDED)).catch(() => undefined);
}

/** The message, recorded for the inbox with its replay key (also by hot-messages.ts, ahead of the SDK's turn). */
export function recordMessage(activity: Activity, inbox: InboxRecorder): Promise<Recorded> {
  const key = activity.id ? `teams:${activity.conversation.id}:${activity.id}` : null;
  return inbox.record(MESSAGE_WORK, { ...activity } as unknown as Record<string, unknown>, key);
}

/** Whether an interrupted message may run again: reading commands change nothing, and an intake is found again by its delivery key. */
export function messageMayRepeat(activity: Pick<Activity, 'text' | 'entities' | 'recipient'>): boolean {
  const parsed = parseCommand(plainCommandText(activity.text ?? '', mentionsOf(activity.entities), activity.recipient?.id, (m) => m.id));
  return parsed.kind === 'other' || mayRepeat(parsed.root, parsed.text);
}

/** The shared dispatcher and its Reply, for a recorded message, in the inbox worker's turn. */
export async function answerCommandMessage(context: TurnContext, deps: TeamsDeps): Promise<void> {
  const activity = context.activity;
  await deps.guard('message', async () => {
    const by = await actorFor(deps.services, activity);
    const text = await commandText(context, deps);
    const parsed = parseCommand(text);
    if (parsed.kind === 'other') {
      await replyPrivately(context, deps, textActivity(NOT_A_COMMAND));
      return;
    }
    const reply = await dispatchCommand({ services: deps.services, actor: by }, parsed.root, parsed.text);
    await sendReply(context, deps, reply);
  }, (message) => replyPrivately(context, deps, textActivity(message)));
}

/** Only messages people typed: an Action.Submit arrives as a message with a value and no text. */
export function isTypedMessage(context: TurnContext): Promise<boolean> {
  const { type, text } = context.activity;
  return Promise.resolve(type === 'message' && typeof text === 'string' && text.trim() !== '');
}

async function commandText(context: TurnContext, deps: TeamsDeps): Promise<string> {
  const activity = context.activity;
  const mentions = mentionsOf(activity.entities);
  const ids = new Map<string, string>();
  for (const mention of mentions) {
    if (mention.id === activity.recipient.id || ids.has(mention.id)) continue;
    const userId = await userIdOf(context, deps, mention);
    ids.set(mention.id, userId);
    // The id looked up in the roster may be one the mention did not carry: name it too.
    if (userId !== mention.id && userId !== mention.aadObjectId && mention.name) await rememberNames(deps, [{ identity: `teams:${userId}`, name: mention.name }]);
  }
  return plainCommandText(activity.text ?? '', mentions, activity.recipient.id, (m) => ids.get(m.id) ?? m.id);
}

/**
 * The id a mentioned person votes under: their Entra object id, as in actorFor. Teams does not
 * always put it in the mention, so it is looked up in the team or chat roster; if that fails the
 * Bot Framework id is used (a chair can still name someone as teams:<object id>).
 */
async function userIdOf(context: TurnContext, deps: TeamsDeps, mention: Mention): Promise<string> {
  if (mention.aadObjectId) return mention.aadObjectId;
  try {
    return (await TeamsInfo.getMember(context, mention.id)).aadObjectId ?? mention.id;
  } catch (error) {
    deps.logger.info({ reason: error instanceof Error ? error.message : String(error) }, 'teams: could not look up a mentioned user; using their Bot Framework id');
    return mention.id;
  }
}
