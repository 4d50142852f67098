/**
 * Acks first: while requests are arriving, the work that follows them waits (it is safe in the
 * register) until none has come for QUIET_MS, so the CPU and the database serve the
 * acknowledgements; nothing waits longer than DEFER_AT_MOST_MS at a time, so a long stream of
 * requests cannot starve it. One gate for everything the background thread runs: the inbox's work,
 * the outbox's deliveries and approved actions, and kicked slot jobs.
 */
export const QUIET_MS = 50;
export const DEFER_AT_MOST_MS = 2_000;

export interface AcksFirst {
  /** A request was recorded at `at` (ms since the epoch). */
  seen(at: number): void;
  /** Resolves once no request has been recorded for a while, or after DEFER_AT_MOST_MS, or when `stopped()`. */
  wait(stopped?: () => boolean): Promise<void>;
}

export function acksFirst(now: () => number = Date.now, quietMs = QUIET_MS, atMostMs = DEFER_AT_MOST_MS): AcksFirst {
  let lastSeen = 0;
  return {
    seen: (at) => { lastSeen = Math.max(lastSeen, at); },
    wait: async (stopped = () => false) => {
      const since = now();
      while (!stopped() && now() - lastSeen < quietMs && now() - since < atMostMs) {
        await new Promise((resolve) => setTimeout(resolve, quietMs));
      }
    },
  };
}
