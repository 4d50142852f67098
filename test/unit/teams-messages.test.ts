import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { mentionsOf, parseCommand, plainCommandText } from '../../src/teams/message-text.js';
import { describeTeams, isLoopbackHost, teamsMode } from '../../src/teams/teams-mode.js';

const BOT = '28:bot-app-id';
const entities = [
  { type: 'mention', text: '<at>govbot</at>', mentioned: { id: BOT, name: 'govbot' } },
  { type: 'mention', text: '<at>Jo Bloggs</at>', mentioned: { id: '29:1jo', name: 'Jo Bloggs' } },
  { type: 'clientInfo', locale: 'en-GB' },
];

describe('Teams message text → command words', () => {
  it('drops the bot\'s mention and turns a person\'s mention into their id', () => {
    const text = plainCommandText('<at>govbot</at> gov members add <at>Jo Bloggs</at> chair', mentionsOf(entities), BOT, (m) => (m.id === '29:1jo' ? 'aaaaaaaa-0000-4000-8000-000000000002' : m.id));
    expect(text).toBe('gov members add aaaaaaaa-0000-4000-8000-000000000002 chair');
  });

  it('removes markup Teams adds and decodes entities last, so typed angle brackets survive as text', () => {
    const text = plainCommandText('<p><at>govbot</at>&nbsp;dsr new erasure <a href="mailto:jo@example.com">jo@example.com</a> Jo &amp; Co &lt;x&gt;</p>', mentionsOf(entities), BOT, (m) => m.id);
    expect(text).toBe('dsr new erasure jo@example.com Jo & Co <x>');
  });

  it('ignores entities that are not well-formed mentions', () => {
    expect(mentionsOf([{ type: 'mention', text: 5 }, null, 'x', { type: 'mention', text: '<at>a</at>', mentioned: {} }])).toEqual([]);
    expect(mentionsOf(undefined)).toEqual([]);
  });

  it('picks the command family from the first word, with or without a slash, in any case', () => {
    expect(parseCommand('dsr list overdue')).toEqual({ kind: 'command', root: 'dsr', text: 'list overdue' });
    expect(parseCommand('/GOV help')).toEqual({ kind: 'command', root: 'gov', text: 'help' });
    expect(parseCommand('dsr')).toEqual({ kind: 'command', root: 'dsr', text: '' });
    expect(parseCommand('dsrs list')).toMatchObject({ kind: 'other' });
    expect(parseCommand('please dsr list')).toMatchObject({ kind: 'other' });
  });
});

describe('tag stripping on hostile input (security finding 8)', () => {
  // An activity is at most 256 KB. With [^>]* each "<" rescans to the end: about 10^10 steps for
  // this input, minutes of one CPU. Linear, it takes milliseconds; the timeout is only a backstop.
  it('strips markup from a message of unclosed tags in one linear pass', { timeout: 5_000 }, () => {
    const hostile = '<a'.repeat(100_000);
    expect(plainCommandText(hostile, [], undefined, (m) => m.id)).toBe(hostile);
    expect(plainCommandText('<p>dsr <b>list</b></p>', [], undefined, (m) => m.id)).toBe('dsr list');
  });
});

describe('Teams mode', () => {
  const config = (env: Record<string, string>) => parseConfig({ LOG_LEVEL: 'silent', ...env }, process.cwd());

  it('knows loopback addresses from addresses other machines reach', () => {
    for (const host of ['127.0.0.1', '127.8.9.10', '::1', '[::1]', 'localhost', 'LOCALHOST', '::ffff:127.0.0.1', '0:0:0:0:0:0:0:1']) expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '10.0.0.5', '192.168.1.2', 'govbot.example.com', '128.0.0.1', '::ffff:10.0.0.1']) expect(isLoopbackHost(host), host).toBe(false);
    // Names other than localhost itself are only as loopback as whoever resolves them.
    for (const host of ['evil.localhost', 'api.localhost', 'localhost.', 'localhost.example.com', '127.0.0.1.nip.io']) expect(isLoopbackHost(host), host).toBe(false);
  });

  it('is authenticated with an app id, local on loopback without one, and off elsewhere', () => {
    expect(teamsMode(config({ MICROSOFT_APP_ID: 'a1b2', MICROSOFT_APP_PASSWORD: 's', MICROSOFT_APP_TENANT_ID: 't1', HOST: '0.0.0.0' }))).toEqual({ kind: 'authenticated', appId: 'a1b2' });
    expect(teamsMode(config({}))).toEqual({ kind: 'local' });
    const off = teamsMode(config({ HOST: '0.0.0.0' }));
    expect(off.kind).toBe('off');
    expect(off.kind === 'off' && off.reason).toMatch(/MICROSOFT_APP_ID.*MICROSOFT_APP_PASSWORD.*HOST=127\.0\.0\.1/);
  });

  it('says in the start-up log what Teams is doing and which variables change it', () => {
    expect(describeTeams(config({}))).toMatch(/^teams: local mode .*loopback|this machine only/);
    expect(describeTeams(config({ HOST: '0.0.0.0' }))).toMatch(/^teams: off, \/api\/messages answers 503 .*MICROSOFT_APP_ID/);
    expect(describeTeams(config({ MICROSOFT_APP_ID: 'a1b2', MICROSOFT_APP_PASSWORD: 's', MICROSOFT_APP_TENANT_ID: 't1' }))).toBe('teams: on, authenticated (SingleTenant) at /api/messages, serving one tenant (MICROSOFT_APP_TENANT_ID)');
    expect(describeTeams(config({ MICROSOFT_APP_ID: 'a1b2', MICROSOFT_APP_PASSWORD: 's', MICROSOFT_APP_TYPE: 'MultiTenant' }))).toMatch(/MultiTenant.*any tenant: set MICROSOFT_APP_TENANT_ID/);
  });

  it('makes SingleTenant with a tenant id the default: an app id without a tenant id is a configuration error', () => {
    expect(() => config({ MICROSOFT_APP_ID: 'a1b2', MICROSOFT_APP_PASSWORD: 's' })).toThrow(/MICROSOFT_APP_TENANT_ID is missing: a SingleTenant bot \(the default MICROSOFT_APP_TYPE\)/);
  });
});
