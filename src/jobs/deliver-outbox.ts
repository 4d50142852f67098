import type { Knex } from 'knex';
import type { Card } from '../chat/card.js';
import { DeliveryError, type ChatPort, type OutgoingMessage } from '../chat/port.js';
import { findChatMessage, recordChatMessage } from '../register/chat-messages.js';
import type { Platform } from '../register/committee.js';
import { claimNextMessage, deferMessage, hasNewerPendingUpdate, markRetry, markSent, type OutboxRow } from '../register/outbox.js';
import { committeeChannel, type CommitteeChannel } from '../services/committee-channel.js';
import type { JobContext, JobDefinition, JobSummary } from './job.js';

export const MESSAGES_PER_RUN = 100;
export const BASE_RETRY_MS = 5_000;
export const MAX_RETRY_MS = 15 * 60_000;
/** How often a message waiting on set-up (no channel, platform off) is looked at again. */
export const SETUP_WAIT_MS = 60_000;
export const NO_CHANNEL = 'no committee channel: a chair should run /gov channel set';

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
  }
  // A full run leaves more behind: the delivery loop goes straight on.
  return { ...counts, more: true };
}

async function deliver(trx: Knex.Transaction, context: JobContext, ports: ReadonlyMap<Platform, ChatPort>, row: OutboxRow, now: Date): Promise<Delivery> {
  const port = ports.get(row.platform);
  if (!port) return wait(trx, row, now, `${row.platform} is not connected, so this message waits: ${SETUP_HINTS[row.platform]}`);
  // The newer update carries the latest state of the card: sending this one too would only flicker.
  if (row.operation === 'update' && await hasNewerPendingUpdate(trx, row)) {
    await markSent(trx, row.id, now);
    return 'superseded';
  }
  if (row.operation === 'direct' && row.channel === null) return retry(trx, context, row, now, new DeliveryError('a direct message names no conversation', { permanent: true }));
  if (!['post', 'update', 'direct'].includes(row.operation)) return retry(trx, context, row, now, new DeliveryError(`operation "${row.operation}" cannot be delivered from the outbox`, { permanent: true }));
  const posted = row.operation === 'update' && row.card_key !== null ? await findChatMessage(trx, row.platform, row.card_key) : null;
  if (posted) {
    const where: CommitteeChannel = { platform: row.platform, channel: posted.channel, ...(posted.conversation ? { conversation: posted.conversation } : {}) };
    try {
      const message = outgoing(row);
      if (!('card' in message)) throw new DeliveryError('an update must carry a card', { permanent: true });
      await port.update(where, posted.message_id, message.card);
    } catch (error) {
      return retry(trx, context, row, now, error);
    }
  } else {
    // A post, or an update of a card never posted (e.g. queued before chat was set up).
    const target = await targetOf(trx, context, row);
    if (!target) return wait(trx, row, now, NO_CHANNEL);
    let messageId: string;
    try {
      messageId = (await port.post(target, outgoing(row))).messageId;
    } catch (error) {
      return retry(trx, context, row, now, error);
    }
    if (row.card_key !== null) {
      await recordChatMessage(trx, { platform: row.platform, card_key: row.card_key, channel: target.channel, message_id: messageId, conversation: target.conversation ?? null });
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
  teams: 'Teams is off: set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD, or run on a loopback HOST for local mode',
};

/** Waiting on set-up is not a failed attempt: the count and back-off stay for real failures. */
async function wait(trx: Knex.Transaction, row: OutboxRow, now: Date, reason: string): Promise<Delivery> {
  await deferMessage(trx, row.id, new Date(now.getTime() + SETUP_WAIT_MS), reason);
  return 'waiting';
}

/** A message addressed to a channel goes there; everything else to the committee channel. */
async function targetOf(trx: Knex.Transaction, context: JobContext, row: OutboxRow): Promise<CommitteeChannel | null> {
  if (row.channel !== null) return { platform: row.platform, channel: row.channel };
  return committeeChannel(trx, context.config, row.platform);
}

function outgoing(row: OutboxRow): OutgoingMessage {
  const { card, text } = row.payload as { card?: unknown; text?: unknown };
  if (card !== null && typeof card === 'object') return { card: card as Card };
  if (typeof text === 'string') return { text };
  throw new DeliveryError(`outbox message ${row.id} has neither a card nor a text`, { permanent: true });
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
