import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { retentionBounds } from '../../src/domain/purge.js';
import { bootstrapChairs } from '../../src/services/bootstrap-chairs.js';
import { addMember, insertContacts, itemsOf } from '../support/purge-fixtures.js';
import { commandDriver, createTestServices, slackUser, type CommandDriver, type TestServices } from '../support/service-context.js';

/** `/gov purge`, `/gov purge run` and `/gov purge exclude`: who may, what they change, every mistake. */
const chair = slackUser('UCHAIR');
const member = slackUser('UM1');
const staff = slackUser('USTAFF');
const OLD = new Date(retentionBounds('2026-10-01', 3, 'Europe/London').cutoffStart.getTime() - 86_400_000);

let t: TestServices;
let d: CommandDriver;
let dataDir: string;
let ids: number[];

beforeEach(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-purge-cmd-'));
  t = await createTestServices({ env: { DATA_DIR: dataDir, COMMITTEE_CHAIRS: 'slack:UCHAIR' }, now: '2026-10-01T09:30:00Z' });
  d = commandDriver(t);
  await bootstrapChairs(t.ctx);
  await addMember(t.db, 'UM1');
  ids = await insertContacts(t.db, [
    { external_id: 'CRM-1', email: 'one@example.com', first_collected_at: OLD },
    { external_id: 'CRM-2', email: 'two@example.com', first_collected_at: OLD },
    { external_id: 'CRM-3', email: 'three@example.com', inaccurate: true },
    { external_id: 'CRM-4', email: 'fresh@example.com' },
  ]);
});
afterEach(async () => {
  await t.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const items = () => itemsOf(t.db, 'PURGE-2026-Q4');

describe('/gov purge run', () => {
  it('is for chairs only: a member is refused and nothing changes', async () => {
    await d.refused(member, 'gov', 'purge run', 'Only a committee chair can use /gov purge run; nothing was changed');
    await d.refused(staff, 'gov', 'purge run', 'Only a committee chair');
    expect(await t.db('purge_batches').count<{ count: number }[]>('* as count')).toEqual([{ count: 0 }]);
  });

  it('proposes the quarter\'s purge, records the run, and reminds on a second run', async () => {
    expect(await d.say(chair, 'gov', 'purge run')).toMatch(/^PURGE-2026-Q4 proposed: 3 contact\(s\) to delete as of 2026-10-01.*PURGE-2026-Q4-candidates\.csv \(sha256 [0-9a-f]{64}\)/);
    expect(await t.db('job_runs').where({ job: 'retention-sweep' }).first()).toMatchObject({ status: 'done' });
    expect(await t.db('audit_events').where({ action: 'purge.proposed' }).first()).toMatchObject({ actor: 'slack:UCHAIR' });
    t.setNow('2026-10-01T09:31:00Z');
    expect(await d.say(chair, 'gov', 'purge run')).toMatch(/PURGE-2026-Q4 still awaits the committee's votes/);
    await d.refused(chair, 'gov', 'purge run now', 'is not needed', 'Usage: /gov purge run');
  });
});

describe('/gov purge', () => {
  it('says there is nothing yet, then shows the current proposal to members only', async () => {
    expect(await d.say(member, 'gov', 'purge')).toMatch(/no quarterly deletion review yet.*\/gov purge run/);
    await d.say(chair, 'gov', 'purge run');
    const reply = await d.run(member, 'gov', 'purge');
    if (reply.kind === 'form') throw new Error('form');
    expect(reply.kind).toBe('private');
    expect(reply.card?.reference).toBe('PURGE-2026-Q4');
    expect(JSON.stringify(reply.card)).toContain('Approve purge');
    expect(JSON.stringify(reply.card)).toContain('o***@example.com');
    await d.refused(staff, 'gov', 'purge', 'Only committee members');
    await d.refused(member, 'gov', 'purge now', '"now" is not run or exclude');
  });
});

describe('/gov purge exclude', () => {
  beforeEach(async () => { await d.say(chair, 'gov', 'purge run'); });

  it('excludes by external_id or register id, recorded, audited, card and list updated', async () => {
    const before = fs.readFileSync(path.join(dataDir, 'exports', 'PURGE-2026-Q4-candidates.csv'), 'utf8');
    expect(await d.say(member, 'gov', 'purge exclude CRM-1 legal hold: tribunal claim')).toMatch(new RegExp(`Contact #${ids[0]} is kept out of PURGE-2026-Q4`));
    expect(await d.say(member, 'gov', `purge exclude #${ids[1]} disputed`)).toMatch(`#${ids[1]}`);
    expect((await items()).map((i) => [i.contact_id, i.status, i.note])).toEqual([
      [ids[0], 'excluded', 'excluded'], [ids[1], 'excluded', 'excluded'], [ids[2], 'pending', null],
    ]);
    expect(await t.db('retention_exclusions').orderBy('id').select('contact_id', 'reason', 'excluded_by')).toEqual([
      { contact_id: ids[0], reason: 'legal hold: tribunal claim', excluded_by: 'slack:UM1' },
      { contact_id: ids[1], reason: 'disputed', excluded_by: 'slack:UM1' },
    ]);
    const audit = await t.db('audit_events').where({ action: 'purge.candidate_excluded' }).select('facts');
    expect(audit).toHaveLength(2);
    expect(JSON.stringify(audit)).not.toContain('tribunal');
    const after = fs.readFileSync(path.join(dataDir, 'exports', 'PURGE-2026-Q4-candidates.csv'), 'utf8');
    expect(after).not.toBe(before);
    expect(after).toContain(`${ids[0]},CRM-1,R2,excluded`);
    const card = JSON.stringify((await t.db('outbox').where('card_key', 'like', 'purge:%').orderBy('id', 'desc').first()).payload);
    expect(card).toMatch(/"To delete","value":"1 contact"/);
    expect(card).toContain('Excluded by the committee 2');
  });

  it('answers every mistake privately with the correct form, changing nothing', async () => {
    const unchanged = async () => expect((await items()).every((i) => i.status === 'pending')).toBe(true);
    await d.refused(member, 'gov', 'purge exclude', 'Say which contact', 'Usage: /gov purge exclude <contact> <reason>');
    await d.refused(member, 'gov', 'purge exclude CRM-1', 'Give the reason');
    await d.refused(member, 'gov', 'purge exclude CRM-999 legal hold', 'No contact in the register has the external_id or register id "CRM-999"');
    await d.refused(member, 'gov', 'purge exclude CRM-4 legal hold', `Contact #${ids[3]} is not a candidate in PURGE-2026-Q4`);
    // A number that is one contact's external_id and another's register id.
    await t.db('contacts').where({ id: ids[2] }).update({ external_id: String(ids[0]) });
    await d.refused(member, 'gov', `purge exclude ${ids[0]} hold`, 'is both an external_id and a register id');
    await d.refused(member, 'gov', `purge exclude #${ids[3]} hold`, 'is not a candidate');
    await d.refused(staff, 'gov', 'purge exclude CRM-1 hold', 'Only committee members');
    await unchanged();
    await d.say(member, 'gov', 'purge exclude CRM-1 hold');
    await d.refused(member, 'gov', 'purge exclude CRM-1 hold again', 'already kept back from PURGE-2026-Q4 (Excluded by the committee)');
  });

  it('refuses once the purge is decided', async () => {
    await t.db('proposals').where({ kind: 'purge' }).update({ status: 'approved' });
    await t.db('purge_batches').update({ status: 'approved' });
    await d.refused(member, 'gov', 'purge exclude CRM-1 hold', 'PURGE-2026-Q4 is approved, deletion queued, so its candidates can no longer change');
    expect((await items()).every((i) => i.status === 'pending')).toBe(true);
  });
});
