import type { AnyMiddlewareArgs, Middleware, webApi } from '@slack/bolt';
import type { Logger } from '../logger.js';
import type { DisplayNames } from '../services/display-names.js';
import { errorSummary } from '../errors.js';

/**
 * Slack payloads carry user ids, not names. Slack's own cards render `<@U…>` as the name, but a
 * Teams card showing a Slack member's vote, and other plain-text places, need the name itself:
 * it is asked of users.info in the background (never before an ack), once a day per person and
 * process, and kept with the Teams names. Names are not logged.
 */
export const RECHECK_MS = 24 * 60 * 60_000;
const MENTION = /<@([UW][A-Z0-9]{2,})(?:\|[^>]*)?>/g;

export interface SlackUserNames {
  readonly middleware: Middleware<AnyMiddlewareArgs>;
  /** Learns the names of these users if not asked lately. Does not wait for Slack. */
  learn(userIds: readonly string[]): void;
  /** Waits for the look-ups under way (a clean stop). */
  drain(): Promise<void>;
}

export function slackUserNames(options: { client: webApi.WebClient; names: DisplayNames; logger: Logger; now?: () => number }): SlackUserNames {
  const now = options.now ?? Date.now;
  const askedAt = new Map<string, number>();
  const inFlight = new Set<Promise<void>>();
  const ask = async (userId: string): Promise<void> => {
    try {
      const answer = await options.client.users.info({ user: userId });
      const user = answer.user;
      const name = user?.profile?.display_name || user?.profile?.real_name || user?.real_name || user?.name;
      if (name) await options.names.remember([{ identity: `slack:${userId}`, name }]);
    } catch (error) {
      askedAt.delete(userId); // try again on their next click
      options.logger.info({ err: errorSummary(error) }, 'slack: users.info failed; the Slack id is shown where a name would be');
    }
  };
  const learn = (userIds: readonly string[]) => {
    for (const userId of new Set(userIds)) {
      const last = askedAt.get(userId);
      if (last !== undefined && now() - last < RECHECK_MS) continue;
      askedAt.set(userId, now());
      if (askedAt.size > 10_000) askedAt.delete(askedAt.keys().next().value as string);
      const run = ask(userId);
      inFlight.add(run);
      void run.finally(() => inFlight.delete(run));
    }
  };
  return {
    middleware: async ({ body, next }) => {
      learn(usersIn(body));
      await next();
    },
    learn,
    drain: async () => { await Promise.allSettled([...inFlight]); },
  };
}

/** Who a payload is from (command, click, form, event) and whom a command mentions. */
export function usersIn(body: unknown): string[] {
  const b = (body ?? {}) as { user_id?: unknown; user?: { id?: unknown }; event?: { user?: unknown }; text?: unknown };
  const ids = [b.user_id, b.user?.id, b.event?.user].filter((id): id is string => typeof id === 'string' && /^[UW][A-Z0-9]{2,}$/.test(id));
  if (typeof b.text === 'string') for (const m of b.text.matchAll(MENTION)) ids.push(m[1]!);
  return ids;
}
