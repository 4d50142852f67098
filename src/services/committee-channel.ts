import type { Knex } from 'knex';
import type { CommitteeChannel } from '../chat/port.js';
import { platformsOn, type Config } from '../config.js';
import type { Db } from '../register/database.js';
import type { Platform } from '../register/committee.js';
import { getSetting, setSetting } from '../register/settings.js';

export type { CommitteeChannel };

const key = (platform: Platform) => `committee_channel.${platform}`;
const PLATFORMS: readonly Platform[] = ['slack', 'teams'];

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
 * The platforms to try for a committee message, best first: the one it came from (when a person
 * typed it), then those that are on, then the rest. A scheduled job has no origin, so an
 * installation with Teams alone never sends its cards towards a Slack that is off.
 */
export function platformPreference(config: Config, origin: Platform | null): Platform[] {
  const on = platformsOn(config);
  const order = [...(origin ? [origin] : []), ...on, ...PLATFORMS];
  return order.filter((platform, i) => order.indexOf(platform) === i);
}

/**
 * Where a new card is meant to go: the first platform in order of preference with a committee
 * channel, else the first that is on. It is only a preference: deliver-outbox decides again when it
 * sends (see committeeDestination), so a card queued before `/gov channel set` still arrives.
 */
export async function platformForNewCard(db: Db | Knex.Transaction, config: Config, origin: Platform | null): Promise<Platform> {
  const order = platformPreference(config, origin);
  for (const platform of order) if (await committeeChannel(db, config, platform)) return platform;
  return order[0]!;
}

/** The settings platformForNewCardAmong needs, for a caller that reads them with other things. */
export const COMMITTEE_CHANNEL_KEYS: readonly string[] = PLATFORMS.map(key);

/** platformForNewCard, from those settings as already read (the intake reads them in its one lookup). */
export function platformForNewCardAmong(config: Config, origin: Platform | null, settings: ReadonlyMap<string, unknown>): Platform {
  const order = platformPreference(config, origin);
  const has = (platform: Platform) => Boolean(settings.get(key(platform))) || (platform === 'slack' && Boolean(config.slack.committeeChannel));
  return order.find(has) ?? order[0]!;
}

/** Whether any platform has a committee channel yet: replies say where a new card will appear. */
export async function hasCommitteeChannel(db: Db | Knex.Transaction, config: Config): Promise<boolean> {
  for (const platform of PLATFORMS) if (await committeeChannel(db, config, platform)) return true;
  return false;
}

/**
 * The committee channel a message goes to now, among the platforms that can be reached: the one
 * it was queued for first, then any other. Null when none of them has a committee channel.
 */
export async function committeeDestination(db: Db | Knex.Transaction, config: Config, preferred: Platform, connected: readonly Platform[]): Promise<CommitteeChannel | null> {
  for (const platform of platformPreference(config, preferred)) {
    if (!connected.includes(platform)) continue;
    const channel = await committeeChannel(db, config, platform);
    if (channel) return channel;
  }
  return null;
}

const SET_CHANNEL: Record<Platform, string> = {
  slack: 'run the Slack command /gov channel set in the Slack channel where the committee votes',
  teams: 'type "gov channel set" to govbot in the Teams channel where the committee votes',
};

/** What a chair does to give the committee a channel, in the syntax of the platforms that are on. */
export function channelSetHint(config: Config, origin: Platform | null): string {
  const on = platformsOn(config);
  const order = platformPreference(config, origin).filter((p) => on.length === 0 || on.includes(p));
  return `a chair should ${order.map((p) => SET_CHANNEL[p]).join(', or ')}`;
}
