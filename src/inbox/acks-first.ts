/**
 * Acks first: while requests are arriving, the work that follows them waits (it is safe in the
 * register) until none has come for QUIET_MS, so the CPU and the database serve the
 * acknowledgements; nothing waits longer than DEFER_AT_MOST_MS at a time, so a long stream of
 * requests cannot starve it. One gate for everything the background thread runs: the inbox's work,
 * the outbox's deliveries and approved actions, and kicked slot jobs.
 *
 * A request answered on the main thread itself (a Teams card's button: its answer is the updated
 * card) counts as one arriving, so that card deliveries wait while people are voting. Work that
 * goes through many items in one run (the outbox's deliveries) asks `giveWay` between items: once
 * it has had SLICE_MS, it stops for requests arriving, and waits its turn again.
 */
export const QUIET_MS = 50;
export const DEFER_AT_MOST_MS = 2_000;
/** How long work let through may go on before it gives way again to requests arriving. */
export const SLICE_MS = 200;
/**
 * After the service starts, its background work (the catch-up of scheduled jobs first) waits this
 * long: a restarted service's first requests (people trying again, deliveries the platform
 * retries) meet cold caches and new sessions, and on a small host the catch-up would take the CPU
 * and the database from their acknowledgements.
 */
export const AFTER_START_MS = 1_000;

export interface AcksFirst {
  /** A request was recorded at `at` (ms since the epoch). */
  seen(at: number): void;
  /** Work waits at least until `ms` from now (within DEFER_AT_MOST_MS at a time, like the rest). */
  holdFor(ms: number): void;
  /** Resolves once no request has been recorded for a while (and any hold is over), or after DEFER_AT_MOST_MS, or when `stopped()`. */
  wait(stopped?: () => boolean): Promise<void>;
  /** Whether work let through by `wait` has had its slice while requests are arriving, and should stop and wait again. */
  giveWay(): boolean;
}

export function acksFirst(now: () => number = Date.now, quietMs = QUIET_MS, atMostMs = DEFER_AT_MOST_MS, sliceMs = SLICE_MS): AcksFirst {
  let lastSeen = 0;
  let heldUntil = 0;
  let letThroughAt = 0;
  return {
    seen: (at) => { lastSeen = Math.max(lastSeen, at); },
    holdFor: (ms) => { heldUntil = Math.max(heldUntil, now() + ms); },
    wait: async (stopped = () => false) => {
      const since = now();
      while (!stopped() && (now() - lastSeen < quietMs || now() < heldUntil) && now() - since < atMostMs) {
        await new Promise((resolve) => setTimeout(resolve, quietMs));
      }
      letThroughAt = now();
    },
    giveWay: () => now() - lastSeen < quietMs && now() - letThroughAt >= sliceMs,
  };
}
