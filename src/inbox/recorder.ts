import { driverErrorSummary, errorSummary, isDatabaseUnavailable } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Db } from '../register/database.js';
import { recordInbound, type Inbound } from '../register/slack-inbox.js';
import type { Payload } from './work.js';

export type Recorded = 'recorded' | 'replay' | 'failed';

/**
 * The thread that answers HTTP records work here before it acknowledges the request: one statement
 * for every request that arrived while the previous statement was on its way (so under a burst one
 * round trip serves many acks), with the replay check in it. `recorded` is called after each
 * statement that recorded something, to wake whoever works through the inbox.
 */
export interface InboxRecorder {
  /** `replayKey`: the request's signature (Slack) or activity (Teams); null where there is none. */
  record(kind: string, payload: Payload, replayKey: string | null): Promise<Recorded>;
}

export function createInboxRecorder(db: Db, logger: Logger, recorded: () => void): InboxRecorder {
  const batch = batcher(async (requests: readonly Inbound[]) => {
    const outcomes = await recordInbound(db, requests);
    if (outcomes.some(Boolean)) recorded();
    return outcomes;
  });
  return {
    record: async (kind, payload, replayKey) => {
      try {
        if (await batch.add({ kind, payload, signature: replayKey })) return 'recorded';
        logger.warn({ kind }, 'a request arrived again with a key already taken; ignored as a replay');
        return 'replay';
      } catch (error) {
        // A lost database is one known condition (the service says so once), not a fault to trace.
        if (isDatabaseUnavailable(error)) logger.warn({ kind }, `inbox: could not record work, the database is unavailable (${driverErrorSummary(error)}); the person is told to try again`);
        else logger.error({ err: errorSummary(error), kind }, 'inbox: could not record work; the person is told to try again');
        return 'failed';
      }
    },
  };
}

/** Calls `run` with everything added while the previous call was in flight; one call at a time. */
export function batcher<T, R>(run: (items: readonly T[]) => Promise<R[]>): { add(item: T): Promise<R> } {
  let waiting: { item: T; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];
  let busy = false;
  const flush = async (): Promise<void> => {
    busy = true;
    while (waiting.length > 0) {
      const taken = waiting;
      waiting = [];
      try {
        const results = await run(taken.map((w) => w.item));
        taken.forEach((w, i) => w.resolve(results[i]!));
      } catch (error) {
        for (const w of taken) w.reject(error);
      }
    }
    busy = false;
  };
  return {
    add: (item) => new Promise<R>((resolve, reject) => {
      waiting.push({ item, resolve, reject });
      if (!busy) void flush();
    }),
  };
}
