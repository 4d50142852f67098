import type { Platform } from '../domain/platform.js';
import type { Card } from './card.js';
import type { NameOf } from './mention.js';

/** Where the committee works on one platform: set with `/gov channel set` (services/committee-channel.ts). */
export interface CommitteeChannel {
  readonly platform: Platform;
  /** Slack channel id, or the Teams conversation id. */
  readonly channel: string;
  /** Teams needs the whole conversation reference to post proactively. */
  readonly conversation?: Record<string, unknown>;
}

/**
 * How the outbox reaches a chat platform. Implemented by the Slack adapter (Web API) and the Teams
 * adapter (Bot Connector); deliver-outbox knows nothing else about either.
 */
export interface ChatPort {
  readonly platform: Platform;
  /**
   * Posts a new message to the committee channel; returns the platform's id for later updates.
   * `nameOf` names the members the message mentions (read when it is sent, so a new name shows).
   */
  post(channel: CommitteeChannel, message: OutgoingMessage, nameOf?: NameOf): Promise<{ messageId: string }>;
  /** Replaces a posted card in place. */
  update(channel: CommitteeChannel, messageId: string, card: Card, nameOf?: NameOf): Promise<void>;
}

/** An image file that goes with a card, for platforms that take the file itself (Slack). */
export interface ImageFile {
  readonly filename: string;
  readonly title: string;
  readonly png: Uint8Array;
}

export type OutgoingMessage = { readonly card: Card; readonly image?: ImageFile } | { readonly text: string };

/**
 * A failed delivery. `retryAfterMs` comes from the platform (Slack 429 Retry-After); `permanent`
 * means retrying cannot help until someone changes something (e.g. the bot was removed from the
 * channel): the message stays queued with a long back-off and the reason is kept for the operator.
 */
export class DeliveryError extends Error {
  constructor(message: string, readonly options: { retryAfterMs?: number; permanent?: boolean } = {}) {
    super(message);
    this.name = 'DeliveryError';
  }
}
