import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/chat/actor.js';
import { COMMANDS } from '../../commands/registry.js';
import { bootstrapChairs } from '../../src/services/bootstrap-chairs.js';
import { castVote } from '../../src/services/cast-vote.js';
import { commandDriver, createTestServices, slackUser, type CommandDriver, type TestServices } from '../support/service-context.js';

/** `/dsr list`, `show`, `close`, `new` mistakes, help and who may do what, through dispatchCommand. */
const chair = slackUser('UCHAIR');
const m1 = slackUser('UM1');
const m2 = slackUser('UM2');
const m3 = slackUser('UM3');
const staff = slackUser('USTAFF');

let t: TestServices;
let d: CommandDriver;

beforeEach(async () => {
  t = await createTestServices({ env: { COMMITTEE_CHAIRS: 'slack:UCHAIR' } });
  d = commandDriver(t);
  await bootstrapChairs(t.ctx);
  for (const m of [m1, m2, m3]) await d.run(chair, 'gov', `members add <@${m.userId}|${m.userId.toLowerCase()}>`);
});
afterEach(async () => { await t.drop(); });

async function request(ref: string) {
  return t.db('requests').where({ reference: ref }).first();
}

async function approveIdentity(ref: string, by: Actor = m1): Promise<void> {
  const req = await request(ref);
  const proposal = await t.db('proposals').where({ request_id: req.id, kind: 'identity' }).first();
  expect((await castVote(t.ctx, by, { proposalId: proposal.id, decision: 'approve' })).ok).toBe(true);
}

describe('/dsr list', () => {
  it('lists open requests nearest deadline first, masked, with days left or overdue', async () => {
    expect(await d.say(m1, 'dsr', 'list')).toContain('No open requests (today is 2026-03-02)');
    const overdue = await d.log(staff, 'sar jo.bloggs@example.com Jo Bloggs --received 2026-01-26');
    const soon = await d.log(staff, 'erasure sam@example.org --received 2026-02-05');
    const fresh = await d.log(staff, 'opt-out priya@example.com');
    const gone = await d.log(staff, 'rectify tom@example.com');
    await d.run(m1, 'dsr', `close ${gone} withdrawn`);
    await d.run(m1, 'dsr', `pause ${fresh} identity`);

    const open = await d.say(m1, 'dsr', 'list');
    const lines = open.split('\n');
    expect(lines[0]).toBe('Open requests, nearest deadline first (today is 2026-03-02):');
    expect(lines.slice(1)).toEqual([
      `• ${overdue} · access · j***@example.com · received, awaiting identity check · overdue by 4 days (was due 2026-02-26 Thu)`,
      `• ${soon} · erasure · s***@example.org · received, awaiting identity check · due 2026-03-05 Thu (3 days left)`,
      `• ${fresh} · do-not-contact · p***@example.com · received, awaiting identity check · clock not started: awaiting identity since 2026-03-02`,
    ]);
    expect(open).not.toContain('bloggs');
    expect(await d.say(m1, 'dsr', 'LIST open')).toBe(open);

    const only = async (filter: string) => (await d.say(m1, 'dsr', `list ${filter}`)).split('\n').slice(1).map((l) => /DSR-\d{4}-\d{4}/.exec(l)?.[0]);
    expect(await only('overdue')).toEqual([overdue]);
    expect(await only('due-soon')).toEqual([soon]);
    expect(await only('closed')).toEqual([gone]);
    expect(await only('all')).toEqual([gone, fresh, soon, overdue]);
    expect(await d.say(m1, 'dsr', 'list closed')).toContain('closed: withdrawn · closed in time (was due 2026-04-02 Thu) · closed 2026-03-02');
  });

  it('refuses an unknown filter or extra words, naming the form', async () => {
    await d.refused(m1, 'dsr', 'list soon', '"soon" is not a list filter', 'open, overdue, due-soon, closed, all', 'Usage: /dsr list [open|overdue|due-soon|closed|all]');
    await d.refused(m1, 'dsr', 'list open closed', 'at most one filter', 'Usage: /dsr list');
  });
});


describe('/dsr show', () => {
  it('shows the clock, identity, proposals with votes and the timeline, masked', async () => {
    const ref = await d.log(staff, 'erasure jo.bloggs@example.com "Jo Bloggs" --agent "Smith & Co"');
    await d.run(m1, 'dsr', `pause ${ref} authority letter of authority requested`);
    t.setNow('2026-03-04T09:15:00Z');
    await d.run(m1, 'dsr', `resume ${ref}`);
    await approveIdentity(ref, m2);
    const shown = await d.say(m1, 'dsr', `show ${ref.toLowerCase()}`);
    expect(shown).toContain(`${ref} · Erasure (delete their data) · identity verified, awaiting action approval`);
    expect(shown).toContain('Subject: J*** B*** j***@example.com; received 2026-03-02 Mon by email; logged by ⟨member:slack:USTAFF⟩');
    expect(shown).toContain("Clock: due 2026-04-07 Tue (34 days left); clock starts afresh on 2026-03-04: the agent's authority received; relevant day 2026-03-04; 0 stopped days; first period ends 2026-04-04; the agent's authority asked 2026-03-02 to 2026-03-04 (clock started afresh on arrival); not extended");
    expect(shown).toContain('Identity: verified on 2026-03-04');
    expect(shown).toContain('Agent: Smith & Co');
    expect(shown).toContain('• Identity check: approved; 1 of 1 approval (⟨member:slack:UM2⟩)');
    expect(shown).toContain('• Proposed erasure: open, 2 more approval(s) needed; 0 of 2 approvals (nobody yet)');
    expect(shown).toMatch(/Timeline:\n• 2026-03-02 10:00 ⟨member:slack:USTAFF⟩ logged the request \(received 2026-03-02, due 2026-04-02\)\n• 2026-03-02 10:00 ⟨member:slack:UM1⟩ asked for authority: clock not started until it arrives\n• 2026-03-04 09:15 ⟨member:slack:UM1⟩ recorded authority received 2026-03-04: clock starts afresh on 2026-03-04; due 2026-04-07/);
    expect(shown).toContain('⟨member:slack:UM2⟩ approved the identity (1 of 1 approval)');
    expect(shown).not.toContain('bloggs');
    expect(shown).not.toContain('letter of authority');
  });

  it('refuses a bad or unknown reference', async () => {
    await d.refused(m1, 'dsr', 'show', 'Give the request reference', 'Usage: /dsr show <ref>');
    await d.refused(m1, 'dsr', 'show 2026-0001', 'is not a request reference', 'DSR-2026-0001', 'Usage: /dsr show <ref>');
    await d.refused(m1, 'dsr', 'show DSR-2026-0099', 'There is no request DSR-2026-0099', 'Usage: /dsr show <ref>');
  });
});


describe('/dsr close', () => {
  it('withdraws an open request and cancels what awaited a vote', async () => {
    const ref = await d.log(staff, 'erasure jo@example.com');
    await d.run(m1, 'dsr', `pause ${ref} identity`);
    t.setNow('2026-03-03');
    expect(await d.say(m1, 'dsr', `close ${ref} withdrawn individual changed their mind`)).toBe(`${ref} is closed as withdrawn. 1 open proposal was cancelled.`);
    const row = await request(ref);
    // Withdrawn while identity was awaited: the clock never started, and nothing is owed to the individual.
    expect(row).toMatchObject({ status: 'withdrawn', status_reason: 'individual changed their mind', paused_days: 0, due_on: null });
    expect(await t.db('request_notices').where({ request_id: row.id })).toEqual([]);
    expect(row.closed_at).not.toBeNull();
    expect(await t.db('proposals').where({ request_id: row.id }).select('kind', 'status')).toEqual([{ kind: 'identity', status: 'cancelled' }]);
    expect(await t.db('request_pauses').where({ request_id: row.id }).first()).toMatchObject({ resumed_on: null });
    const event = await t.db('audit_events').where({ action: 'request.closed' }).first();
    expect(event.facts).toMatchObject({ outcome: 'withdrawn', from_status: 'received', note_given: true });
    const update = await t.db('outbox').where({ operation: 'update', card_key: `request:${row.id}` }).orderBy('id', 'desc').first();
    expect(JSON.stringify(update.payload)).not.toContain('Approve');
  });

  it('closes as completed only once identity is verified', async () => {
    const ref = await d.log(staff, 'sar jo@example.com');
    await d.refused(m1, 'dsr', `close ${ref} completed`, 'cannot be closed as completed before its identity is verified', `Usage: /dsr close ${ref} <completed|withdrawn> [note]`);
    await approveIdentity(ref);
    expect(await d.say(m1, 'dsr', `close ${ref} completed sent by post`)).toBe(`${ref} is closed as completed. 1 open proposal was cancelled.`);
    expect(await request(ref)).toMatchObject({ status: 'completed' });
    await d.refused(m1, 'dsr', `close ${ref} withdrawn`, 'is completed, so it can no longer change', 'Usage: /dsr close');
    await d.refused(m1, 'dsr', `close ${ref} done`, '"done" is not a way to close: use completed, withdrawn', 'Usage: /dsr close');
  });
  it('races a vote without deadlock or a half-decided proposal', async () => {
    for (let i = 0; i < 5; i += 1) {
      const ref = await d.log(staff, `sar jo${i}@example.com`);
      await approveIdentity(ref);
      const action = await t.db('proposals').where({ request_id: (await request(ref)).id, kind: 'action' }).first();
      const [closed, voted] = await Promise.all([
        d.say(m1, 'dsr', `close ${ref} withdrawn`),
        castVote(t.ctx, m2, { proposalId: action.id, decision: 'approve' }),
      ]);
      expect(closed).toMatch(/is closed as withdrawn/);
      const status = (await t.db('proposals').where({ id: action.id }).first()).status;
      // Either the vote came first (approved, then withdrawn) or the close did (cancelled, vote refused).
      expect(voted.ok ? 'approved' : 'cancelled').toBe(status);
      expect((await request(ref)).status).toBe('withdrawn');
    }
  });
});

describe('/dsr new (through dispatch)', () => {
  it('refuses a future or malformed receipt date and changes nothing', async () => {
    const usage = 'Usage: /dsr new <type> <email>';
    await d.refused(staff, 'dsr', 'new sar jo@example.com --received 2026-03-03', 'is in the future', usage);
    await d.refused(staff, 'dsr', 'new sar jo@example.com --received 2026-13-01', 'months run from 01 to 12', usage);
    await d.refused(staff, 'dsr', 'new complaint jo@example.com', 'is not a request type', usage);
    await d.refused(staff, 'dsr', 'new sar', "Give the type and the individual's email", usage);
    await d.refused(staff, 'dsr', 'new sar jo@example.com --agent "unclosed', 'is not closed', '/dsr help');
  });
});


describe('help, unknown commands and access', () => {
  it('/dsr help lists every /dsr form with one line each, to anyone', async () => {
    const help = await d.say(staff, 'dsr', 'help');
    const dsr = COMMANDS.filter((c) => c.name.startsWith('dsr '));
    expect(help.split('\n')).toHaveLength(dsr.length + 1);
    for (const c of dsr) expect(help).toContain(`• ${c.usage}: ${c.summary}`);
    expect(help).toContain('/dsr pause <ref> <identity|authority|clarification|fee> [note]: record that identity, authority or a fee is awaited (the clock starts afresh when it arrives), or stop an access request\'s clock for clarification (committee members)');
    expect(help).toContain('/dsr told <ref> <extension|refusal|identity-rejected|outcome|restriction-lift|legal-hold> [--on YYYY-MM-DD]');
    expect(help).toContain('/dsr forwarded <ref> [--on YYYY-MM-DD]');
    expect(help).not.toContain('/gov');
  });

  it('answers an unknown subcommand privately, listing the correct forms', async () => {
    await d.refused(m1, 'dsr', 'frobnicate DSR-2026-0001', 'Unknown command "/dsr frobnicate"', '/dsr list [open|overdue|due-soon|closed|all]');
  });

  it('keeps the committee process to members, changing nothing for anyone else', async () => {
    const ref = await d.log(staff, 'sar jo@example.com');
    for (const [text, form] of [
      ['list', '/dsr list'], [`show ${ref}`, '/dsr show'], [`pause ${ref} identity`, '/dsr pause'], [`resume ${ref}`, '/dsr resume'],
      [`extend ${ref} complex`, '/dsr extend'], [`refuse ${ref} excessive again`, '/dsr refuse'], [`close ${ref} withdrawn`, '/dsr close'],
    ] as const) {
      await d.refused(staff, 'dsr', text, `Only committee members can use ${form}; nothing was changed.`, '/gov members add');
    }
  });
});
