import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { upsertMember } from '../../src/register/committee.js';
import { calendarSnapshot, outboxMessages, refusedAll } from '../support/calendar.js';
import { commandDriver, createTestServices, slackUser, type CommandDriver, type TestServices } from '../support/service-context.js';

const member = slackUser('UM1');
const other = slackUser('UM2');
const staff = slackUser('USTAFF');

let t: TestServices;
let d: CommandDriver;

beforeEach(async () => {
  t = await createTestServices();
  d = commandDriver(t);
  await upsertMember(t.db, { platform: 'slack', userId: 'UM1', role: 'member', addedBy: 'test' });
  await upsertMember(t.db, { platform: 'slack', userId: 'UM2', role: 'chair', addedBy: 'test' });
});
afterEach(async () => { await t.drop(); });

const events = (action: string) => t.db('audit_events').where({ action }).orderBy('id').select('actor', 'subject', 'facts');

describe('/gov notice', () => {
  it('says no review is recorded yet, to anyone', async () => {
    const said = await d.say(staff, 'gov', 'notice');
    expect(said).toContain('Privacy notice: no review has been recorded yet');
    expect(said).toContain('/gov notice reviewed <version>');
    expect(said).toContain('Open regulatory changes: none');
  });

  it('shows the version, last review and the yearly next review', async () => {
    t.setNow('2025-06-10');
    await d.say(member, 'gov', 'notice reviewed 2025.1');
    t.setNow('2026-03-02');
    const said = await d.say(staff, 'gov', 'notice');
    expect(said).toContain('Privacy notice: version 2025.1, last reviewed 2025-06-10 Tue by ⟨member:slack:UM1⟩.');
    expect(said).toContain('Next review: 2026-06-10 Wed (yearly; 100 days left).');
  });

  it('refuses words it does not know', async () => {
    await refusedAll(d, t.db, member, 'gov', 'notice status', 'is not a /gov notice form', 'Usage: /gov notice');
  });
});

describe('/gov notice reviewed', () => {
  it('records a review, audited, and moves the next review a year on', async () => {
    expect(await d.say(member, 'gov', 'notice reviewed 2026.1')).toBe('Recorded: privacy notice version 2026.1 reviewed on 2026-03-02 Mon. Next yearly review: 2027-03-02 Tue.');
    expect(await t.db('notice_reviews').select('version', 'reviewed_on', 'reviewed_by')).toEqual([{ version: '2026.1', reviewed_on: '2026-03-02', reviewed_by: 'slack:UM1' }]);
    expect(await events('notice.reviewed')).toEqual([{ actor: 'slack:UM1', subject: 'privacy-notice', facts: expect.objectContaining({ version: '2026.1', previous_version: null, next_review_on: '2027-03-02' }) }]);
  });

  it('accepts a newer version or the same one again, numbers compared as numbers', async () => {
    await d.say(member, 'gov', 'notice reviewed 2026.9');
    expect(await d.say(other, 'gov', 'notice reviewed 2026.10')).toContain('version 2026.10 (was 2026.9) reviewed');
    expect(await d.say(other, 'gov', 'notice reviewed')).toContain('version 2026.10 reviewed again');
    expect(await d.say(other, 'gov', 'notice reviewed v2026.10')).toContain('version 2026.10 reviewed again');
    expect(await t.db('notice_reviews').orderBy('id').pluck('version')).toEqual(['2026.9', '2026.10', '2026.10', '2026.10']);
  });

  it('refuses a version going backwards, an unreadable one and a re-review of nothing, changing nothing', async () => {
    await refusedAll(d, t.db, member, 'gov', 'notice reviewed', 'No review has been recorded yet', 'Usage: /gov notice reviewed [version]');
    await d.say(member, 'gov', 'notice reviewed 2026.2');
    await refusedAll(d, t.db, member, 'gov', 'notice reviewed 2026.1', 'Version 2026.1 is older than 2026.2', 'Usage: /gov notice reviewed [version]');
    await refusedAll(d, t.db, member, 'gov', 'notice reviewed 2025-12-01', 'older than 2026.2');
    await refusedAll(d, t.db, member, 'gov', 'notice reviewed final-draft', '"final-draft" is not a notice version', 'e.g. 2026.2');
    await refusedAll(d, t.db, member, 'gov', 'notice reviewed 2026.3 2026.4', 'Give one version');
  });

  it('is for committee members only', async () => {
    await refusedAll(d, t.db, staff, 'gov', 'notice reviewed 2026.1', 'Only committee members');
    await refusedAll(d, t.db, staff, 'gov', 'notice change new ICO guidance', 'Only committee members');
  });
});

describe('/gov notice change', () => {
  it('makes the review due now, tells the committee at once, and a review closes it', async () => {
    await d.say(member, 'gov', 'notice reviewed 2026.1');
    t.setNow('2026-05-04');
    const said = await d.say(member, 'gov', 'notice change ICO guidance on legitimate interests updated');
    expect(said).toMatch(/^Recorded regulatory change #\d+: the privacy notice review is due now, and the committee channel has been told/);
    const posted = await outboxMessages(t.db);
    expect(posted).toEqual([expect.objectContaining({ platform: 'slack', operation: 'post', text: expect.stringContaining('ICO guidance on legitimate interests updated) was recorded on 2026-05-04 Mon: the privacy notice review is due now') })]);
    expect(await t.db('reminders_sent').select('subject_ref', 'milestone')).toEqual([{ subject_ref: 'privacy-notice', milestone: expect.stringMatching(/^change:\d+:0$/) }]);
    const [event] = await events('notice.regulatory_change_recorded');
    expect(event?.facts).toEqual({ change_id: expect.any(Number), review_due_on: '2026-05-04' });

    const status = await d.say(staff, 'gov', 'notice');
    expect(status).toContain('Next review: due now, after a regulatory change; the yearly review would be due 2027-03-02 Tue.');
    expect(status).toMatch(/• #\d+ recorded 2026-05-04 by ⟨member:slack:UM1⟩: ICO guidance on legitimate interests updated/);

    expect(await d.say(other, 'gov', 'notice reviewed 2026.2')).toMatch(/It addresses regulatory change #\d+\. Next yearly review: 2027-05-04 Tue\./);
    expect(await t.db('regulatory_changes').whereNull('addressed_by_review_id').count<{ count: number }[]>('* as count')).toEqual([{ count: 0 }]);
    expect(await d.say(staff, 'gov', 'notice')).toContain('Open regulatory changes: none');
  });

  it('refuses an empty change', async () => {
    const before = await calendarSnapshot(t.db);
    await refusedAll(d, t.db, member, 'gov', 'notice change', 'Say what changed', 'Usage: /gov notice change <what changed>');
    await refusedAll(d, t.db, member, 'gov', 'notice change ""', 'Say what changed');
    expect(await calendarSnapshot(t.db)).toEqual(before);
  });
});
