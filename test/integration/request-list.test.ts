import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clockSummary } from '../../src/domain/request-clock.js';
import { bootstrapChairs } from '../../src/services/bootstrap-chairs.js';
import { clockEnv, loadClock } from '../../src/services/request-clock.js';
import { commandDriver, createTestServices, slackUser, type CommandDriver, type TestServices } from '../support/service-context.js';
import { countRoundTrips, listing } from '../support/round-trips.js';

/**
 * `/dsr list` with more requests than a chat message should hold: the 20 most urgent, each with the
 * clock the request's own history gives, then how many more and how to narrow the list.
 */
const chair = slackUser('UCHAIR');
const staff = slackUser('USTAFF');

let t: TestServices;
let d: CommandDriver;
const refs: string[] = [];

beforeAll(async () => {
  t = await createTestServices({ env: { COMMITTEE_CHAIRS: 'slack:UCHAIR' } });
  d = commandDriver(t);
  await bootstrapChairs(t.ctx);
  // 30 requests received over seven weeks (the oldest overdue), one awaiting identity, one closed.
  for (let i = 0; i < 30; i += 1) {
    const day = new Date(Date.UTC(2026, 0, 12 + ((i * 13) % 49))).toISOString().slice(0, 10);
    refs.push(await d.log(slackUser(`U${i}`), `access person${i}@example.com --received ${day}`));
  }
  await d.run(chair, 'dsr', `pause ${refs[3]} identity`);
  await d.run(chair, 'dsr', `close ${refs[4]} withdrawn`);
  void staff;
});
afterAll(async () => { await t.drop(); });

async function expectedLines(filter: (summary: string) => boolean): Promise<string[]> {
  const env = clockEnv(t.ctx.config, t.now());
  const open = await t.db('requests').whereNull('closed_at');
  const withClocks = await Promise.all(open.map(async (r) => ({ r, clock: await loadClock(t.db, r, env) })));
  return withClocks
    .filter(({ clock }) => filter(clock.state))
    .sort((a, b) => (a.clock.due ?? '9999-12-31').localeCompare(b.clock.due ?? '9999-12-31') || a.r.id - b.r.id)
    .map(({ r, clock }) => `${r.reference} · access · ${clockSummary(clock)}`);
}

const brief = (line: string) => line.replace(/ · p\*\*\*\S* · [^·]+ · /, ' · ');

describe('/dsr list of many requests', () => {
  it('shows the 20 most urgent by their clocks, then how many more and how to narrow it', async () => {
    const said = (await d.say(chair, 'dsr', 'list')).split('\n');
    expect(said[0]).toBe('Open requests, nearest deadline first (today is 2026-03-02):');
    const expected = await expectedLines(() => true);
    expect(expected).toHaveLength(29);
    expect(said.slice(1, 21).map((l) => brief(l.replace(/^• /, '')))).toEqual(expected.slice(0, 20));
    expect(said[21]).toBe('…and 9 more (29 in all). Narrow it with /dsr list overdue or /dsr list due-soon; /dsr show <ref> shows one request.');
    expect(said).toHaveLength(22);
    // The one awaiting identity has no due date, so it is not among the most urgent.
    expect(said.join('\n')).not.toContain(refs[3]);
  });

  it('lists only the overdue with their own count, and closed ones with theirs', async () => {
    const overdue = await expectedLines((state) => state === 'overdue');
    const said = (await d.say(chair, 'dsr', 'list overdue')).split('\n');
    expect(overdue.length).toBeGreaterThan(0);
    expect(said.slice(1, 1 + Math.min(20, overdue.length)).map((l) => brief(l.replace(/^• /, '')))).toEqual(overdue.slice(0, 20));
    const closed = (await d.say(chair, 'dsr', 'list closed')).split('\n');
    expect(closed).toHaveLength(2);
    expect(closed[1]).toContain(refs[4]);
  });

  it('reads the register in two round trips: membership, then the open requests with their history', async () => {
    const { statements } = await countRoundTrips(t.db, () => d.say(chair, 'dsr', 'list'));
    expect(statements, listing(statements)).toHaveLength(2);
  });
});
