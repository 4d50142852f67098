import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { noticeReviewRemindersJob, sendNoticeReviewReminders } from '../../src/jobs/notice-review-reminders.js';
import { processorReviewRemindersJob, sendProcessorReviewReminders } from '../../src/jobs/processor-review-reminders.js';
import { runScheduledJob } from '../../src/jobs/run-job.js';
import { upsertMember } from '../../src/register/committee.js';
import { outboxMessages } from '../support/calendar.js';
import { commandDriver, createTestServices, slackUser, type CommandDriver, type TestServices } from '../support/service-context.js';

const member = slackUser('UM1');
/** 08:10 in London: the notice job's daily slot (GMT before 29 March, BST after). */
const morning = (day: string) => new Date(`${day}T${day < '2026-03-29' ? '08' : '07'}:10:00Z`);

let t: TestServices;
let d: CommandDriver;

beforeEach(async () => {
  t = await createTestServices();
  d = commandDriver(t);
  await upsertMember(t.db, { platform: 'slack', userId: 'UM1', role: 'member', addedBy: 'test' });
});
afterEach(async () => { await t.drop(); });

const texts = async () => (await outboxMessages(t.db)).map((m) => m.text ?? '');
/** Runs the notice job on each day in turn, returning what each run posted, as `day: [texts]`. */
async function noticeRuns(days: string[]): Promise<[string, string[]][]> {
  const posted: [string, string[]][] = [];
  for (const day of days) {
    const before = (await texts()).length;
    await sendNoticeReviewReminders(t.ctx, morning(day));
    posted.push([day, (await texts()).slice(before)]);
  }
  return posted;
}

describe('notice-review-reminders', () => {
  it('reminds 30 and 7 days before the yearly review, then weekly when overdue, each once', async () => {
    t.setNow('2025-04-01');
    await d.say(member, 'gov', 'notice reviewed 2025.1');
    const posted = await noticeRuns(['2026-03-01', '2026-03-02', '2026-03-02', '2026-03-24', '2026-03-25', '2026-03-26', '2026-04-01', '2026-04-02', '2026-04-08', '2026-04-09', '2026-04-10']);
    expect(posted).toEqual([
      ['2026-03-01', []],
      ['2026-03-02', ['The yearly review of the privacy notice (version 2025.1) is due in 30 days, on 2026-04-01 Wed. Once done: /gov notice reviewed <version>.']],
      ['2026-03-02', []],
      ['2026-03-24', []],
      ['2026-03-25', ['The yearly review of the privacy notice (version 2025.1) is due in 7 days, on 2026-04-01 Wed. Once done: /gov notice reviewed <version>.']],
      ['2026-03-26', []],
      ['2026-04-01', []],
      ['2026-04-02', ['The yearly review of the privacy notice (version 2025.1) is overdue: it was due 2026-04-01 Wed, 1 day ago. Once done: /gov notice reviewed <version>.']],
      ['2026-04-08', []],
      ['2026-04-09', [expect.stringContaining('is overdue: it was due 2026-04-01 Wed, 8 days ago')]],
      ['2026-04-10', []],
    ]);
    expect(await t.db('reminders_sent').where({ subject_ref: 'privacy-notice' }).orderBy('milestone').pluck('milestone'))
      .toEqual(['due-in-30:2026-04-01', 'due-in-7:2026-04-01', 'overdue:2026-04-01:0', 'overdue:2026-04-01:1']);
  });

  it('runs its daily slot once', async () => {
    t.setNow('2025-04-01');
    await d.say(member, 'gov', 'notice reviewed 2025.1');
    expect(await runScheduledJob(noticeReviewRemindersJob, t.ctx, morning('2026-03-02'))).toMatchObject({ status: 'done', period: '2026-03-02', summary: { sent: 1 } });
    expect(await runScheduledJob(noticeReviewRemindersJob, t.ctx, new Date(morning('2026-03-02').getTime() + 60_000))).toMatchObject({ status: 'skipped' });
    expect(await texts()).toHaveLength(1);
  });

  it('after a regulatory change: at once from the command, then weekly until a review closes it', async () => {
    t.setNow('2026-01-10');
    await d.say(member, 'gov', 'notice reviewed 2026.1');
    t.setNow('2026-03-02');
    await d.say(member, 'gov', 'notice change Data (Use and Access) Act 2025 provisions in force');
    expect(await texts()).toEqual([expect.stringContaining('was recorded on 2026-03-02 Mon: the privacy notice review is due now')]);
    const posted = await noticeRuns(['2026-03-02', '2026-03-08', '2026-03-09', '2026-03-10']);
    expect(posted).toEqual([
      ['2026-03-02', []],
      ['2026-03-08', []],
      ['2026-03-09', ['The privacy notice review is still due after regulatory change #1 (Data (Use and Access) Act 2025 provisions in force), recorded 2026-03-02 Mon, 1 week ago: review the notice, then /gov notice reviewed <version>.']],
      ['2026-03-10', []],
    ]);
    t.setNow('2026-03-11');
    await d.say(member, 'gov', 'notice reviewed 2026.2');
    expect(await noticeRuns(['2026-03-16', '2027-02-08', '2027-02-09'])).toEqual([
      ['2026-03-16', []], ['2027-02-08', []], ['2027-02-09', [expect.stringContaining('(version 2026.2) is due in 30 days, on 2027-03-11 Thu')]],
    ]);
  });

  it('nudges weekly while no review has ever been recorded', async () => {
    expect(await noticeRuns(['2026-03-02', '2026-03-03', '2026-03-09'])).toEqual([
      ['2026-03-02', ['No review of the privacy notice has been recorded: it is reviewed yearly. Record the version in force with /gov notice reviewed <version>.']],
      ['2026-03-03', []],
      ['2026-03-09', [expect.stringContaining('No review of the privacy notice has been recorded')]],
    ]);
  });
});

describe('processor-review-reminders', () => {
  it('reminds of each provider\'s review at 30 and 7 days and when overdue, once each, restarting after a review', async () => {
    for (const [name, due] of [['HubSpot CRM', '2026-04-01'], ['Microsoft 365', '2026-03-09'], ['LinkedIn advertising', '2026-02-20'], ['Xero', '2026-06-01']] as const) {
      await t.db('processors').insert({ name, purpose: 'test', next_review_on: due, created_by: 'test' });
    }
    const at = (day: string) => new Date(`${day}T08:20:00Z`);
    expect(await sendProcessorReviewReminders(t.ctx, at('2026-03-02'))).toMatchObject({ processors: 4, sent: 3, already_sent: 0 });
    expect(await texts()).toEqual([
      'The yearly review of service provider LinkedIn advertising (its safeguards and data processing agreement) is overdue: it was due 2026-02-20 Fri, 10 days ago. Once done: /gov processors reviewed "LinkedIn advertising".',
      'The yearly review of service provider Microsoft 365 (its safeguards and data processing agreement) is due in 7 days, on 2026-03-09 Mon. Once done: /gov processors reviewed "Microsoft 365".',
      'The yearly review of service provider HubSpot CRM (its safeguards and data processing agreement) is due in 30 days, on 2026-04-01 Wed. Once done: /gov processors reviewed "HubSpot CRM".',
    ]);
    expect(await sendProcessorReviewReminders(t.ctx, at('2026-03-02'))).toMatchObject({ sent: 0, already_sent: 3 });
    expect(await sendProcessorReviewReminders(t.ctx, at('2026-03-03'))).toMatchObject({ sent: 0 });

    // Reviewed, LinkedIn's next review is a year on: its weekly overdue nudge (due 2026-03-09) stops.
    await d.say(member, 'gov', 'processors reviewed LinkedIn advertising');
    expect(await sendProcessorReviewReminders(t.ctx, at('2026-03-09'))).toMatchObject({ sent: 0 });
    expect(await sendProcessorReviewReminders(t.ctx, at('2026-03-10'))).toMatchObject({ sent: 1 });
    expect((await texts()).at(-1)).toContain('service provider Microsoft 365 (its safeguards and data processing agreement) is overdue: it was due 2026-03-09 Mon, 1 day ago');
    expect(await t.db('reminders_sent').where('subject_ref', 'like', 'processor:%').count<{ count: number }[]>('* as count')).toEqual([{ count: 4 }]);
  });

  it('runs its daily slot once', async () => {
    await t.db('processors').insert({ name: 'Xero', purpose: 'accounts', next_review_on: '2026-04-01', created_by: 'test' });
    expect(await runScheduledJob(processorReviewRemindersJob, t.ctx, new Date('2026-03-02T08:20:00Z'))).toMatchObject({ status: 'done', summary: { sent: 1 } });
    expect(await runScheduledJob(processorReviewRemindersJob, t.ctx, new Date('2026-03-02T09:00:00Z'))).toMatchObject({ status: 'skipped' });
  });
});
