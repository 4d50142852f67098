import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { upsertMember } from '../../src/register/committee.js';
import { cardText, outboxMessages, refusedAll } from '../support/calendar.js';
import { commandDriver, createTestServices, slackUser, type CommandDriver, type TestServices } from '../support/service-context.js';

const member = slackUser('UM1');
const other = slackUser('UM2');
const staff = slackUser('USTAFF');
// DEFAULT_NOW: Monday 2 March 2026, 10:00 GMT.
const REPORT_USAGE = 'Usage: /gov breach report <summary>';
const NOTIFIED_USAGE = 'Usage: /gov breach notified BR-2026-009 <regulator|controllers|individuals>';

let t: TestServices;
let d: CommandDriver;

beforeEach(async () => {
  t = await createTestServices();
  d = commandDriver(t);
  await upsertMember(t.db, { platform: 'slack', userId: 'UM1', role: 'member', addedBy: 'test' });
  await upsertMember(t.db, { platform: 'slack', userId: 'UM2', role: 'chair', addedBy: 'test' });
});
afterEach(async () => { await t.drop(); });

const breach = (reference = 'BR-2026-001') => t.db('breaches').where({ reference }).first();
const lastCard = async () => (await outboxMessages(t.db)).filter((m) => m.card_key?.startsWith('breach:')).at(-1);

describe('/gov breach report', () => {
  it('starts the 72-hour clock from now and posts the card to the committee channel', async () => {
    const said = await d.say(member, 'gov', 'breach report CRM export emailed to the wrong customer --controllers --own-data');
    expect(said).toContain('Reported BR-2026-001. The 72-hour clock runs from 2026-03-02 10:00 GMT: report it to the regulator by 2026-03-05 10:00 GMT');
    expect(said).toContain('Owed a notice: regulator, controllers.');
    const row = await breach();
    expect(row).toMatchObject({ status: 'open', reported_by: 'slack:UM1', platform: 'slack', controllers_affected: true, individuals_high_risk: false, summary: 'CRM export emailed to the wrong customer' });
    expect(row.deadline_at.toISOString()).toBe('2026-03-05T10:00:00.000Z');
    const [card] = await outboxMessages(t.db);
    expect(card).toMatchObject({ operation: 'post', card_key: `breach:${row.id}`, card: { reference: 'BR-2026-001', status: 'open: still to tell regulator, controllers' } });
    const text = cardText(card?.card);
    expect(text).toContain('Regulator deadline: 2026-03-05 10:00 GMT (72 hours from awareness, weekends included)');
    expect(text).toContain('Regulator (ICO): owed by 2026-03-05 10:00 GMT: not yet told');
    expect(text).toContain('Controllers (customers whose data is affected): owed without undue delay (Art 33(2)): not yet told; chased by the hourly breach clock');
    expect(text).toContain('Individuals affected: not owed: the risk to them was not assessed as high');
    const event = await t.db('audit_events').where({ action: 'breach.reported' }).first('subject', 'facts');
    expect(event).toEqual({ subject: 'BR-2026-001', facts: expect.objectContaining({ deadline_at: '2026-03-05T10:00:00.000Z', owed: ['regulator', 'controllers'] }) });
    expect(JSON.stringify(event.facts)).not.toContain('CRM export');
  });

  it('reads --aware in the committee\'s time zone, summer time included, and numbers on', async () => {
    await d.say(member, 'gov', 'breach report lost laptop --aware 2026-03-01T09:30 --high-risk');
    expect((await breach()).deadline_at.toISOString()).toBe('2026-03-04T09:30:00.000Z');
    t.setNow('2026-07-02T12:00:00Z');
    const said = await d.say(member, 'gov', 'breach report "phishing: one mailbox read" --aware 2026-07-01T09:30');
    expect(said).toContain('Reported BR-2026-002. The 72-hour clock runs from 2026-07-01 09:30 BST: report it to the regulator by 2026-07-04 09:30 BST');
    expect((await breach('BR-2026-002')).aware_at.toISOString()).toBe('2026-07-01T08:30:00.000Z');
  });

  it('refuses a future, unreadable or missing awareness time, an empty summary and non-members, changing nothing', async () => {
    await refusedAll(d, t.db, member, 'gov', 'breach report lost laptop --aware 2026-03-02T11:00', 'is in the future', REPORT_USAGE);
    await refusedAll(d, t.db, member, 'gov', 'breach report lost laptop --aware yesterday', '"yesterday" is not a time in the form YYYY-MM-DDTHH:MM');
    await refusedAll(d, t.db, member, 'gov', 'breach report lost laptop --aware 2026-02-30T09:00', 'is not a real date');
    await refusedAll(d, t.db, member, 'gov', 'breach report lost laptop --aware', '--aware needs a value');
    await refusedAll(d, t.db, member, 'gov', 'breach report --controllers', 'Describe the suspected breach', REPORT_USAGE);
    await refusedAll(d, t.db, member, 'gov', 'breach report lost laptop --risky', 'unknown option --risky');
    await refusedAll(d, t.db, staff, 'gov', 'breach report lost laptop', 'Only committee members');
    await refusedAll(d, t.db, staff, 'gov', 'breach list', 'Only committee members');
  });
});

describe('/gov breach report by role', () => {
  it('customers\' data only (--controllers): the controllers are owed, the regulator and the individuals are theirs', async () => {
    const said = await d.say(member, 'gov', 'breach report customer mailbox exposed --controllers');
    expect(said).toBe("Reported BR-2026-001. Customers' data only: tell their controllers without undue delay (Art 33(2)); the regulator and the individuals are theirs to tell. Owed a notice: controllers. Its card is in the committee channel; as each is told: /gov breach notified BR-2026-001 <controllers>.");
    expect(await breach()).toMatchObject({ own_data: false, controllers_affected: true });
    const card = JSON.stringify((await lastCard())?.card);
    expect(card).toContain("customers' only (the company is their processor, Art 33(2))");
    expect(card).toContain("not ours to tell: customers' data only, the controllers decide");
    await refusedAll(d, t.db, member, 'gov', 'breach not-reportable BR-2026-001 encrypted', "affects customers' data only");
    expect(await d.say(member, 'gov', 'breach list')).toContain('controllers to be told without undue delay (aware 0 min ago)');
    expect(await d.say(member, 'gov', 'breach notified BR-2026-001 controllers')).toContain('BR-2026-001 is closed');
  });

  it('refuses --high-risk for customers\' data only, changing nothing', async () => {
    await refusedAll(d, t.db, member, 'gov', 'breach report customer mailbox exposed --controllers --high-risk', "telling the individuals is the controllers' decision", 'add --own-data', REPORT_USAGE);
  });
});

describe('/gov breach notified and not-reportable', () => {
  it('closes once everyone owed is told, updating the card in place', async () => {
    await d.say(member, 'gov', 'breach report CRM export sent to the wrong customer --controllers --own-data --high-risk');
    t.setNow('2026-03-03T09:00:00Z');
    expect(await d.say(other, 'gov', 'breach notified br-2026-1 regulator')).toBe('Recorded for BR-2026-001: the regulator was told at 2026-03-03 09:00 GMT. Still to be told: controllers, individuals.');
    expect(await lastCard()).toMatchObject({ operation: 'update', card: { status: 'open: still to tell controllers, individuals' } });
    expect(cardText((await lastCard())?.card)).toContain('Regulator (ICO): told 2026-03-03 09:00 GMT (recorded by ⟨member:slack:UM2⟩), in time');
    await d.say(other, 'gov', 'breach notified BR-2026-001 controllers');
    const said = await d.say(member, 'gov', 'breach notified BR-2026-001 individuals');
    expect(said).toContain('BR-2026-001 is closed: everyone owed a notice has had one.');
    expect(await breach()).toMatchObject({ status: 'closed', individuals_notified_by: 'slack:UM1' });
    expect(await lastCard()).toMatchObject({ card: { status: 'closed 2026-03-03' } });
    expect((await lastCard())?.card?.sections.map((s) => s.heading)).toEqual(['Who must be told']);
    expect(await t.db('audit_events').where({ action: 'breach.notified' }).orderBy('id').pluck('facts'))
      .toEqual([expect.objectContaining({ party: 'regulator', late: false, closed: false }), expect.objectContaining({ party: 'controllers' }), expect.objectContaining({ party: 'individuals', closed: true, still_to_tell: [] })]);
    const list = await d.say(member, 'gov', 'breach list');
    expect(list).toContain('No open breaches.');
    expect(list).toContain('Closed in the last 30 days:\n• BR-2026-001 · closed 2026-03-03');
  });

  it('refuses an unknown or malformed ref, an unknown party and a second notice, changing nothing', async () => {
    await d.say(member, 'gov', 'breach report lost laptop');
    await refusedAll(d, t.db, member, 'gov', 'breach notified BR-2026-009 regulator', 'There is no breach BR-2026-009', NOTIFIED_USAGE);
    await refusedAll(d, t.db, member, 'gov', 'breach notified DSR-2026-0001 regulator', 'is not a breach reference', 'BR-2026-001');
    await refusedAll(d, t.db, member, 'gov', 'breach notified BR-2026-001 press', '"press" is not a party told: use regulator, controllers, individuals');
    await refusedAll(d, t.db, member, 'gov', 'breach notified BR-2026-001', 'Give the party told');
    await refusedAll(d, t.db, member, 'gov', 'breach notified BR-2026-001 controllers --late-reason "x"', 'only recorded for the regulator');
    await refusedAll(d, t.db, member, 'gov', 'breach notified BR-2026-001 regulator --late-reason "slow"', 'within the 72 hours', 'leave out --late-reason');
    await refusedAll(d, t.db, member, 'gov', 'breach notified BR-2026-001 regulator --at 2026-03-02T11:00', 'is in the future');
    await refusedAll(d, t.db, member, 'gov', 'breach notified BR-2026-001 regulator --at 2026-03-01T11:00', 'is before the company became aware');
    await refusedAll(d, t.db, member, 'gov', 'breach notified BR-2026-001 regulator --at soon', '--at soon is not a time in the form YYYY-MM-DDTHH:MM');
    await refusedAll(d, t.db, staff, 'gov', 'breach notified BR-2026-001 regulator', 'Only committee members');
    await d.say(member, 'gov', 'breach notified BR-2026-001 regulator');
    await refusedAll(d, t.db, member, 'gov', 'breach notified BR-2026-001 regulator', 'already recorded (2026-03-02 10:00 GMT)');
  });

  it('records a not-reportable decision with its reason, which still owes the controllers their notice', async () => {
    await d.say(member, 'gov', 'breach report encrypted laptop lost --controllers --own-data');
    await refusedAll(d, t.db, member, 'gov', 'breach not-reportable BR-2026-001', 'Give the reason', 'Usage: /gov breach not-reportable BR-2026-001 <reason>');
    await refusedAll(d, t.db, member, 'gov', 'breach not-reportable BR-2026-007 encrypted', 'There is no breach BR-2026-007');
    await refusedAll(d, t.db, staff, 'gov', 'breach not-reportable BR-2026-001 encrypted', 'Only committee members');
    const said = await d.say(member, 'gov', 'breach not-reportable BR-2026-001 full-disk encryption, key not with the laptop');
    expect(said).toContain('It stays open until the controllers are told: /gov breach notified BR-2026-001 controllers.');
    expect(cardText((await lastCard())?.card)).toContain('Regulator (ICO): not reportable, decided 2026-03-02 10:00 GMT by ⟨member:slack:UM1⟩: full-disk encryption, key not with the laptop');
    await refusedAll(d, t.db, member, 'gov', 'breach not-reportable BR-2026-001 again', 'already recorded');
    expect(await d.say(member, 'gov', 'breach notified BR-2026-001 controllers')).toContain('is closed');
    expect(await t.db('audit_events').where({ action: 'breach.not_reportable' }).first('facts')).toEqual({ facts: expect.objectContaining({ reason_given: true, still_to_tell: ['controllers'], closed: false }) });
  });

  it('closes at once on a not-reportable decision when nobody else is owed, and refuses one for a high risk', async () => {
    await d.say(member, 'gov', 'breach report misdirected internal email');
    expect(await d.say(member, 'gov', 'breach not-reportable BR-2026-001 recalled unread')).toContain('BR-2026-001 is closed.');
    await d.say(member, 'gov', 'breach report customer list on a public share --high-risk');
    await refusedAll(d, t.db, member, 'gov', 'breach not-reportable BR-2026-002 nobody looked', 'high risk to individuals', 'must be reported');
  });
});

describe('a late regulator notice', () => {
  it('is recorded, asks for the reasons for the delay, and closes once they are given', async () => {
    await d.say(member, 'gov', 'breach report ransomware on the file server --aware 2026-02-26T08:00');
    const said = await d.say(member, 'gov', 'breach notified BR-2026-001 regulator');
    expect(said).toContain('Recorded for BR-2026-001: the regulator was told at 2026-03-02 10:00 GMT.');
    expect(said).toContain('That was after the 72-hour deadline (2026-03-01 08:00 GMT): a late report needs the reasons for the delay. Record them with /gov breach notified BR-2026-001 regulator --late-reason "…"; the breach stays open until then.');
    expect(await breach()).toMatchObject({ status: 'open', late_reason: null });
    expect(await lastCard()).toMatchObject({ card: { status: 'open: the reasons for the late report are still needed' } });
    expect(cardText((await lastCard())?.card)).toContain('told 2026-03-02 10:00 GMT (recorded by ⟨member:slack:UM1⟩), 26 h after the deadline; the reasons for the delay are still needed');
    expect(await d.say(member, 'gov', 'breach list')).toContain('reasons for the late report needed');

    await refusedAll(d, t.db, member, 'gov', 'breach notified BR-2026-001 regulator --late-reason ""', 'Give the reasons for the delay');
    const given = await d.say(other, 'gov', 'breach notified BR-2026-001 regulator --late-reason "the scale was only known after the forensic report"');
    expect(given).toContain('Recorded the reasons for the late report of BR-2026-001 to the regulator.');
    expect(given).toContain('is closed');
    expect(await breach()).toMatchObject({ status: 'closed', late_reason: 'the scale was only known after the forensic report', late_reason_by: 'slack:UM2' });
    expect(cardText((await lastCard())?.card)).toContain('reasons for the delay: the scale was only known after the forensic report');
    await refusedAll(d, t.db, member, 'gov', 'breach notified BR-2026-001 regulator --late-reason "more"', 'already recorded');
    expect(await t.db('audit_events').where({ action: 'breach.late_reason_recorded' }).first('actor', 'facts'))
      .toEqual({ actor: 'slack:UM2', facts: expect.objectContaining({ closed: true }) });
  });

  it('takes the reasons with the notice itself, and judges lateness by --at, not by when it is typed', async () => {
    await d.say(member, 'gov', 'breach report stolen backup tape --aware 2026-02-26T08:00');
    expect(await d.say(member, 'gov', 'breach notified BR-2026-001 regulator --late-reason "found only on Friday"')).toContain('is closed');
    await d.say(member, 'gov', 'breach report lost phone --aware 2026-02-27T12:00');
    expect(await d.say(member, 'gov', 'breach notified BR-2026-002 regulator --at 2026-03-02T09:15')).toBe('Recorded for BR-2026-002: the regulator was told at 2026-03-02 09:15 GMT. BR-2026-002 is closed: everyone owed a notice has had one.');
  });
});

describe('/gov breach list', () => {
  it('shows open breaches with their deadline and time left, nearest first', async () => {
    expect(await d.say(member, 'gov', 'breach list')).toContain('No open breaches, and none closed in the last 30 days.');
    await d.say(member, 'gov', 'breach report lost laptop --controllers --own-data');
    await d.say(member, 'gov', 'breach report misdirected email --aware 2026-02-27T09:00');
    const lines = (await d.say(member, 'gov', 'breach list')).split('\n');
    expect(lines[0]).toBe('Open breaches, nearest deadline first:');
    expect(lines[1]).toBe("• BR-2026-002 · open: still to tell regulator · the company's own (it is the controller) · aware 2026-02-27 09:00 GMT · report to the regulator by 2026-03-02 09:00 GMT (OVERDUE by 1 h) · misdirected email");
    expect(lines[2]).toBe("• BR-2026-001 · open: still to tell regulator, controllers · the company's own and customers' (controller for its own, processor for theirs) · aware 2026-03-02 10:00 GMT · controllers to be told without undue delay (aware 0 min ago) · report to the regulator by 2026-03-05 10:00 GMT (72 h left) · lost laptop");
    await refusedAll(d, t.db, member, 'gov', 'breach list open', 'takes no filter');
  });
});
