import type { Activity, ChannelAccount, ConversationParameters, TurnContext } from 'botbuilder';
import type { Reply } from '../chat/reply.js';
import { attachment, textActivity, type OutgoingActivity } from './activities.js';
import { openFormCard } from './form-card.js';
import type { TeamsDeps } from './turn-kit.js';
import { isSharedConversation } from './turn-kit.js';

/**
 * How a command's Reply reaches Teams, which has no ephemeral messages:
 * - `channel`: a reply in the conversation (in a channel, in the thread of the command).
 * - `private`: in a personal chat, a reply there; in a channel or group chat, a message in the
 *   person's own chat with govbot, never in the shared conversation. `/dsr show` and `/dsr list`
 *   carry masked personal data and errors are nobody else's business. If that chat cannot be
 *   opened (govbot not installed for them), the thread gets a pointer saying how, and no content.
 * - `form`: a card with a button that opens the dialog (a message cannot open one by itself),
 *   in the conversation: it carries no data and the dialog opens only for whoever presses it.
 */
export async function sendReply(context: TurnContext, deps: TeamsDeps, reply: Reply): Promise<void> {
  switch (reply.kind) {
    case 'channel':
      await context.sendActivity(textActivity(reply.text, reply.card, await deps.names.nameOf(reply.text, reply.card)));
      return;
    case 'private':
      await replyPrivately(context, deps, textActivity(reply.text, reply.card, await deps.names.nameOf(reply.text, reply.card)));
      return;
    case 'form':
      await context.sendActivity({ type: 'message', summary: reply.form.title, attachments: [attachment(openFormCard(reply.form))] });
  }
}

export const NO_PRIVATE_CHAT = 'I answer this privately, but I could not open a chat with you. Add govbot for yourself (Apps, then govbot, then Add) or message me directly, and ask again.';

export async function replyPrivately(context: TurnContext, deps: Pick<TeamsDeps, 'logger'>, activity: OutgoingActivity): Promise<void> {
  if (!isSharedConversation(context.activity)) {
    await context.sendActivity(activity);
    return;
  }
  try {
    await sendToPersonalChat(context, activity);
  } catch (error) {
    deps.logger.info({ reason: error instanceof Error ? error.message : String(error) }, 'teams: could not open a personal chat; pointing the user to it instead');
    await context.sendActivity(textActivity(NO_PRIVATE_CHAT));
  }
}

/** The bits of the turn's connector client used here (the client class lives in a transitive package). */
interface Conversations {
  createConversation(parameters: ConversationParameters): Promise<{ id?: string }>;
  sendToConversation(conversationId: string, activity: Partial<Activity>): Promise<{ id?: string }>;
}

/**
 * Creates (or, as Teams does for an existing pair, returns) the 1:1 conversation between govbot
 * and the person, through the turn's own connector client: same service URL, same credentials.
 */
async function sendToPersonalChat(context: TurnContext, activity: OutgoingActivity): Promise<void> {
  const incoming = context.activity;
  const client = context.turnState.get<{ conversations: Conversations } | undefined>(context.adapter.ConnectorClientKey);
  if (!client) throw new Error('no connector client in this turn');
  const tenantId = incoming.conversation.tenantId ?? tenantOf(incoming.channelData);
  const user: ChannelAccount = { id: incoming.from.id, name: incoming.from.name };
  const created = await client.conversations.createConversation({
    isGroup: false, bot: incoming.recipient, members: [user],
    ...(tenantId ? { tenantId } : {}),
    channelData: tenantId ? { tenant: { id: tenantId } } : {},
  });
  if (!created.id) throw new Error('the Bot Connector created no conversation');
  await client.conversations.sendToConversation(created.id, {
    ...activity, channelId: incoming.channelId, serviceUrl: incoming.serviceUrl,
    conversation: { id: created.id, isGroup: false, conversationType: 'personal', name: '', ...(tenantId ? { tenantId } : {}) },
    from: incoming.recipient, recipient: user,
  });
}

function tenantOf(channelData: unknown): string | undefined {
  const id = (channelData as { tenant?: { id?: unknown } } | undefined)?.tenant?.id;
  return typeof id === 'string' ? id : undefined;
}
