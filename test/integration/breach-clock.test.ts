import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { breachClockJob, runBreachClock } from '../../src/jobs/breach-clock.js';
import { runScheduledJob } from '../../src/jobs/run-job.js';
import { upsertMember } from '../../src/register/committee.js';
import { outboxMessages } from '../support/calendar.js';
import { commandDriver, createTestServices, slackUser, type CommandDriver, type TestServices } from '../support/service-context.js';

const member = slackUser('UM1');
const HOUR = 3_600_000;
// Aware (and reported) at 10:00 GMT on Monday 2 March 2026: the deadline is 10:00 on Thursday 5 March.
const AWARE = new Date('2026-03-02T10:00:00Z');
const after = (hours: number, minutes = 5) => new Date(AWARE.getTime() + hours * HOUR + minutes * 60_000);

let t: TestServices;
let d: CommandDriver;

beforeEach(async () => {
  t = await createTestServices();
  d = commandDriver(t);
  await upsertMember(t.db, { platform: 'slack', userId: 'UM1', role: 'member', addedBy: 'test' });
  await upsertMember(t.db, { platform: 'slack', userId: 'UCHAIR', role: 'chair', addedBy: 'test' });
  await upsertMember(t.db, { platform: 'teams', userId: '29:teamschair', role: 'chair', addedBy: 'test' });
});
afterEach(async () => { await t.drop(); });

const notices = async () => (await outboxMessages(t.db)).filter((m) => m.text !== undefined).map((m) => m.text ?? '');

/** Runs the clock at each hour after awareness; returns what each run posted. */
async function clockRuns(hours: number[]): Promise<[number, string[]][]> {
  const posted: [number, string[]][] = [];
  for (const hour of hours) {
    const before = (await notices()).length;
    await runBreachClock(t.ctx, after(hour));
    posted.push([hour, (await notices()).slice(before)]);
  }
  return posted;
}

describe('breach-clock', () => {
  it('warns at 24, 12 and 4 hours left and when overdue, each exactly once, naming the chairs when overdue', async () => {
    await d.say(member, 'gov', 'breach report lost laptop');
    const posted = await clockRuns([1, 47, 48, 49, 59, 60, 60, 67, 68, 71, 72, 73, 90, 200]);
    expect(posted).toEqual([
      [1, []],
      [47, []],
      [48, ['Breach BR-2026-001: 24 hours left to report it to the regulator (deadline 2026-03-05 10:00 GMT). Once told: /gov breach notified BR-2026-001 regulator; if it is unlikely to result in a risk to anyone: /gov breach not-reportable BR-2026-001 <reason>.']],
      [49, []],
      [59, []],
      [60, [expect.stringContaining('Breach BR-2026-001: 12 hours left')]],
      [60, []],
      [67, []],
      [68, [expect.stringContaining('Breach BR-2026-001: 4 hours left')]],
      [71, []],
      [72, ['Breach BR-2026-001 is overdue: the 72 hours to report it to the regulator ended 2026-03-05 10:00 GMT, 5 min ago. Chairs: ⟨member:slack:UCHAIR⟩: please see that it is reported now with the reasons for the delay (/gov breach notified BR-2026-001 regulator --late-reason "…"), or the decision not to report recorded (/gov breach not-reportable BR-2026-001 <reason>).']],
      [73, []],
      [90, []],
      [200, []],
    ]);
    expect(await t.db('reminders_sent').where({ subject_ref: 'BR-2026-001' }).orderBy('sent_at').pluck('milestone'))
      .toEqual(['clock:24', 'clock:12', 'clock:4', 'clock:overdue']);
    expect(posted.flatMap(([, texts]) => texts).filter((text) => text.includes('UCHAIR'))).toHaveLength(1);
  });

  it('after missed hours sends only the most urgent warning, and never goes back', async () => {
    await d.say(member, 'gov', 'breach report lost laptop');
    expect(await clockRuns([62, 69, 75])).toEqual([
      [62, [expect.stringContaining('10 hours left')]],
      [69, [expect.stringContaining('3 hours left')]],
      [75, [expect.stringContaining('is overdue')]],
    ]);
  });

  it('stops once the regulator is told or the breach is decided not reportable', async () => {
    await d.say(member, 'gov', 'breach report lost laptop');
    await d.say(member, 'gov', 'breach report misdirected email');
    await d.say(member, 'gov', 'breach report phishing');
    await d.say(member, 'gov', 'breach notified BR-2026-001 regulator');
    await d.say(member, 'gov', 'breach not-reportable BR-2026-002 recalled unread');
    expect(await runBreachClock(t.ctx, after(50))).toEqual({ on_the_clock: 1, sent: 1 });
    expect((await notices()).map((text) => text.slice(0, 18))).toEqual(['Breach BR-2026-003']);
  });

  it('chases controllers not yet told, at 1, 4 and 12 hours and then daily, with no regulator clock for customers\' data', async () => {
    await d.say(member, 'gov', 'breach report customer mailbox exposed --controllers');
    const posted = await clockRuns([0, 1, 2, 4, 12, 23, 24, 47, 48, 73]);
    expect(posted.map(([hour, texts]) => [hour, texts.length])).toEqual([[0, 0], [1, 1], [2, 0], [4, 1], [12, 1], [23, 0], [24, 1], [47, 0], [48, 1], [73, 1]]);
    expect(posted[1]?.[1][0]).toBe('Breach BR-2026-001: the controllers (customers whose data is affected) are still to be told, without undue delay (Art 33(2)); the company has been aware since 2026-03-02 10:00 GMT, 1 h 5 min ago. Once told: /gov breach notified BR-2026-001 controllers.');
    expect(posted.flatMap(([, texts]) => texts).some((text) => text.includes('regulator'))).toBe(false);
    await d.say(member, 'gov', 'breach notified BR-2026-001 controllers');
    expect(await runBreachClock(t.ctx, after(100))).toEqual({ on_the_clock: 0, sent: 0 });
  });

  it('both roles: the regulator\'s clock and the controllers\' chase run side by side until each is told', async () => {
    await d.say(member, 'gov', 'breach report lost laptop --controllers --own-data');
    expect((await clockRuns([48]))[0]?.[1]).toEqual([expect.stringContaining('controllers (customers whose data is affected) are still to be told'), expect.stringContaining('24 hours left to report it to the regulator')]);
    await d.say(member, 'gov', 'breach notified BR-2026-001 controllers');
    expect((await clockRuns([60]))[0]?.[1]).toEqual([expect.stringContaining('12 hours left')]);
  });

  it('runs each hourly slot once', async () => {
    await d.say(member, 'gov', 'breach report lost laptop');
    expect(await runScheduledJob(breachClockJob, t.ctx, after(48))).toMatchObject({ status: 'done', period: '2026-03-04T10', summary: { sent: 1 } });
    expect(await runScheduledJob(breachClockJob, t.ctx, after(48, 30))).toMatchObject({ status: 'skipped' });
  });
});
