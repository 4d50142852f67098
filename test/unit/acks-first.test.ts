import { describe, expect, it } from 'vitest';
import { acksFirst } from '../../src/inbox/acks-first.js';

/** The background thread's work waits while acknowledgements arrive, but never for long. */
describe('acks first', () => {
  // Generous limits: a loaded machine runs timers late, and these tests check which rule ended the wait.
  const QUIET = 20;
  const AT_MOST = 1_000;

  it('lets work go at once when no request came lately', async () => {
    const gate = acksFirst(Date.now, QUIET, AT_MOST);
    gate.seen(Date.now() - 1_000);
    const started = Date.now();
    await gate.wait();
    expect(Date.now() - started).toBeLessThan(AT_MOST);
  });

  it('holds work back while requests keep coming, and lets it go once they stop', async () => {
    const gate = acksFirst(Date.now, QUIET, AT_MOST);
    const arriving = setInterval(() => gate.seen(Date.now()), 5);
    setTimeout(() => clearInterval(arriving), 120);
    gate.seen(Date.now());
    const started = Date.now();
    await gate.wait();
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(120);
    expect(waited).toBeLessThan(AT_MOST);
  });

  it('never holds work back longer than its limit, however long the stream', async () => {
    const gate = acksFirst(Date.now, QUIET, 300);
    const arriving = setInterval(() => gate.seen(Date.now()), 5);
    gate.seen(Date.now());
    try {
      const started = Date.now();
      await gate.wait();
      expect(Date.now() - started).toBeGreaterThanOrEqual(300);
      expect(Date.now() - started).toBeLessThan(300 + AT_MOST);
    } finally {
      clearInterval(arriving);
    }
  });

  it('stops waiting when the thread stops', async () => {
    const gate = acksFirst(Date.now, QUIET, AT_MOST);
    const arriving = setInterval(() => gate.seen(Date.now()), 5);
    let stopped = false;
    setTimeout(() => { stopped = true; }, 50);
    gate.seen(Date.now());
    try {
      const started = Date.now();
      await gate.wait(() => stopped);
      expect(Date.now() - started).toBeGreaterThanOrEqual(45);
      expect(Date.now() - started).toBeLessThan(AT_MOST);
    } finally {
      clearInterval(arriving);
    }
  });

  it('holds work back for the time asked, with no request at all, and lets it go after', async () => {
    const gate = acksFirst(Date.now, QUIET, AT_MOST);
    gate.holdFor(150);
    const started = Date.now();
    await gate.wait();
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(145);
    expect(waited).toBeLessThan(AT_MOST);
    const again = Date.now();
    await gate.wait();
    expect(Date.now() - again).toBeLessThan(QUIET * 2 + 100);
  });

  it('never holds work back longer than its limit at a time, however long the hold', async () => {
    const gate = acksFirst(Date.now, QUIET, 300);
    gate.holdFor(60_000);
    const started = Date.now();
    await gate.wait();
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(Date.now() - started).toBeLessThan(300 + AT_MOST);
  });

  it('lets a run go on for its slice while requests arrive, then asks it to give way; never when none arrive', () => {
    let now = 10_000;
    const gate = acksFirst(() => now, QUIET, AT_MOST, 200);
    void gate.wait(); // nothing came lately: the run is let through at once
    expect(gate.giveWay()).toBe(false);
    now += 150;
    gate.seen(now);
    expect(gate.giveWay()).toBe(false); // a request, but the run has not had its slice
    now += 60;
    gate.seen(now);
    expect(gate.giveWay()).toBe(true); // 210 ms into its run, with a request just in
    now += QUIET;
    expect(gate.giveWay()).toBe(false); // quiet again: it goes on
  });
});
