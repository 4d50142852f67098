import { randomBytes } from 'node:crypto';
import type { Activity } from 'botbuilder';
import { actor, type Actor } from '../chat/actor.js';
import type { Logger } from '../logger.js';
import { isCommitteeMember } from '../services/committee-members.js';
import type { ServiceContext } from '../services/context.js';
import { displayNames, type DisplayNames } from '../services/display-names.js';
import { bareConversationId, committeeReference } from './activities.js';
import { driverErrorSummary, errorSummary, isDatabaseUnavailable } from '../errors.js';

/**
 * What every Teams handler gets: the use cases' context, a logger, the bot's app id ('' in local
 * mode), and `guard`, which runs a handler's work and handles a fault in one place: logged with a
 * short reference, and the person told only that something failed and nothing changed.
 */
export interface TeamsDeps {
  readonly services: ServiceContext;
  readonly logger: Logger;
  readonly appId: string;
  guard<T>(handler: string, work: () => Promise<T>, onFault: (message: string) => Promise<T>): Promise<T>;
  /** True the second time an activity id is seen (a redelivery): act on it once. */
  seenBefore(activityId: string | undefined): boolean;
  /** People's names, kept from activities and shown instead of their ids. */
  readonly names: DisplayNames;
}

export function faultMessage(reference: string): string {
  return `Something went wrong on our side; nothing was changed. Reference: ${reference}`;
}

export function createTeamsDeps(services: ServiceContext, logger: Logger, appId: string): TeamsDeps {
  const seen = new RecentIds(5_000);
  return {
    services, logger, appId,
    async guard(handler, work, onFault) {
      try {
        return await work();
      } catch (error) {
        const faultRef = randomBytes(4).toString('hex');
        // A lost database is one known condition (the service logs it once and reconnects), not a bug.
        if (isDatabaseUnavailable(error)) logger.warn({ faultRef, handler }, `teams handler could not reach the database: ${driverErrorSummary(error)}`);
        else logger.error({ err: errorSummary(error), faultRef, handler }, 'teams handler failed');
        return onFault(faultMessage(faultRef));
      }
    },
    seenBefore: (id) => (id ? seen.add(id) : false),
    names: displayNames(services.db),
  };
}

/**
 * Activity ids of the last few thousand activities. Teams redelivers an activity it thinks went
 * unanswered; a command typed once must not log two requests. In memory, so per process: a
 * redelivery that lands on another replica is acted on there (votes still count once: unique key).
 */
export class RecentIds {
  private readonly ids = new Set<string>();
  constructor(private readonly capacity: number) {}

  /** Adds the id; true if it was already there. */
  add(id: string): boolean {
    if (this.ids.has(id)) return true;
    this.ids.add(id);
    // A Set iterates in insertion order: the first entry is the oldest.
    if (this.ids.size > this.capacity) this.ids.delete(this.ids.values().next().value as string);
    return false;
  }
}

/**
 * The person behind an activity. The Entra object id is the stable one and the one govbot records;
 * the Bot Framework id `29:…` is the fallback (the Emulator has no Entra id). COMMITTEE_CHAIRS and
 * `gov members add` accept either, so someone on the roster under their `29:` id only is known by
 * it. A personal chat carries no channel, so `gov channel set` there is refused: cards would
 * reach one person only.
 */
export async function actorFor(services: Pick<ServiceContext, 'db'>, activity: Activity): Promise<Actor> {
  const { aadObjectId, id } = activity.from;
  const rosteredByBotId = aadObjectId !== undefined && aadObjectId !== id
    && !(await isCommitteeMember(services, { platform: 'teams', userId: aadObjectId })) && await isCommitteeMember(services, { platform: 'teams', userId: id });
  return actorOf(activity, rosteredByBotId ? id : aadObjectId ?? id);
}

/**
 * The two actors actorFor chooses between, for a use case that reads who is on the committee
 * with its own statements (castVote's `orAs`): the Entra object id's, and the Bot Framework id's
 * when it differs.
 */
export function actorCandidates(activity: Activity): { as: Actor; orAs: Actor | null } {
  const { aadObjectId, id } = activity.from;
  return { as: actorOf(activity, aadObjectId ?? id), orAs: aadObjectId !== undefined && aadObjectId !== id ? actorOf(activity, id) : null };
}

export function actorOf(activity: Activity, userId: string): Actor {
  const from = activity.from;
  return actor('teams', userId, {
    ...(from.name ? { displayName: from.name } : {}),
    ...(activity.conversation.conversationType === 'personal' ? {} : {
      channelId: bareConversationId(activity.conversation.id),
      conversation: committeeReference(activity),
    }),
  });
}

/** Channels and group chats: what is posted there is read by everyone in them. */
export function isSharedConversation(activity: Pick<Activity, 'conversation'>): boolean {
  const type = activity.conversation.conversationType;
  return type === 'channel' || type === 'groupChat' || activity.conversation.isGroup === true;
}

