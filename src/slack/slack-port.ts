import { webApi } from '@slack/bolt';
import type { Card } from '../chat/card.js';
import type { NameOf } from '../chat/mention.js';
import { DeliveryError, type ChatPort, type OutgoingMessage } from '../chat/port.js';
import type { Logger } from '../logger.js';
import type { CommitteeChannel } from '../services/committee-channel.js';
import { cardToBlocks, fallbackText } from './block-kit.js';
import { postCardWithImage } from './file-upload.js';
import { slackLogger } from './slack-logger.js';

/**
 * The outbox's way into Slack: chat.postMessage and chat.update, with every failure turned into
 * a DeliveryError that says whether and when to try again. The client never retries or waits out
 * a rate limit itself: the outbox owns retries, and a blocked client would stall every message.
 */
export const SLACK_TIMEOUT_MS = 10_000;

export interface SlackClientSettings {
  readonly token: string;
  readonly apiUrl: string;
  readonly logger: Logger;
  /** Tests shorten it; the service keeps the default. */
  readonly timeoutMs?: number;
}

export function slackClientOptions(options: Omit<SlackClientSettings, 'token'>): webApi.WebClientOptions {
  return {
    slackApiUrl: options.apiUrl,
    logger: slackLogger(options.logger),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    // Without a timeout a hanging Slack holds a delivery (and its row lock) for ever.
    timeout: options.timeoutMs ?? SLACK_TIMEOUT_MS,
  };
}

export function createSlackClient(options: SlackClientSettings): webApi.WebClient {
  return new webApi.WebClient(options.token, slackClientOptions(options));
}

export function createSlackPort(options: SlackClientSettings & { client?: webApi.WebClient }): ChatPort {
  const client = options.client ?? createSlackClient(options);
  return {
    platform: 'slack',
    async post(channel: CommitteeChannel, message: OutgoingMessage, nameOf?: NameOf) {
      if ('card' in message && message.image) return postCardWithImage(client, call, channel.channel, message.card, message.image, options.timeoutMs ?? SLACK_TIMEOUT_MS);
      const content = 'card' in message ? cardContent(message.card, nameOf) : { text: fallbackText(message.text, nameOf) };
      const result = await call('chat.postMessage', () => client.chat.postMessage({ channel: channel.channel, ...content }));
      if (!result.ts) throw new DeliveryError('slack chat.postMessage answered without a message ts', { permanent: true });
      return { messageId: result.ts };
    },
    async update(channel: CommitteeChannel, messageId: string, card: Card, nameOf?: NameOf) {
      await call('chat.update', () => client.chat.update({ channel: channel.channel, ts: messageId, ...cardContent(card, nameOf) }));
    },
  };
}

function cardContent(card: Card, nameOf?: NameOf) {
  return { text: fallbackText(card.summary, nameOf), blocks: cardToBlocks(card, nameOf) };
}

async function call<T>(method: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    throw toDeliveryError(method, error);
  }
}

/** Platform errors that no retry can fix until someone changes the app, the token or the channel. */
const FIX_NEEDED: Record<string, string> = {
  channel_not_found: 'check the committee channel id, and invite the bot to it (/invite @govbot)',
  not_in_channel: 'invite the bot to the committee channel (/invite @govbot)',
  is_archived: 'the committee channel is archived: set a new one with /gov channel set',
  invalid_auth: 'SLACK_BOT_TOKEN is not valid: copy the Bot User OAuth Token again',
  not_authed: 'SLACK_BOT_TOKEN is missing from the request',
  account_inactive: 'the bot token belongs to a deleted user or an uninstalled app: reinstall the app',
  token_revoked: 'the bot token was revoked: reinstall the app and update SLACK_BOT_TOKEN',
  missing_scope: 'the app lacks a scope: reinstall it from manifest/slack/manifest.yml',
  restricted_action: 'a workspace setting stops the bot posting there',
  message_not_found: 'the card message was deleted in Slack',
  cant_update_message: 'the card was not posted by this bot',
};

/** Platform errors that are Slack's own trouble: worth another try. */
const TRANSIENT = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'ratelimited', 'rate_limited', 'team_added_to_org']);

export function toDeliveryError(method: string, error: unknown): DeliveryError {
  const prefix = `slack ${method}`;
  if (!isCoded(error)) return new DeliveryError(`${prefix}: ${error instanceof Error ? error.message : String(error)}`);
  switch (error.code) {
    case webApi.ErrorCode.RateLimitedError: {
      const seconds = (error as webApi.WebAPIRateLimitedError).retryAfter;
      return new DeliveryError(`${prefix}: rate limited, retry after ${seconds} s`, { retryAfterMs: seconds * 1000 });
    }
    case webApi.ErrorCode.HTTPError: {
      const { statusCode } = error as webApi.WebAPIHTTPError;
      // 5xx and 408 are Slack's (or a proxy's) trouble; any other status means the URL or request is wrong.
      const permanent = statusCode < 500 && statusCode !== 408 && statusCode !== 429;
      return permanent
        ? new DeliveryError(`${prefix}: HTTP ${statusCode} (is SLACK_API_URL right?)`, { permanent: true })
        : new DeliveryError(`${prefix}: HTTP ${statusCode}`);
    }
    case webApi.ErrorCode.RequestError:
      return new DeliveryError(`${prefix}: no answer from Slack (${(error as webApi.WebAPIRequestError).original?.message ?? 'network error'})`);
    case webApi.ErrorCode.PlatformError: {
      const code = (error as webApi.WebAPIPlatformError).data.error;
      if (TRANSIENT.has(code)) return new DeliveryError(`${prefix}: ${code}`);
      const fix = FIX_NEEDED[code];
      return new DeliveryError(`${prefix}: ${code}${fix ? `: ${fix}` : ''}`, { permanent: true });
    }
    default:
      return new DeliveryError(`${prefix}: ${error.message}`);
  }
}

function isCoded(error: unknown): error is Error & { code: string } {
  return error instanceof Error && typeof (error as { code?: unknown }).code === 'string';
}
