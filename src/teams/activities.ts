import type { Activity, ConversationReference } from 'botbuilder';
import type { Card } from '../chat/card.js';
import { renderMentions } from '../chat/mention.js';
import { inPlatformSyntax } from '../chat/platform-syntax.js';
import { ADAPTIVE_CARD_CONTENT_TYPE, cardToAdaptiveCard, memberLabel, type AdaptiveCard, type NameOf } from './adaptive-card.js';
import { isRecord } from './form-card.js';

/**
 * The message activities govbot sends to Teams, built from the platform-neutral model. Pure (the
 * botbuilder import is types only). Text goes as plain text: Teams then renders nothing in it as
 * Markdown or HTML, so nothing a person typed can format a reply or smuggle in a link.
 */
export type OutgoingActivity = Partial<Activity>;

/** Teams refuses messages over about 40 KB (UTF-16); replies are cut well before that. */
export const MAX_TEXT = 12_000;

/** In Teams syntax (src/chat/platform-syntax.ts), with members by name where one is known. */
export function plainText(text: string, nameOf?: NameOf): string {
  const rendered = renderMentions(inPlatformSyntax(text, 'teams'), (key) => memberLabel(key, nameOf));
  return rendered.length <= MAX_TEXT ? rendered : `${rendered.slice(0, MAX_TEXT - 60)}…\n(shortened to fit Teams)`;
}

export function attachment(card: AdaptiveCard) {
  return { contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: card };
}

/** A committee card: the Adaptive Card alone, its summary for notifications and old clients. */
export function cardActivity(card: Card, nameOf?: NameOf): OutgoingActivity {
  return { type: 'message', summary: plainText(card.summary, nameOf).slice(0, 250), attachments: [attachment(cardToAdaptiveCard(card, nameOf ? { nameOf } : {}))] };
}

/** A reply or notice: plain text, with a card below it when there is one. */
export function textActivity(text: string, card?: Card | AdaptiveCard, nameOf?: NameOf): OutgoingActivity {
  const activity: OutgoingActivity = { type: 'message', text: plainText(text, nameOf), textFormat: 'plain' };
  if (card) activity.attachments = [attachment('key' in card ? cardToAdaptiveCard(card, nameOf ? { nameOf } : {}) : card)];
  return activity;
}

/**
 * A stored conversation reference (settings or chat_messages, as JSON) checked before use: one
 * without a service URL or conversation id cannot be posted to, and saying so beats a TypeError.
 */
export function asConversationReference(value: unknown): Partial<ConversationReference> | null {
  if (!isRecord(value) || typeof value.serviceUrl !== 'string' || !isRecord(value.conversation) || typeof value.conversation.id !== 'string') return null;
  return value as Partial<ConversationReference>;
}

/**
 * Where proactive cards go for the conversation an activity came from. In a channel Teams appends
 * `;messageid=…` to the conversation id of a thread; without it a post starts a new thread, which
 * is what each card should be. No user and no activity id: proactive posts reply to nobody.
 */
export function committeeReference(activity: Pick<Activity, 'channelId' | 'serviceUrl' | 'conversation' | 'recipient'>): Record<string, unknown> {
  const { id, conversationType, tenantId, isGroup } = activity.conversation;
  return {
    channelId: activity.channelId,
    serviceUrl: activity.serviceUrl,
    bot: { id: activity.recipient.id, name: activity.recipient.name },
    conversation: { id: bareConversationId(id), ...(conversationType ? { conversationType } : {}), ...(tenantId ? { tenantId } : {}), ...(isGroup === undefined ? {} : { isGroup }) },
  };
}

export function bareConversationId(id: string): string {
  return id.replace(/;messageid=\d+$/i, '');
}
