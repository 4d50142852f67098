import type { Knex } from 'knex';
import type { Card } from '../chat/card.js';
import { DeliveryError, type ChatPort, type OutgoingMessage } from '../chat/port.js';
import { findPostedCard, recordChatMessage } from '../register/chat-messages.js';
import { findReportImage } from '../register/report-images.js';
import type { Platform } from '../register/committee.js';
import { claimNextMessage, deferMessage, hasNewerPendingUpdate, markRetry, markSent, type OutboxRow } from '../register/outbox.js';
import { channelSetHint, committeeChannel, committeeDestination, type CommitteeChannel } from '../services/committee-channel.js';
import { namesFor } from '../services/display-names.js';
import type { JobContext, JobDefinition, JobSummary } from './job.js';

export const MESSAGES_PER_RUN = 100;
export const BASE_RETRY_MS = 5_000;
export const MAX_RETRY_MS = 15 * 60_000;
/** How often a message waiting on set-up (no channel, platform off) is looked at again. */
export const SETUP_WAIT_MS = 60_000;
export const NO_CHANNEL = 'no committee channel yet';

/**
 * Back-off after a failed send: 5 s doubling per attempt, capped at 15 minutes. The platform's
 * Retry-After wins when it gives one (at least a second, so a run never spins on one message); an
 * error marked permanent (bot removed from the channel, say) waits the cap, since only a person can
 * fix it, but the message is never dropped.
 */
export function retryDelayMs(attempts: number, error: unknown): number {
  if (error instanceof DeliveryError) {
    if (error.options.retryAfterMs !== undefined) return Math.max(error.options.retryAfterMs, 1_000);
    if (error.options.permanent) return MAX_RETRY_MS;
  }
  return Math.min(BASE_RETRY_MS * 2 ** Math.min(attempts, 20), MAX_RETRY_MS);
}

type Delivery = 'sent' | 'superseded' | 'retried' | 'waiting';

/**
 * Sends due outbox messages, one transaction each. The send happens while the row is locked
 * (claimed FOR UPDATE SKIP LOCKED), so two replicas never send the same row, and the row is marked
 * sent in the transaction that holds the lock. One window remains: if the process dies after the
 * platform accepted a post but before the commit, the row is still pending and is posted again
 * (a duplicate message, never a lost one). Updates are idempotent, so for them it does not matter.
 */
export async function deliverOutbox(context: JobContext, ports: ReadonlyMap<Platform, ChatPort>, now: Date): Promise<JobSummary> {
  const counts: Record<Delivery, number> = { sent: 0, superseded: 0, retried: 0, waiting: 0 };
  for (let i = 0; i < MESSAGES_PER_RUN; i += 1) {
    const outcome = await context.db.transaction(async (trx) => {
      const row = await claimNextMessage(trx, now);
      return row ? deliver(trx, context, ports, row, now) : null;
    });
    if (outcome === null) return { ...counts, more: false };
    counts[outcome] += 1;
    // The rest waits for the acknowledgements arriving: the loop goes on once they let it.
    if (context.giveWay?.()) return { ...counts, more: true };
  }
  // A full run leaves more behind: the delivery loop goes straight on.
  return { ...counts, more: true };
}

async function deliver(trx: Knex.Transaction, context: JobContext, ports: ReadonlyMap<Platform, ChatPort>, row: OutboxRow, now: Date): Promise<Delivery> {
  // The newer update carries the latest state of the card: sending this one too would only flicker.
  if (row.operation === 'update' && await hasNewerPendingUpdate(trx, row)) {
    await markSent(trx, row.id, now);
    return 'superseded';
  }
  if (row.operation === 'direct' && row.channel === null) return retry(trx, context, row, now, new DeliveryError('a direct message names no conversation', { permanent: true }));
  if (!['post', 'update', 'direct'].includes(row.operation)) return retry(trx, context, row, now, new DeliveryError(`operation "${row.operation}" cannot be delivered from the outbox`, { permanent: true }));
  // A card already posted is edited where it is, whichever platform it was queued for.
  const posted = row.operation === 'update' && row.card_key !== null ? await findPostedCard(trx, row.card_key, row.platform) : null;
  if (posted) {
    const port = ports.get(posted.platform);
    if (!port) return wait(trx, context, row, now, `${posted.platform} is not connected, so this card update waits: ${SETUP_HINTS[posted.platform]}`);
    const where: CommitteeChannel = { platform: posted.platform, channel: posted.channel, ...(posted.conversation ? { conversation: posted.conversation } : {}) };
    try {
      const message = outgoing(row);
      if (!('card' in message)) throw new DeliveryError('an update must carry a card', { permanent: true });
      await port.update(where, posted.message_id, message.card, await namesFor(trx, message.card));
    } catch (error) {
      return retry(trx, context, row, now, error);
    }
  } else {
    // A post, or an update of a card never posted (e.g. queued before chat was set up).
    const target = await targetOf(trx, context, row, [...ports.keys()]);
    if ('waiting' in target) return wait(trx, context, row, now, target.waiting);
    const port = ports.get(target.platform)!;
    let messageId: string;
    try {
      const message = outgoing(row);
      messageId = (await port.post(target, await withImage(trx, row, message, now), await namesFor(trx, message))).messageId;
    } catch (error) {
      return retry(trx, context, row, now, error);
    }
    if (row.card_key !== null) {
      await recordChatMessage(trx, { platform: target.platform, card_key: row.card_key, channel: target.channel, message_id: messageId, conversation: target.conversation ?? null });
    }
  }
  await markSent(trx, row.id, now);
  return 'sent';
}

/** Counts the attempt and backs off; the message stays pending, whatever the error. */
async function retry(trx: Knex.Transaction, context: JobContext, row: OutboxRow, now: Date, error: unknown): Promise<Delivery> {
  const delay = retryDelayMs(row.attempts, error);
  const reason = error instanceof Error ? error.message : String(error);
  context.logger.warn({ outboxId: row.id, platform: row.platform, attempts: row.attempts + 1, retryInMs: delay }, `chat delivery failed, will retry: ${reason}`);
  await markRetry(trx, row.id, new Date(now.getTime() + delay), reason);
  return 'retried';
}

const SETUP_HINTS: Record<Platform, string> = {
  slack: 'set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN) to turn Slack on',
  teams: 'set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD, or run on a loopback HOST for local mode',
};

/**
 * Waiting on set-up is not a failed attempt: the count and back-off stay for real failures. The
 * first wait of a message is logged, naming what to do; later looks at it stay quiet.
 */
async function wait(trx: Knex.Transaction, context: JobContext, row: OutboxRow, now: Date, reason: string): Promise<Delivery> {
  if (row.last_error !== reason) context.logger.warn({ outboxId: row.id, platform: row.platform }, `chat message waits: ${reason}`);
  await deferMessage(trx, row.id, new Date(now.getTime() + SETUP_WAIT_MS), reason);
  return 'waiting';
}

/**
 * A message addressed to a channel goes there, on its own platform. Everything else goes to the
 * committee channel chosen now, not when it was queued: the platform it was queued for if that is
 * connected and has a committee channel, else the other one. So a card queued before any
 * `gov channel set`, or for a platform that is off, reaches whichever channel the committee set up.
 */
async function targetOf(trx: Knex.Transaction, context: JobContext, row: OutboxRow, connected: readonly Platform[]): Promise<CommitteeChannel | { waiting: string }> {
  if (row.channel !== null) {
    return connected.includes(row.platform)
      ? { platform: row.platform, channel: row.channel }
      : { waiting: `${row.platform} is not connected, so this message waits: ${SETUP_HINTS[row.platform]}` };
  }
  const destination = await committeeDestination(trx, context.config, row.platform, connected);
  if (destination) return destination;
  // Say what is missing: a connection to the platform that has the channel, or any channel.
  const unreachable = (['slack', 'teams'] as const).filter((p) => !connected.includes(p));
  for (const platform of unreachable) {
    if (await committeeChannel(trx, context.config, platform)) return { waiting: `the committee channel is on ${platform}, which is not connected, so this message waits: ${SETUP_HINTS[platform]}` };
  }
  if (connected.length === 0) return { waiting: `no chat platform is connected, so this message waits: ${SETUP_HINTS.slack}; or ${SETUP_HINTS.teams}` };
  return { waiting: `no committee channel yet: ${channelSetHint(context.config, row.platform)}` };
}

function outgoing(row: OutboxRow): OutgoingMessage {
  const { card, text } = row.payload as { card?: unknown; text?: unknown };
  if (card !== null && typeof card === 'object') return { card: card as Card };
  if (typeof text === 'string') return { text };
  throw new DeliveryError(`outbox message ${row.id} has neither a card nor a text`, { permanent: true });
}

/** A report card's chart, read from where the report kept it; gone (expired), the card goes without. */
async function withImage(trx: Knex.Transaction, row: OutboxRow, message: OutgoingMessage, now: Date): Promise<OutgoingMessage> {
  const image = (row.payload as { image?: { token?: unknown; filename?: unknown; title?: unknown } }).image;
  if (!('card' in message) || typeof image?.token !== 'string') return message;
  const png = await findReportImage(trx, image.token, now);
  return png ? { ...message, image: { png, filename: String(image.filename ?? 'chart.png'), title: String(image.title ?? message.card.title) } } : message;
}

export const deliverOutboxJob: JobDefinition = {
  name: 'deliver-outbox',
  schedule: { kind: 'every', seconds: 5 },
  description: 'delivers queued chat messages and card updates, retrying with back-off',
  catchUpMs: 0, // an interval job has no slots to catch up: each run takes whatever is due
  async run(context, now) {
    // Imported here, not at the top: only this job needs the chat clients, and every worker
    // thread loads the whole catalogue.
    const { createChatPorts } = await import('../chat/ports.js');
    let ports = PORTS.get(context.config);
    if (!ports) PORTS.set(context.config, ports = createChatPorts(context.config, context.logger));
    return deliverOutbox(context, ports, now);
  },
};

/** The chat clients of a configuration, made once: the delivery loop runs many times a second under load. */
const PORTS = new WeakMap<object, ReadonlyMap<Platform, ChatPort>>();
