import type { Platform } from '../domain/platform.js';

/** The person behind a command or a click, as the platform identified them. */
export interface Actor {
  readonly platform: Platform;
  readonly userId: string;
  /** "slack:U0123": the key used in votes, proposals and the audit trail. */
  readonly key: string;
  /** Where they typed (channel or conversation id), for `/gov channel set`. */
  readonly channelId?: string;
  /**
   * Teams only: the conversation reference of where they typed, which proactive posts need (the id
   * alone is not enough to reach a Teams conversation). Stored by `/gov channel set`.
   */
  readonly conversation?: Record<string, unknown>;
  readonly displayName?: string;
}

export function actor(platform: Platform, userId: string, extra: { channelId?: string; conversation?: Record<string, unknown>; displayName?: string } = {}): Actor {
  return { platform, userId, key: `${platform}:${userId}`, ...extra };
}
