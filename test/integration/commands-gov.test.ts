import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../commands/registry.js';
import { listMembers } from '../../src/register/committee.js';
import { bootstrapChairs } from '../../src/services/bootstrap-chairs.js';
import { committeeChannel } from '../../src/services/committee-channel.js';
import { commandDriver, createTestServices, slackUser, teamsUser, type CommandDriver, type TestServices } from '../support/service-context.js';

const chair = slackUser('UCHAIR');
const member = slackUser('UM1');
const staff = slackUser('USTAFF');

let t: TestServices;
let d: CommandDriver;

beforeEach(async () => {
  t = await createTestServices({ env: { COMMITTEE_CHAIRS: 'slack:UCHAIR' } });
  d = commandDriver(t);
  await bootstrapChairs(t.ctx);
});
afterEach(async () => { await t.drop(); });

async function roster(): Promise<string[]> {
  return (await listMembers(t.db)).map((m) => `${m.platform}:${m.platform_user_id}:${m.role}`).sort();
}

describe('bootstrapChairs', () => {
  it('makes the configured chairs chairs once, auditing only a change', async () => {
    expect(await roster()).toEqual(['slack:UCHAIR:chair']);
    const events = async () => Number((await t.db('audit_events').where({ action: 'committee.chairs_bootstrapped' }).count<{ count: string }[]>('* as count'))[0]?.count);
    expect(await events()).toBe(1);
    expect(await bootstrapChairs(t.ctx)).toEqual([]);
    expect(await events()).toBe(1);
    const wider = await createTestServices({ env: { COMMITTEE_CHAIRS: 'slack:UCHAIR, teams:29:1abc' } });
    try {
      expect(await bootstrapChairs(wider.ctx)).toEqual(['slack:UCHAIR', 'teams:29:1abc']);
      expect(await bootstrapChairs(wider.ctx)).toEqual([]);
    } finally {
      await wider.drop();
    }
  });
});

describe('/gov help', () => {
  it('lists every /gov form, to anyone, and is what /gov alone shows', async () => {
    const help = await d.say(staff, 'gov', 'help');
    const gov = COMMANDS.filter((c) => c.name.startsWith('gov '));
    expect(help.split('\n')).toHaveLength(gov.length + 1);
    for (const c of gov) expect(help).toContain(`• ${c.usage}: ${c.summary}`);
    expect(help).toContain('/gov members add <@user> [chair]: add a committee member, or make them a chair (or a member again) (chairs)');
    expect(await d.say(staff, 'gov', '')).toBe(help);
  });

  it('every registered command is listed in one of the two helps', async () => {
    const both = (await d.say(staff, 'dsr', 'help')) + await d.say(staff, 'gov', 'help');
    for (const c of COMMANDS) expect(both).toContain(c.usage);
    expect(new Set(COMMANDS.map((c) => c.name)).size).toBe(COMMANDS.length);
  });

  it('answers an unknown subcommand privately, listing the correct forms', async () => {
    await d.refused(member, 'gov', 'purgatory', 'Unknown command "/gov purgatory"', '/gov members add <@user> [chair]');
  });
});

describe('/gov channel set', () => {
  it('makes the chair\'s channel the committee channel, answering in the channel', async () => {
    const reply = await d.run(chair, 'gov', 'channel set');
    expect(reply).toEqual({ kind: 'channel', text: expect.stringContaining('This channel is now the committee channel') as string });
    expect(await committeeChannel(t.db, t.ctx.config, 'slack')).toEqual({ platform: 'slack', channel: 'C0COMMITTEE' });
    expect(await t.db('audit_events').where({ action: 'committee.channel_set' }).first()).toMatchObject({ actor: 'slack:UCHAIR', facts: { platform: 'slack' } });
    await d.run(chair, 'gov', 'members add teams:29:1abc chair');
    await d.run(teamsUser('29:1abc'), 'gov', 'channel set');
    expect(await committeeChannel(t.db, t.ctx.config, 'teams')).toEqual({ platform: 'teams', channel: '19:committee@thread.tacv2' });
    expect(await committeeChannel(t.db, t.ctx.config, 'slack')).toEqual({ platform: 'slack', channel: 'C0COMMITTEE' });
  });

  it('is refused to members, in a direct message, and with extra words', async () => {
    await d.run(chair, 'gov', 'members add UM1');
    await d.refused(member, 'gov', 'channel set', 'Only a committee chair can use /gov channel set; nothing was changed.');
    await d.refused(staff, 'gov', 'channel set', 'Only a committee chair can use /gov channel set');
    await d.refused(slackUser('UCHAIR', 'D0DIRECT'), 'gov', 'channel set', 'This is a direct message', 'Usage: /gov channel set');
    await d.refused(chair, 'gov', 'channel set C0OTHER', 'is not needed', 'Usage: /gov channel set');
    await d.refused(chair, 'gov', 'channel', 'Unknown command "/gov channel"', '/gov help');
  });
});

describe('/gov members', () => {
  it('adds, promotes, demotes and removes members, by mention or id', async () => {
    expect(await d.say(chair, 'gov', 'members add <@UM1|mo>')).toBe('⟨member:slack:UM1⟩ is now a member of the committee.');
    expect(await d.say(chair, 'gov', 'members add <@UM2> chair')).toBe('⟨member:slack:UM2⟩ is now a chair of the committee.');
    expect(await d.say(chair, 'gov', 'members add UM3')).toBe('⟨member:slack:UM3⟩ is now a member of the committee.');
    expect(await d.say(chair, 'gov', 'members add UM3')).toBe('⟨member:slack:UM3⟩ is already a member; nothing changed.');
    expect(await d.say(chair, 'gov', 'members add teams:29:1abc')).toBe('⟨member:teams:29:1abc⟩ is now a member of the committee.');
    expect(await d.say(chair, 'gov', 'members add <@UM3> CHAIR')).toBe('⟨member:slack:UM3⟩ is now a chair (was a member).');
    expect(await d.say(chair, 'gov', 'members add UM3')).toBe('⟨member:slack:UM3⟩ is now a member (was a chair).');
    expect(await roster()).toEqual(['slack:UCHAIR:chair', 'slack:UM1:member', 'slack:UM2:chair', 'slack:UM3:member', 'teams:29:1abc:member']);

    const list = await d.say(member, 'gov', 'members');
    expect(list.split('\n')).toEqual([
      'The committee: 5 members, including 2 chairs.',
      '• ⟨member:slack:UCHAIR⟩ (chair)', '• ⟨member:slack:UM2⟩ (chair)', '• ⟨member:slack:UM1⟩', '• ⟨member:slack:UM3⟩', '• ⟨member:teams:29:1abc⟩ on teams',
    ]);

    expect(await d.say(chair, 'gov', 'members remove <@UM1|mo>')).toBe('⟨member:slack:UM1⟩ is no longer on the committee.');
    expect(await d.say(chair, 'gov', 'members remove UM2')).toBe('⟨member:slack:UM2⟩ is no longer on the committee.');
    expect(await roster()).toEqual(['slack:UCHAIR:chair', 'slack:UM3:member', 'teams:29:1abc:member']);
    // A removed member is a member no more, and can be added back.
    await d.refused(member, 'gov', 'members', 'Only committee members can use /gov members; nothing was changed.');
    await d.run(chair, 'gov', 'members add UM1');
    expect(await roster()).toContain('slack:UM1:member');
    const actions = (await t.db('audit_events').where({ subject: 'committee' }).orderBy('id').select('action')).map((e: { action: string }) => e.action);
    expect(actions).toEqual(['committee.chairs_bootstrapped', 'committee.member_added', 'committee.member_added', 'committee.member_added',
      'committee.member_added', 'committee.role_changed', 'committee.role_changed', 'committee.member_removed', 'committee.member_removed', 'committee.member_added']);
  });

  it('never leaves the committee without a chair', async () => {
    await d.refused(chair, 'gov', 'members remove <@UCHAIR>', 'is the only chair and cannot be removed', 'Usage: /gov members remove <@user>');
    await d.refused(chair, 'gov', 'members add UCHAIR', 'is the only chair, so they stay a chair', 'Usage: /gov members add <@user> [chair]');
    await d.run(chair, 'gov', 'members add UM2 chair');
    expect(await d.say(slackUser('UM2'), 'gov', 'members remove UCHAIR')).toContain('no longer on the committee');
    await d.refused(slackUser('UM2'), 'gov', 'members remove UM2', 'is the only chair');
  });

  it('refuses bad input and non-chairs, changing nothing', async () => {
    await d.run(chair, 'gov', 'members add UM1');
    await d.refused(chair, 'gov', 'members add', 'Say who', 'Usage: /gov members add <@user> [chair]');
    await d.refused(chair, 'gov', 'members add bob', '"bob" is not a Slack user', 'Usage: /gov members add');
    await d.refused(chair, 'gov', 'members add <#C0123|general>', 'is not a Slack user');
    await d.refused(chair, 'gov', 'members add UM2 boss', 'Only "chair" may follow the person', 'Usage: /gov members add');
    await d.refused(chair, 'gov', 'members remove UNOBODY', 'is not a committee member', 'Usage: /gov members remove <@user>');
    await d.refused(chair, 'gov', 'members remove UM1 UM2', 'one person at a time');
    await d.refused(chair, 'gov', 'members list', '"list" is not add or remove', '/gov members add <@user> [chair]');
    await d.refused(member, 'gov', 'members add UM2', 'Only a committee chair can use /gov members add; nothing was changed.');
    await d.refused(member, 'gov', 'members remove UCHAIR', 'Only a committee chair can use /gov members remove');
    await d.refused(staff, 'gov', 'members add USTAFF chair', 'Only a committee chair');
    await d.refused(staff, 'gov', 'members', 'Only committee members can use /gov members; nothing was changed.');
  });
});

describe('/gov audit verify', () => {
  it('reports an intact chain to members only', async () => {
    await d.run(chair, 'gov', 'members add UM1');
    expect(await d.say(member, 'gov', 'audit verify')).toMatch(/^ok 2 events\. Keep this count/);
    await d.refused(staff, 'gov', 'audit verify', 'Only committee members can use /gov audit verify; nothing was changed.');
    await d.refused(member, 'gov', 'audit verify now', 'is not needed', 'Usage: /gov audit verify');
  });

  it('names the first broken event', async () => {
    await d.run(chair, 'gov', 'members add UM1');
    // Forge an event whose hash does not follow from its predecessor (the trigger only stops changes).
    await t.db.raw("insert into audit_events (id, occurred_at, actor, action, facts, prev_hash, hash) values (3, now(), 'x', 'forged', '{}', repeat('a', 64), repeat('b', 64))");
    expect(await d.say(member, 'gov', 'audit verify')).toMatch(/^audit chain broken at event 3: broken link\. Stop and tell the chairs/);
  });
});
