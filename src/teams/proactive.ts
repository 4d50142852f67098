import type { ConversationReference, TurnContext } from 'botbuilder';
import { DeliveryError } from '../chat/port.js';
import type { Config } from '../config.js';
import type { OutgoingActivity } from './activities.js';
import { createProactiveAdapter } from './bot-auth.js';

/**
 * Posting and updating outside any incoming turn: `continueConversationAsync` opens a turn on the
 * stored conversation reference and the activity goes out through the connector it creates. The
 * port imports this module only when it has something to send (botbuilder takes most of a second to
 * load, and the outbox's worker threads start afresh on every run).
 */
export interface ProactiveConnector {
  post(reference: Partial<ConversationReference>, activity: OutgoingActivity): Promise<string>;
  update(reference: Partial<ConversationReference>, messageId: string, activity: OutgoingActivity): Promise<void>;
}

export function createProactiveConnector(config: Pick<Config, 'teams'>, timeoutMs?: number): ProactiveConnector {
  const adapter = createProactiveAdapter(config, timeoutMs);
  const appId = config.teams.appId ?? '';
  return {
    async post(reference, activity) {
      let id: string | undefined;
      await adapter.continueConversationAsync(appId, reference, async (context) => {
        postAsNewMessage(context);
        id = (await context.sendActivity(activity))?.id;
      });
      // Without an id the card could never be updated; posting it again would not help either.
      if (!id) throw new DeliveryError('teams post: the Bot Connector accepted the message but gave no activity id to update it by', { permanent: true });
      return id;
    },
    async update(reference, messageId, activity) {
      await adapter.continueConversationAsync(appId, reference, async (context) => {
        await context.updateActivity({ ...activity, id: messageId });
      });
    },
  };
}

/**
 * The SDK addresses everything sent in a turn as a reply to the turn's activity; in a proactive
 * turn that is a made-up continuation id. Without replyToId the post is a new message (in a
 * channel, a new thread) rather than a reply to an id Teams never issued.
 */
export function postAsNewMessage(context: TurnContext): void {
  context.onSendActivities(async (_context, activities, next) => {
    for (const activity of activities) delete activity.replyToId;
    return next();
  });
}
