import type { Knex } from 'knex';
import type { Card } from '../chat/card.js';
import { renderRequestCard } from '../chat/cards/request-card.js';
import type { Platform } from '../register/committee.js';
import { deferWrite } from '../register/audit-events.js';
import { enqueueMessage, enqueueMessageSql, type NewOutboxMessage } from '../register/outbox.js';
import type { ClockEnv } from './request-clock.js';
import { loadRequestView } from './request-view.js';

/**
 * Cards reach chat only through the outbox, in the transaction of the change they show. A post
 * creates the card in the committee channel; an update re-renders it in place from the register.
 */
export async function postCard(trx: Knex.Transaction, platform: Platform, card: Card): Promise<void> {
  await enqueueMessage(trx, cardPost(platform, card));
}

/** The outbox message that posts `card`, for a caller that writes it in a statement of its own making. */
export function cardPost(platform: Platform, card: Card): NewOutboxMessage {
  return { platform, operation: 'post', channel: null, card_key: card.key, payload: { card } };
}

export async function updateCard(trx: Knex.Transaction, platform: Platform, card: Card): Promise<void> {
  await enqueueMessage(trx, { platform, operation: 'update', channel: null, card_key: card.key, payload: { card } });
}

/** A message of its own in the committee channel (reminders, reports), not tied to a card. */
export async function postNotice(trx: Knex.Transaction, platform: Platform, text: string, key: string | null = null): Promise<void> {
  await enqueueMessage(trx, { platform, operation: 'post', channel: null, card_key: key, payload: { text } });
}

/** `env` gives the clock its region and today: the card shows the clock as of the change. */
export async function refreshRequestCard(trx: Knex.Transaction, requestId: number, env: ClockEnv): Promise<void> {
  const view = await loadRequestView(trx, requestId, env);
  const platform = (view.request.details.platform as Platform | undefined) ?? 'slack';
  await updateCard(trx, platform, renderRequestCard(view));
}

/**
 * refreshRequestCard for a transaction that ends with commitWithAuditEvents (cast-vote.ts): the card's
 * outbox row is sent with the deferred audit events, in their one round trip. `writesFirst` (statements
 * with their values written in) are sent with the card's read, before it. Returns the card queued.
 */
export async function refreshRequestCardAtFlush(trx: Knex.Transaction, requestId: number, env: ClockEnv, writesFirst: readonly string[] = []): Promise<Card> {
  const view = await loadRequestView(trx, requestId, env, writesFirst);
  const platform = (view.request.details.platform as Platform | undefined) ?? 'slack';
  const card = renderRequestCard(view);
  deferWrite(trx, enqueueMessageSql({ platform, operation: 'update', channel: null, card_key: card.key, payload: { card } }));
  return card;
}
