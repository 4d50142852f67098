import type { Activity, TurnContext } from 'botbuilder';
import type { Card } from '../chat/card.js';
import { castVote } from '../services/cast-vote.js';
import { acknowledgeComplaintByClick } from '../services/complaints.js';
import { isCommitteeMember } from '../services/committee-members.js';
import { cardShownIn, latestCard, postedHere, type CardPlace, type CardWhere } from '../services/posted-card.js';
import { recipientToldText, recordRecipientToldByClick } from '../services/recipients.js';
import { bareConversationId, plainText, textActivity } from './activities.js';
import { ADAPTIVE_CARD_CONTENT_TYPE, cardToAdaptiveCard, reasonInputId, VERBS, type AdaptiveCard, type NameOf, type Notice } from './adaptive-card.js';
import { isRecord } from './form-card.js';
import { replyPrivately } from './replies.js';
import { actorCandidates, actorFor, type TeamsDeps } from './turn-kit.js';

/**
 * Buttons on committee cards. Universal Actions (`adaptiveCard/action` invokes) are answered with
 * the card as it now stands, a line on top telling the clicker what happened; everyone else gets
 * the same card through the outbox's update, and through refresh when they look at it. A vote
 * Teams delivers twice counts once (unique vote key) and the second answer says so.
 */
export type InvokeAnswer =
  | { readonly statusCode: 200; readonly type: typeof ADAPTIVE_CARD_CONTENT_TYPE; readonly value: AdaptiveCard }
  | { readonly statusCode: 200; readonly type: 'application/vnd.microsoft.activity.message'; readonly value: string };

export const BROKEN_BUTTON = 'That button carries no valid vote (the card may be from another installation); nothing was changed.';
export const MAX_REASON = 1000;

/** What a card action reads of its turn: the activity alone. */
type ActionContext = Pick<TurnContext, 'activity'>;

export function isCardAction(context: TurnContext): Promise<boolean> {
  return Promise.resolve(context.activity.type === 'invoke' && context.activity.name === 'adaptiveCard/action');
}

export async function onCardAction(context: TurnContext, deps: TeamsDeps): Promise<void> {
  await context.sendActivity({ type: 'invokeResponse', value: { status: 200, body: await cardActionAnswer(context.activity, deps) } });
}

/** The invoke response's body for a card action (also answered ahead of the SDK: hot-messages.ts). Never throws. */
export function cardActionAnswer(activity: Activity, deps: TeamsDeps): Promise<InvokeAnswer> {
  return deps.guard('adaptiveCard/action', () => answerAction({ activity }, deps), async (message) => messageAnswer(message));
}

async function answerAction(context: ActionContext, deps: TeamsDeps): Promise<InvokeAnswer> {
  const action: unknown = isRecord(context.activity.value) ? context.activity.value.action : undefined;
  const verb = isRecord(action) && typeof action.verb === 'string' ? action.verb : '';
  const data = isRecord(action) ? action.data : undefined;
  switch (verb) {
    case VERBS.vote: return vote(context, deps, data);
    case VERBS.refresh: return refresh(context, deps, data);
    case VERBS.acknowledge: return acknowledge(context, deps, data);
    case VERBS.recipientTold: return recipientTold(context, deps, data);
    default:
      return messageAnswer(`govbot has no action "${verb.slice(0, 40)}" (the card may come from an older or newer version); nothing was changed.`);
  }
}

async function vote(context: ActionContext, deps: TeamsDeps, data: unknown): Promise<InvokeAnswer> {
  const input = readVote(data);
  if (!input) return messageAnswer(BROKEN_BUTTON);
  // Who is voting (actorFor) is read with the vote's locks.
  const { as, orAs } = actorCandidates(context.activity);
  const result = await castVote(deps.services, as, input, orAs);
  const notice: Notice = result.ok ? { text: result.value.message, tone: 'good' } : { text: result.error, tone: 'attention' };
  // The card comes back only to a member (a counted vote is a member's), and only the card of the
  // message pressed: the key is the caller's to name, and a card names a subject and the committee's business.
  const inHand = votedCard(context, input.cardKey, result.ok ? result.value.card : null);
  const member = result.ok || await isCommitteeMember(deps.services, await actorFor(deps.services, context.activity));
  const card = inHand !== undefined ? inHand : member ? await cardHere(context, deps, input.cardKey) : null;
  const nameOf = await deps.names.nameOf(notice.text, card);
  return card ? cardAnswer(cardToAdaptiveCard(card, { notice, nameOf })) : messageAnswer(notice.text, nameOf);
}

async function acknowledge(context: ActionContext, deps: TeamsDeps, data: unknown): Promise<InvokeAnswer> {
  const complaintId = isRecord(data) && Number.isSafeInteger(data.complaintId) && (data.complaintId as number) > 0 ? data.complaintId as number : null;
  if (complaintId === null) return messageAnswer('That button carries no valid complaint (the card may be from another installation); nothing was changed.');
  const result = await acknowledgeComplaintByClick(deps.services, await actorFor(deps.services, context.activity), complaintId);
  const notice: Notice = result.ok ? { text: result.value.message, tone: 'good' } : { text: result.error, tone: 'attention' };
  const card = await currentCard(deps, `complaint:${complaintId}`);
  const nameOf = await deps.names.nameOf(notice.text, card);
  return card ? cardAnswer(cardToAdaptiveCard(card, { notice, nameOf })) : messageAnswer(notice.text, nameOf);
}

/** `Told <provider>` on a request card (Art 19): recorded as `/dsr recipients <ref> told` does, members only. */
async function recipientTold(context: ActionContext, deps: TeamsDeps, data: unknown): Promise<InvokeAnswer> {
  const id = (key: string) => (isRecord(data) && Number.isSafeInteger(data[key]) && (data[key] as number) > 0 ? data[key] as number : null);
  const requestId = id('requestId');
  const processorId = id('processorId');
  if (requestId === null || processorId === null) return messageAnswer('That button carries no valid request or provider (the card may be from another installation); nothing was changed.');
  const actor = await actorFor(deps.services, context.activity);
  const result = await recordRecipientToldByClick(deps.services, actor, { requestId, processorId });
  const notice: Notice = result.ok ? { text: recipientToldText(result.value), tone: 'good' } : { text: result.error, tone: 'attention' };
  const cardKey = `request:${requestId}`;
  // As for votes: the card only to a member, and only in the message it was posted in.
  const card = result.ok ? await cardHere(context, deps, cardKey) : null;
  return card ? cardAnswer(cardToAdaptiveCard(card, { notice })) : messageAnswer(notice.text);
}

/**
 * Teams asks for the current card when someone views it. Only for the message the card is in:
 * the key comes from the card's own data, and a crafted invoke naming another card's key from some
 * other conversation must not read that card.
 */
async function refresh(context: ActionContext, deps: TeamsDeps, data: unknown): Promise<InvokeAnswer> {
  const cardKey = isRecord(data) && typeof data.cardKey === 'string' ? data.cardKey : null;
  const card = cardKey ? await cardHere(context, deps, cardKey) : null;
  return card ? cardAnswer(cardToAdaptiveCard(card, { nameOf: await deps.names.nameOf(card) })) : messageAnswer('This card is not one govbot can refresh here; dsr show with the card\'s reference has the current state.');
}

/**
 * The Action.Submit fallback for clients without Universal Actions: the click arrives as a message
 * with the button's data as its value. The outcome goes to the clicker privately; the card itself
 * is updated for everyone by the outbox.
 */
export async function onVoteSubmit(context: TurnContext, deps: TeamsDeps, data: unknown): Promise<void> {
  await deps.guard('vote (Action.Submit)', async () => {
    const input = readVote(data);
    const result = input ? await castVote(deps.services, await actorFor(deps.services, context.activity), input) : null;
    const text = result === null ? BROKEN_BUTTON : result.ok ? result.value.message : result.error;
    await replyPrivately(context, deps, textActivity(text, undefined, await deps.names.nameOf(text)));
  }, (message) => replyPrivately(context, deps, textActivity(message)));
}

export function readVote(data: unknown): { proposalId: number; decision: 'approve' | 'reject'; cardKey: string; reason?: string } | null {
  if (!isRecord(data)) return null;
  const proposalId = Number(data.proposalId);
  const { decision, cardKey } = data;
  if (!Number.isSafeInteger(proposalId) || proposalId <= 0 || (decision !== 'approve' && decision !== 'reject') || typeof cardKey !== 'string') return null;
  const typed = data[reasonInputId(proposalId)];
  const reason = typeof typed === 'string' ? typed.trim().slice(0, MAX_REASON) : undefined;
  return { proposalId, decision, cardKey, ...(decision === 'reject' && reason !== undefined ? { reason } : {}) };
}

/** The card `cardKey` as it stands, if it is the one in the message the invoke came from. */
async function cardHere(context: ActionContext, deps: TeamsDeps, cardKey: string): Promise<Card | null> {
  const card = await cardShownIn(deps.services, 'teams', cardKey, whereFrom(context.activity));
  return isCard(card) ? card : null;
}

/**
 * A counted vote on the card's own request hands back the card it queued and where it was posted:
 * that card (or none, when it is not the card in this message) without reading it again. Undefined
 * when the vote did not (another card's key, a purge's card): the caller reads it.
 */
function votedCard(context: ActionContext, cardKey: string, voted: { readonly card: Card; readonly postedIn: readonly CardPlace[] } | null): Card | null | undefined {
  if (!voted || voted.card.key !== cardKey) return undefined;
  return postedHere(voted.postedIn, 'teams', whereFrom(context.activity)) ? voted.card : null;
}

function whereFrom(activity: Activity): CardWhere {
  return { messageId: activity.replyToId, channel: bareConversationId(activity.conversation.id) };
}

async function currentCard(deps: TeamsDeps, cardKey: string): Promise<Card | null> {
  const card = await latestCard(deps.services, 'teams', cardKey);
  return isCard(card) ? card : null;
}

function isCard(value: unknown): value is Card {
  return isRecord(value) && typeof value.key === 'string' && typeof value.title === 'string' && typeof value.reference === 'string'
    && typeof value.status === 'string' && Array.isArray(value.facts) && Array.isArray(value.sections) && typeof value.summary === 'string';
}

function cardAnswer(card: AdaptiveCard): InvokeAnswer {
  return { statusCode: 200, type: ADAPTIVE_CARD_CONTENT_TYPE, value: card };
}

function messageAnswer(text: string, nameOf?: NameOf): InvokeAnswer {
  return { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: plainText(text, nameOf) };
}
