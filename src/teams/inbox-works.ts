import { TurnContext, type Activity } from 'botbuilder';
import type { Config } from '../config.js';
import type { InboxWork, Payload } from '../inbox/work.js';
import type { Logger } from '../logger.js';
import { textActivity } from './activities.js';
import { createProactiveAdapter } from './bot-auth.js';
import { answerCommandMessage, MESSAGE_WORK, messageMayRepeat } from './commands.js';
import { replyPrivately } from './replies.js';
import { createTeamsDeps } from './turn-kit.js';

/**
 * What the inbox does with a recorded Teams message, where the inbox workers run (the background
 * thread): the message is answered in a turn of its own, opened on the conversation it came from
 * (as the outbox posts cards), with the recorded activity as the turn's activity. Replies then go
 * where they went when they were sent in the message's own turn: in its thread, or privately.
 */
export function teamsInboxWorks(options: { config: Config; logger: Logger }): [string, InboxWork][] {
  const logger = options.logger.child({ component: 'teams' });
  const appId = options.config.teams.appId ?? '';
  const adapter = createProactiveAdapter(options.config);
  const inTurnOf = async (payload: Payload, act: (context: TurnContext) => Promise<void>): Promise<void> => {
    const activity = payload as unknown as Activity;
    await adapter.continueConversationAsync(appId, TurnContext.getConversationReference(activity), async (opened) => {
      const context = new TurnContext(opened.adapter, activity);
      // The opened turn's connector client (signed for this service URL) sends the replies.
      for (const [key, value] of opened.turnState) context.turnState.set(key, value);
      await act(context);
    });
  };
  return [[MESSAGE_WORK, {
    run: (payload, services) => inTurnOf(payload, (context) => answerCommandMessage(context, createTeamsDeps(services, logger, appId))),
    repeatable: (payload) => messageMayRepeat(payload as unknown as Activity),
    tell: (payload, text) => inTurnOf(payload, (context) => replyPrivately(context, { logger }, textActivity(text))),
  }]];
}
