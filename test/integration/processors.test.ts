import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { upsertMember } from '../../src/register/committee.js';
import { seedDemo } from '../../src/services/seed-demo.js';
import { refusedAll } from '../support/calendar.js';
import { commandDriver, createTestServices, slackUser, type CommandDriver, type TestServices } from '../support/service-context.js';

const member = slackUser('UM1');
const staff = slackUser('USTAFF');

let t: TestServices;
let d: CommandDriver;

beforeEach(async () => {
  t = await createTestServices();
  d = commandDriver(t);
  await upsertMember(t.db, { platform: 'slack', userId: 'UM1', role: 'member', addedBy: 'test' });
});
afterEach(async () => { await t.drop(); });

const seed = () => seedDemo(t.db, { count: 1, today: '2026-03-02', now: t.now() });

describe('/gov processors', () => {
  it('lists the providers the privacy notice names, seeded by the demo, with purpose, last and next review', async () => {
    await seed();
    const said = await d.say(staff, 'gov', 'processors');
    expect(said.split('\n')).toEqual([
      'Service providers (Article 30 register), next review first (today is 2026-03-02):',
      '• Microsoft 365: Office 365 tenancy: email, documents and collaboration · last reviewed 2025-05-06 · next review 2026-05-06 Wed (65 days left)',
      '• HubSpot CRM: CRM: contact records and email marketing · last reviewed 2025-05-06 · next review 2026-05-06 Wed (65 days left)',
      '• LinkedIn advertising: Advertising account: campaign audiences · last reviewed 2025-05-06 · next review 2026-05-06 Wed (65 days left)',
    ]);
  });

  it('the demo seed also records a first notice review, once', async () => {
    await seed();
    await seed();
    expect(await t.db('notice_reviews').select('version', 'reviewed_on')).toEqual([{ version: '2026.1', reviewed_on: '2025-05-06' }]);
  });

  it('says how to add one when the register is empty, and refuses extra words', async () => {
    expect(await d.say(staff, 'gov', 'processors')).toContain('The register of service providers is empty. Add one with /gov processors add <name> <purpose>.');
    await refusedAll(d, t.db, member, 'gov', 'processors all', 'is not a /gov processors form');
  });
});

describe('/gov processors add', () => {
  it('adds a provider, a quoted name of several words, first review a year on, audited', async () => {
    const said = await d.say(member, 'gov', 'processors add "Google Workspace" email and shared documents');
    expect(said).toBe('Added Google Workspace to the register of service providers (purpose: email and shared documents). First yearly review due 2027-03-02 Tue. It receives contact data, so it is owed an Art 19 notice after each rectification, erasure or restriction.');
    expect(await t.db('processors').select('name', 'purpose', 'last_reviewed_on', 'next_review_on', 'created_by'))
      .toEqual([{ name: 'Google Workspace', purpose: 'email and shared documents', last_reviewed_on: null, next_review_on: '2027-03-02', created_by: 'slack:UM1' }]);
    expect(await t.db('audit_events').where({ action: 'processor.added' }).first('subject', 'facts'))
      .toEqual({ subject: expect.stringMatching(/^processor:\d+$/), facts: { provider: 'Google Workspace', next_review_on: '2027-03-02', receives_contact_data: true } });
    expect(await d.say(staff, 'gov', 'processors')).toContain('• Google Workspace: email and shared documents · not yet reviewed (added 2026-03-02) · next review 2027-03-02 Tue (365 days left)');
  });

  it('refuses a duplicate name in any case, a missing purpose and non-members, changing nothing', async () => {
    await seed();
    await refusedAll(d, t.db, member, 'gov', 'processors add "hubspot crm" marketing emails', 'HubSpot CRM is already on the register', '/gov processors reviewed "HubSpot CRM"', 'Usage: /gov processors add <name> <purpose>');
    await refusedAll(d, t.db, member, 'gov', 'processors add Mailchimp', 'Say what Mailchimp does with personal data');
    await refusedAll(d, t.db, member, 'gov', 'processors add', 'Give the provider\'s name and what it does');
    await refusedAll(d, t.db, member, 'gov', 'processors add "  " newsletters', 'Give the provider\'s name');
    await refusedAll(d, t.db, member, 'gov', 'processors add JO@EXAMPLE.COM newsletters', 'not by an email address');
    await refusedAll(d, t.db, staff, 'gov', 'processors add Mailchimp newsletters', 'Only committee members');
  });
});

describe('/gov processors reviewed', () => {
  it('records a review by name in any case, without quotes, and moves the next review a year on', async () => {
    await seed();
    expect(await d.say(member, 'gov', 'processors reviewed hubspot crm')).toBe('Recorded the review of HubSpot CRM on 2026-03-02 Mon. Next review due 2027-03-02 Tue.');
    const hubspot = await t.db('processors').whereRaw("name = 'HubSpot CRM'").first('id', 'last_reviewed_on', 'next_review_on');
    expect(hubspot).toMatchObject({ last_reviewed_on: '2026-03-02', next_review_on: '2027-03-02' });
    expect(await t.db('processor_reviews').select('processor_id', 'reviewed_on', 'reviewed_by')).toEqual([{ processor_id: hubspot.id, reviewed_on: '2026-03-02', reviewed_by: 'slack:UM1' }]);
    expect(await t.db('audit_events').where({ action: 'processor.reviewed' }).first('facts'))
      .toEqual({ facts: expect.objectContaining({ provider: 'HubSpot CRM', reviewed_on: '2026-03-02', previous_review_on: '2026-05-06', next_review_on: '2027-03-02' }) });
    expect(await d.say(member, 'gov', 'processors reviewed "Microsoft 365"')).toContain('Recorded the review of Microsoft 365');
  });

  it('refuses an unknown provider, naming those it has, a missing name and non-members', async () => {
    await seed();
    await refusedAll(d, t.db, member, 'gov', 'processors reviewed Salesforce', 'There is no service provider "Salesforce" on the register', 'HubSpot CRM', 'Usage: /gov processors reviewed <name>');
    await refusedAll(d, t.db, member, 'gov', 'processors reviewed', 'Give the provider\'s name');
    await refusedAll(d, t.db, staff, 'gov', 'processors reviewed HubSpot CRM', 'Only committee members');
  });
});
