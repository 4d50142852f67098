import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import type { ServiceContext } from '../../src/services/context.js';
import type { InboxRecorder, Recorded } from '../../src/inbox/recorder.js';
import { NOT_RECORDED } from '../../src/inbox/work.js';
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

describe('recording before the ack', () => {
  const slowRecorder = (outcome: Recorded, ms: number): InboxRecorder => ({ record: async () => { await sleep(ms); return outcome; } });
  const depsWith = (recorder: InboxRecorder) => createHandlerDeps({} as ServiceContext, createLogger({ logLevel: 'silent' }), {} as never, recorder, 4, 20).deps;

  it('answers in time with what it knows: recorded, or not yet known (late)', async () => {
    expect(await depsWith(slowRecorder('recorded', 1)).record('k', {}, async () => undefined)).toBe('recorded');
    expect(await depsWith(slowRecorder('recorded', 80)).record('k', {}, async () => undefined)).toBe('late');
  });

  it('tells the person when a late record then failed, and only then', async () => {
    const told: string[] = [];
    expect(await depsWith(slowRecorder('failed', 60)).record('k', {}, async (text) => { told.push(text); })).toBe('late');
    expect(await depsWith(slowRecorder('recorded', 60)).record('k', {}, async (text) => { told.push(`wrongly: ${text}`); })).toBe('late');
    await sleep(120);
    expect(told).toEqual([NOT_RECORDED]);
  });
});
