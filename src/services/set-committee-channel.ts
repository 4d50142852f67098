import { err, ok, type Result } from '../domain/result.js';
import type { Actor } from '../chat/actor.js';
import { appendAuditEvent } from '../register/audit-events.js';
import { wakeWaitingMessages } from '../register/outbox.js';
import type { ServiceContext } from './context.js';
import { setCommitteeChannel } from './committee-channel.js';

/**
 * `/gov channel set`: the channel the chair typed in becomes the committee channel of their
 * platform. Cards already queued without a channel are due at once and delivered there by
 * deliver-outbox, which chooses the channel when it sends.
 */
export async function setCommitteeChannelHere(ctx: ServiceContext, by: Actor): Promise<Result<string>> {
  const channel = by.channelId;
  if (!channel) return err('This did not come from a channel govbot can post to; type it in the committee channel itself.');
  if (by.platform === 'slack' && channel.startsWith('D')) {
    return err('This is a direct message: cards would be seen by you alone. Type it in the committee channel (invite govbot there first).');
  }
  const now = ctx.clock();
  await ctx.db.transaction(async (trx) => {
    await setCommitteeChannel(trx, { platform: by.platform, channel, ...(by.conversation ? { conversation: by.conversation } : {}) }, by.key);
    await wakeWaitingMessages(trx, now);
    await appendAuditEvent(trx, {
      actor: by.key, action: 'committee.channel_set', subject: 'committee', occurredAt: now,
      // Platform only: a Teams conversation id ("19:…@thread.tacv2") reads like an email address to
      // the chain's personal-data guard, and the settings row keeps the id and who set it anyway.
      facts: { platform: by.platform },
    });
  });
  return ok(channel);
}
