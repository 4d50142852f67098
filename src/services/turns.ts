/**
 * Work let run only a few at a time, the rest waiting their turn in arrival order.
 *
 * A vote's transaction takes row locks and, at its commit, the audit chain's lock, and it holds
 * a pooled connection across its round trips. On a small host, a burst of 50 votes let in ten at a
 * time went in lock step: the ten transactions' statements waited on each other in Postgres, then
 * their answers all waited on the one event loop, and each batch took as long as its slowest.
 * Fewer at once keeps Postgres and the event loop both busy and answers the first clicks first.
 */
export interface Turns {
  run<T>(work: () => Promise<T>): Promise<T>;
}

export function turns(atOnce: number): Turns {
  if (!Number.isSafeInteger(atOnce) || atOnce < 1) throw new RangeError(`at least one at a time, got ${atOnce}`);
  let running = 0;
  const waiting: (() => void)[] = [];
  return {
    async run(work) {
      if (running >= atOnce) await new Promise<void>((resolve) => waiting.push(resolve));
      else running += 1;
      // A waiter woken by `next` takes the place it left: `running` stays as it was.
      try {
        return await work();
      } finally {
        if (waiting.length > 0) waiting.shift()!();
        else running -= 1;
      }
    },
  };
}
