import type { Knex } from 'knex';
import type { Config } from '../config.js';
import type { Db } from '../register/database.js';
import type { Platform } from '../register/committee.js';
import { getSetting, setSetting } from '../register/settings.js';

export interface CommitteeChannel {
  readonly platform: Platform;
  /** Slack channel id, or the Teams conversation id. */
  readonly channel: string;
  /** Teams needs the whole conversation reference to post proactively. */
  readonly conversation?: Record<string, unknown>;
}

const key = (platform: Platform) => `committee_channel.${platform}`;

/** The channel set with `/gov channel set`, else SLACK_COMMITTEE_CHANNEL for Slack. */
export async function committeeChannel(db: Db | Knex.Transaction, config: Config, platform: Platform): Promise<CommitteeChannel | null> {
  const stored = await getSetting<CommitteeChannel>(db as Db, key(platform));
  if (stored) return stored;
  if (platform === 'slack' && config.slack.committeeChannel) return { platform, channel: config.slack.committeeChannel };
  return null;
}

export async function setCommitteeChannel(db: Db | Knex.Transaction, channel: CommitteeChannel, by: string): Promise<void> {
  await setSetting(db as Db, key(channel.platform), channel, by);
}

/**
 * Where a new card goes: the committee channel on the platform the request came from, else the
 * one other platform that has a committee channel. With none set yet the card still queues, and
 * is delivered once a chair runs `/gov channel set`.
 */
export async function platformForNewCard(db: Db | Knex.Transaction, config: Config, origin: Platform): Promise<Platform> {
  if (await committeeChannel(db, config, origin)) return origin;
  const other: Platform = origin === 'slack' ? 'teams' : 'slack';
  return (await committeeChannel(db, config, other)) ? other : origin;
}
