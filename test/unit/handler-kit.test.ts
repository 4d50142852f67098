import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import type { ServiceContext } from '../../src/services/context.js';
import { createHandlerDeps } from '../../src/slack/handler-kit.js';

describe('work after the ack', () => {
  it('runs a few at a time, in order, every one to the end, also when some fail', async () => {
    const told: string[] = [];
    const { deps, drain } = createHandlerDeps({} as ServiceContext, createLogger({ logLevel: 'silent' }), {} as never, {} as never, 3);
    let running = 0;
    let most = 0;
    const finished: number[] = [];
    for (let i = 0; i < 20; i += 1) {
      void deps.guard('test', async () => {
        running += 1;
        most = Math.max(most, running);
        await sleep(5);
        running -= 1;
        if (i % 7 === 0) throw new Error('boom');
        finished.push(i);
      }, async (message) => { told.push(message); });
    }
    await drain();
    expect(most).toBe(3);
    expect(finished).toEqual([1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 15, 16, 17, 18, 19]);
    expect(told).toHaveLength(3);
    expect(told[0]).toMatch(/^Something went wrong on our side; nothing was changed\. Reference: [0-9a-f]{8}$/);
  });
});
