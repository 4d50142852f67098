import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchCommand, type CommandRoot } from '../../commands/dispatch.js';
import type { Actor } from '../../src/chat/actor.js';
import type { Card } from '../../src/chat/card.js';
import type { Reply } from '../../src/chat/reply.js';
import { upsertMember } from '../../src/register/committee.js';
import { cardToBlocks, replyBlocks } from '../../src/slack/block-kit.js';
import { HOSTILE_FRAGMENTS, hostileText, hugeText } from '../support/hostile-text.js';
import { registerFingerprint as snapshot } from '../support/register-fingerprint.js';
import { commandDriver, createTestServices, slackUser, type CommandDriver, type TestServices } from '../support/service-context.js';

/**
 * Arbitrary text after /dsr and /gov, typed by someone outside the committee, a member and a
 * chair, against a real register: every command answers (never throws, never leaves a promise
 * rejected unhandled), and a command changes the register only when it was a valid request; a
 * refusal leaves every table exactly as it was. SQL-shaped input is stored as plain text or refused,
 * and text people typed reaches cards escaped.
 */
const OUTSIDER = slackUser('UOUTSIDER');
const MEMBER = slackUser('UMEMBER');
const CHAIR = slackUser('UCHAIR');

/** What every refusal says: a usage line, an access refusal, a parse error or the list of forms. */
const REFUSAL = /Usage: |^Only (committee members|a committee chair) can use|^That did not parse|^Unknown command "\//;

const WORDS: Record<CommandRoot, readonly string[]> = {
  dsr: ['new', 'list', 'show', 'pause', 'resume', 'extend', 'refuse', 'close', 'deadline', 'help',
    'access', 'sar', 'erasure', 'delete', 'rectification', 'opt-out', 'open', 'overdue', 'all', 'closed',
    'DSR-2026-0001', 'DSR-2026-0002', 'dsr-2026-3', 'DSR-2026-9999', 'DSR-0000-0000', 'identity', 'clarification', 'fee',
    'unfounded', 'excessive', 'completed', 'withdrawn', 'jo@example.com', "o'neill@example.com", 'Jo', 'Bloggs',
    '--received', '--via', '--agent', '--controller', '--paused-days', '--region', '--extended', 'email', 'phone', 'scotland',
    '2026-03-01', '2026-02-29', '0000-01-01', '0001-01-01', '1900-01-01', '9999-12-31', '2026-03-03'],
  gov: ['help', 'channel', 'set', 'members', 'add', 'remove', 'chair', 'purge', 'run', 'exclude', 'notice', 'reviewed',
    'change', 'processors', 'breach', 'report', 'list', 'notified', 'not-reportable', 'audit', 'verify',
    '<@U0EVIL>', '<@UMEMBER|m>', 'U0EVIL', 'teams:29:evil', 'regulator', 'controllers', 'individuals', 'BR-2026-001',
    'BR-2026-999', 'CRM-1', '1', 'Acme', 'hosting', '--aware', '2026-03-01T09:00', '--at', '--late-reason', 'v2'],
};

/** A hostile word: a fragment, a quoted phrase, raw text or a huge value. */
const hostileWord = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_FRAGMENTS) },
  { weight: 3, arbitrary: hostileText(40).map((t) => `"${t.replace(/["“”]/g, '')}"`) },
  { weight: 2, arbitrary: hostileText(60) },
  { weight: 1, arbitrary: hugeText(400, 3_000).map((t) => `"${t.replace(/["“”]/g, '')}"`) },
);

/** Free-form: words of the grammar among hostile ones, in any order. */
const looseText = (root: CommandRoot) => fc.array(fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...WORDS[root]) },
  { weight: 4, arbitrary: hostileWord },
), { maxLength: 8 }).map((words) => words.join(' '));

/** What may fill each slot of a command's form; a quarter of the time, something hostile instead. */
const SLOTS: Record<string, readonly string[]> = {
  type: ['access', 'erasure', 'sar', 'delete', 'rectification', 'opt-out', 'withdraw-consent', 'Do_Not_Contact'],
  email: ['jo@example.com', 'Sam.Smith@Example.COM', "o'neill@example.com", 'kim+dsr@example.co.uk'],
  ref: ['DSR-2026-0001', 'DSR-2026-0002', 'dsr-2026-3', 'DSR-2026-9999', 'DSR-2025-0001'],
  date: ['2026-03-02', '2026-02-27', '2026-03-03', '2018-05-25', '2018-05-24', '0000-01-01', '0001-01-01', '1900-01-01', '9999-12-31', '2026-02-29'],
  text: ['Jo', 'Bloggs', '"Smith & Co"', 'ID', 'checked', '"the ID sent does not match"'],
  via: ['email', 'phone', 'letter', 'In-Person'],
  pause: ['identity', 'authority', 'clarification', 'fee'],
  grounds: ['unfounded', 'excessive'],
  outcome: ['completed', 'withdrawn'],
  filter: ['open', 'overdue', 'due-soon', 'closed', 'all'],
  region: ['england-and-wales', 'scotland', 'northern-ireland'],
  n: ['0', '5', '9999', '10000', '-1', '1e3'],
  user: ['<@U0EVIL>', '<@UMEMBER|m>', 'U0EVIL', 'teams:29:1abc', 'slack:U0NEW'],
  breach: ['BR-2026-001', 'BR-2026-002', 'br-2026-1', 'BR-2026-999'],
  party: ['regulator', 'controllers', 'individuals'],
  aware: ['2026-03-01T09:00', '2026-03-02T09:59', '0001-01-01T00:00', '9999-12-31T23:59', '2026-02-30T10:00'],
  contact: ['CRM-1', '1', '999999'],
  version: ['2026.1', '2026-03-01', 'v2'],
};

const FORMS: Record<CommandRoot, readonly string[]> = {
  dsr: [
    'new {type} {email} {text} {text} --received {date} --via {via} --agent {text} --controller {text}',
    'list {filter}', 'show {ref}', 'pause {ref} {pause} {text} {text}', 'resume {ref}', 'extend {ref} {text} {text}',
    'refuse {ref} {grounds} {text}', 'close {ref} {outcome} {text}', 'deadline {date} --region {region} --paused-days {n} --extended', 'help',
  ],
  gov: [
    'channel set', 'members', 'members add {user} chair', 'members remove {user}', 'purge', 'purge exclude {contact} {text}',
    'notice', 'notice reviewed {version}', 'notice change {text} {text}', 'processors', 'processors add {text} {text}',
    'processors reviewed {text}', 'breach report {text} {text} --aware {aware}', 'breach list',
    'breach notified {breach} {party} --at {aware} --late-reason {text}', 'breach not-reportable {breach} {text}', 'audit verify', 'help',
  ],
};

/** A form of the command with its slots filled (now and then hostile) and pieces dropped. */
const shapedText = (root: CommandRoot) => fc.constantFrom(...FORMS[root]).chain((form) => {
  const pieces = form.split(' ').map((piece) => {
    const slot = /^\{(\w+)\}$/.exec(piece)?.[1];
    const filled = slot === undefined ? fc.constant(piece)
      : fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...SLOTS[slot]!) }, { weight: 1, arbitrary: hostileWord });
    return fc.oneof({ weight: 9, arbitrary: filled }, { weight: 1, arbitrary: fc.constant('') });
  });
  return fc.tuple(...pieces).map((words) => words.filter((w) => w !== '').join(' '));
});

const commandText = (root: CommandRoot) => fc.oneof({ weight: 3, arbitrary: shapedText(root) }, { weight: 2, arbitrary: looseText(root) });

function textOf(reply: Reply): string {
  return reply.kind === 'form' ? `[form ${reply.form.id}]` : reply.text;
}

describe('arbitrary command text against a real register', () => {
  let t: TestServices;
  let driver: CommandDriver;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => { unhandled.push(reason); };

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    t = await createTestServices();
    driver = commandDriver(t);
    await upsertMember(t.db, { platform: 'slack', userId: 'UCHAIR', role: 'chair', addedBy: 'test' });
    await upsertMember(t.db, { platform: 'slack', userId: 'UMEMBER', role: 'member', addedBy: 'test' });
    await driver.log(OUTSIDER, 'erasure jo@example.com Jo Bloggs');
    await driver.log(MEMBER, 'access sam@example.com --agent "Smith & Co"');
  });

  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await t?.drop();
  });

  /** Runs one command; checks it answered and that a refusal changed nothing. */
  async function check(who: Actor, root: CommandRoot, text: string): Promise<{ reply: Reply; changed: boolean }> {
    const before = await snapshot(t.db);
    let reply: Reply;
    try {
      reply = await dispatchCommand({ services: t.ctx, actor: who }, root, text);
    } catch (error) {
      throw new Error(`/${root} ${JSON.stringify(text)} by ${who.userId} threw: ${(error as Error).stack ?? String(error)}`);
    }
    const after = await snapshot(t.db);
    const changed = JSON.stringify(after) !== JSON.stringify(before);
    const said = textOf(reply);
    expect(said.length, `/${root} ${JSON.stringify(text)}`).toBeGreaterThan(0);
    if (REFUSAL.test(said)) expect(after, `refused yet changed: /${root} ${JSON.stringify(text)} → ${said.slice(0, 200)}`).toEqual(before);
    // Whatever the reply says, Slack can show it.
    if (reply.kind !== 'form') expect(() => replyBlocks(reply.text, reply.card)).not.toThrow();
    return { reply, changed };
  }

  it.each(['dsr', 'gov'] as const)('/%s from someone outside the committee: answered, and only a valid /dsr new changes anything', async (root) => {
    await fc.assert(fc.asyncProperty(commandText(root), async (text) => {
      const { reply, changed } = await check(OUTSIDER, root, text);
      if (changed) expect(textOf(reply), `changed the register: /${root} ${JSON.stringify(text)}`).toMatch(/^Logged DSR-\d{4}-\d{4} /);
    }), { numRuns: 200 });
  });

  it.each(['dsr', 'gov'] as const)('/%s from a member: answered, and a refusal changes nothing', async (root) => {
    await fc.assert(fc.asyncProperty(commandText(root), async (text) => {
      const { reply, changed } = await check(MEMBER, root, text);
      if (changed) expect(textOf(reply)).not.toMatch(REFUSAL);
    }), { numRuns: 200 });
  });

  it.each(['dsr', 'gov'] as const)('/%s from a chair: answered, and a refusal changes nothing', async (root) => {
    await fc.assert(fc.asyncProperty(commandText(root), async (text) => {
      await check(CHAIR, root, text);
    }), { numRuns: 100 });
  });

  it('left no promise rejected unhandled', async () => {
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(unhandled).toEqual([]);
  });
});

describe('SQL- and markup-shaped input', () => {
  let t: TestServices;
  let driver: CommandDriver;

  beforeAll(async () => {
    t = await createTestServices();
    driver = commandDriver(t);
    await upsertMember(t.db, { platform: 'slack', userId: 'UCHAIR', role: 'chair', addedBy: 'test' });
    await upsertMember(t.db, { platform: 'slack', userId: 'UMEMBER', role: 'member', addedBy: 'test' });
  });
  afterAll(async () => { await t?.drop(); });

  const INJECTION = "'; drop table contacts; --";
  const TAUTOLOGY = "DSR-2026-0001' or '1'='1";

  async function tablesExist(): Promise<void> {
    for (const table of ['contacts', 'requests', 'proposals', 'votes', 'audit_events', 'outbox', 'committee_members']) {
      const row = (await t.db.raw<{ rows: { r: string | null }[] }>('select to_regclass(?) as r', [`public.${table}`])).rows[0];
      expect(row?.r, table).toBe(table);
    }
  }

  /** Every card in the outbox for a request, as Slack would get it. */
  async function cardsFor(reference: string): Promise<Card[]> {
    const rows = await t.db('outbox').select<{ payload: { card?: Card } }[]>('payload').orderBy('id');
    return rows.map((r) => r.payload.card).filter((c): c is Card => c?.reference === reference);
  }

  it('stores names, agents and controllers shaped like SQL exactly as typed, and shows them escaped', async () => {
    const ref = await driver.log(OUTSIDER, `access "o'neill@example.com" "${INJECTION}" --agent "${TAUTOLOGY}" --controller "Robert'); DROP TABLE requests;-- <!channel> ⟨member:slack:U0EVIL⟩"`);
    const row = await t.db('requests').where({ reference: ref }).first<{ subject_email: string; subject_name: string; agent_name: string; controller: string }>();
    expect(row).toMatchObject({
      subject_email: "o'neill@example.com", subject_name: INJECTION, agent_name: TAUTOLOGY,
      controller: "Robert'); DROP TABLE requests;-- <!channel> ⟨member:slack:U0EVIL⟩",
    });
    await tablesExist();
    const cards = await cardsFor(ref);
    expect(cards.length).toBeGreaterThan(0);
    for (const card of cards) {
      const json = JSON.stringify(cardToBlocks(card));
      expect(json).not.toContain('<!channel>');
      expect(json).not.toContain('<@U0EVIL>');
      expect(json).toContain('Robert&#39;'.replace('&#39;', "'"));
      expect(json).toContain('&lt;!channel&gt;');
    }
    const shown = await driver.say(MEMBER, 'dsr', `show ${ref}`);
    const blocks = JSON.stringify(replyBlocks(shown));
    expect(blocks).toContain(TAUTOLOGY.replace(/'/g, "'"));
    expect(blocks).not.toContain('<!channel>');
    expect(blocks).not.toContain('<@U0EVIL>');
  });

  it('refuses an email or a reference shaped like SQL, changing nothing', async () => {
    await driver.refused(OUTSIDER, 'dsr', `new access "${INJECTION}@example.com"`, 'contains a space');
    await driver.refused(OUTSIDER, 'dsr', `new access "x@example.com' or '1'='1"`, 'email');
    await driver.refused(MEMBER, 'dsr', `show "${TAUTOLOGY}"`, 'Usage: /dsr show');
    await driver.refused(MEMBER, 'dsr', `close "${TAUTOLOGY}" withdrawn`, 'Usage: /dsr close');
    await driver.refused(MEMBER, 'dsr', 'show "DSR-2026-0001; drop table requests"', 'Usage: /dsr show');
    await driver.refused(CHAIR, 'gov', `members add "<@U0EVIL>'; drop table committee_members; --"`, 'Usage: /gov members');
    await tablesExist();
  });

  it('keeps reasons and notes shaped like SQL as plain text', async () => {
    const ref = await driver.log(MEMBER, 'erasure kim@example.com Kim');
    expect(await driver.say(MEMBER, 'dsr', `pause ${ref} identity "${INJECTION}"`)).toContain('has not started: awaiting identity evidence');
    expect((await t.db('request_pauses').first<{ note: string }>('note')).note).toBe(INJECTION);
    await driver.say(MEMBER, 'dsr', `resume ${ref}`);
    const said = await driver.say(MEMBER, 'dsr', `extend ${ref} "${TAUTOLOGY}; delete from requests; --"`);
    expect(said).toContain('proposed');
    const proposal = await t.db('proposals').where({ kind: 'extension' }).first<{ summary: Record<string, unknown> }>('summary');
    expect(JSON.stringify(proposal.summary)).toContain(`${TAUTOLOGY}; delete from requests; --`);
    await tablesExist();
    expect(Number((await t.db('requests').count<{ count: string }[]>('* as count'))[0]!.count)).toBe(2);
  });

  it('refuses a NUL character (which Postgres cannot store) instead of failing', async () => {
    const nul = '\u0000';
    for (const [who, root, text] of [
      [OUTSIDER, 'dsr', `new access nul@example.com "Jo${nul}Bloggs"`],
      [OUTSIDER, 'dsr', `new access nul${nul}@example.com`],
      [MEMBER, 'dsr', `pause DSR-2026-0001 identity "${nul}"`],
      [MEMBER, 'gov', `breach report laptop ${nul} lost`],
      [MEMBER, 'gov', `processors add "${nul}" hosting`],
    ] as const) {
      await driver.refused(who, root, text, 'NUL character', `/${root} help`);
    }
  });

  it('stores text with an unpaired surrogate (which jsonb refuses) with U+FFFD in its place', async () => {
    const ref = await driver.log(OUTSIDER, 'access pair@example.com "Jo \ud800Bloggs" --agent "A\udc00"');
    expect(await t.db('requests').where({ reference: ref }).first('subject_name', 'agent_name'))
      .toEqual({ subject_name: 'Jo \ufffdBloggs', agent_name: 'A\ufffd' });
    expect(await driver.say(MEMBER, 'dsr', `extend ${ref} "\ud800 complex request"`)).toContain('proposed');
  });

  it('refuses dates of receipt before UK GDPR (typos such as 0001-01-01) instead of failing', async () => {
    for (const day of ['0000-01-01', '0001-01-01', '1066-10-14', '2018-05-24']) {
      await driver.refused(OUTSIDER, 'dsr', `new access old@example.com --received ${day}`, 'before 2018-05-25', 'Usage: /dsr new');
    }
    expect(await driver.say(OUTSIDER, 'dsr', 'new access old@example.com --received 2018-05-25')).toMatch(/^Logged DSR-2018-0001 /);
  });

  it('answers /dsr deadline for a date too far ahead instead of failing', async () => {
    await driver.refused(OUTSIDER, 'dsr', 'deadline 9999-12-31', 'before the year 3000');
    expect(await driver.say(OUTSIDER, 'dsr', 'deadline 2999-12-31 --extended --paused-days 9999')).toMatch(/^3\d{3}-\d{2}-\d{2}\n/);
  });
});
