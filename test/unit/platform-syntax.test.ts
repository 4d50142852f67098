import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../commands/registry.js';
import { helpText } from '../../commands/help.js';
import { usageFor } from '../../commands/arguments.js';
import { inPlatformSyntax } from '../../src/chat/platform-syntax.js';
import { mention } from '../../src/chat/mention.js';
import { cardToAdaptiveCard } from '../../src/teams/adaptive-card.js';
import { plainText } from '../../src/teams/activities.js';
import { toMrkdwn } from '../../src/slack/block-kit.js';
import type { Card } from '../../src/chat/card.js';
import { planAction } from '../../src/domain/action-plans.js';

/**
 * Help, errors and hints are written once in Slack's syntax; Teams shows them in its own: no slash
 * commands (a command is a message, CONTRACT section 4: "In Teams the same words are sent to the bot
 * as a message (`dsr list`, `gov purge`)") and people named by @mention, never Slack's `<@…>`.
 */
describe('inPlatformSyntax', () => {
  it.each([
    ['/dsr show DSR-2026-0001', 'dsr show DSR-2026-0001'],
    ['Type /gov help to see every form.', 'Type gov help to see every form.'],
    ['record it with /dsr told DSR-2026-0001 outcome.', 'record it with dsr told DSR-2026-0001 outcome.'],
    ['(/gov breach notified BR-2026-001 regulator --late-reason "…")', '(gov breach notified BR-2026-001 regulator --late-reason "…")'],
    ['"/dsr new" or \'/gov purge\'', '"dsr new" or \'gov purge\''],
    ['/gov members add <@user> [chair]', 'gov members add @name [chair]'],
    ['add one with /gov members add <@someone> chair', 'add one with gov members add @name chair'],
    ['/gov members link <@slack-user> <teams:id>', 'gov members link <Slack user id U…> @name'],
    ['Unknown command "/dsr frobnicate".', 'Unknown command "dsr frobnicate".'],
  ])('Teams: %j → %j', (slack, teams) => {
    expect(inPlatformSyntax(slack, 'teams')).toBe(teams);
  });

  it.each([
    ['https://example.com/dsr/new', 'a path keeps its slash'],
    ['and/gov', 'a slash inside a word is not a command'],
    ['/dsrs list', 'only the two command words'],
    ['/gov-ish', 'nor a longer word'],
    ['<@U0123ABCD>', 'a real Slack mention is not a placeholder'],
    ['run the Slack command /gov channel set in the Slack channel', 'an instruction for Slack itself'],
    ["or Slack's /dsr new", 'an instruction for Slack itself'],
  ])('Teams leaves %j alone (%s)', (text) => {
    expect(inPlatformSyntax(text, 'teams')).toBe(text);
  });

  it('leaves Slack text exactly as written', () => {
    const text = '/gov members add <@user> chair, then /dsr show DSR-2026-0001';
    expect(inPlatformSyntax(text, 'slack')).toBe(text);
  });
});

describe('help and usage in each platform', () => {
  it('shows every form of /dsr and /gov help in Teams without a slash or a <@…> placeholder', () => {
    for (const root of ['dsr', 'gov'] as const) {
      const teams = plainText(helpText(root, COMMANDS));
      expect(teams).not.toMatch(/(^|\s)\/(dsr|gov)\b/m);
      expect(teams).not.toContain('<@');
      expect(teams).toContain(`${root} help`);
    }
    expect(plainText(helpText('gov', COMMANDS))).toContain('gov members add @name [chair]');
    expect(toMrkdwn(helpText('gov', COMMANDS))).toContain('/gov members add &lt;@user&gt; [chair]');
  });

  it.each([
    ['/dsr pause <ref> <identity|authority|clarification|fee> [note]', 'dsr-2026-7', '/dsr pause DSR-2026-0007 <identity|authority|clarification|fee> [note]'],
    ['/gov breach notified <ref> <regulator|controllers|individuals>', 'br-2026-3', '/gov breach notified BR-2026-003 <regulator|controllers|individuals>'],
    ['/gov complaint ack <ref> [--on YYYY-MM-DD]', 'CMP-2026-012', '/gov complaint ack CMP-2026-012 [--on YYYY-MM-DD]'],
    // Not a reference of the command's kind, or not one at all: the placeholder stays.
    ['/gov breach notified <ref> <regulator|controllers|individuals>', 'DSR-2026-0001', '/gov breach notified <ref> <regulator|controllers|individuals>'],
    ['/dsr pause <ref> <identity|authority|clarification|fee> [note]', 'holiday', '/dsr pause <ref> <identity|authority|clarification|fee> [note]'],
    ['/dsr pause <ref> <identity|authority|clarification|fee> [note]', undefined, '/dsr pause <ref> <identity|authority|clarification|fee> [note]'],
    // Filled in, `/dsr show <ref>` would only repeat what was typed.
    ['/dsr show <ref>', 'DSR-2026-0001', '/dsr show <ref>'],
    ['/dsr list [open|overdue|due-soon|closed|all]', 'DSR-2026-0001', '/dsr list [open|overdue|due-soon|closed|all]'],
  ])('usage %j after %j reads %j', (usage, word, expected) => {
    expect(usageFor(usage, word)).toBe(expected);
  });
});

describe('members by name', () => {
  const card: Card = {
    key: 'request:1', reference: 'DSR-2026-0001', title: 'Erasure request', status: 'awaiting identity',
    facts: [{ label: 'Logged by', value: mention('teams:aaaaaaaa-0000-4000-8000-000000000003') }],
    sections: [{ heading: 'Votes', text: `Approved by ${mention('slack:U0CHAIR01')}; then /dsr show DSR-2026-0001` }],
    summary: `DSR-2026-0001 logged by ${mention('teams:aaaaaaaa-0000-4000-8000-000000000003')}`,
  };
  const names = new Map([['teams:aaaaaaaa-0000-4000-8000-000000000003', 'Clerk *Cy*'], ['slack:U0CHAIR01', 'Ada Lovelace']]);

  it('Teams shows the names kept, escaped, and commands without the slash', () => {
    const json = JSON.stringify(cardToAdaptiveCard(card, { nameOf: (key) => names.get(key) }));
    expect(json).toContain('Clerk \\\\*Cy*'); // escaped where it could open emphasis
    expect(json).toContain('Approved by Ada Lovelace; then dsr show DSR-2026-0001');
    expect(json).not.toContain('aaaaaaaa-0000-4000-8000-000000000003');
    expect(json).not.toContain('U0CHAIR01');
  });

  it('Teams falls back to the id when no name is known', () => {
    expect(plainText(`by ${mention('teams:29:1abc')}`)).toBe('by 29:1abc');
  });

  it('Slack keeps its own mentions (Slack shows the name) and names Teams members', () => {
    const text = `${mention('slack:U0CHAIR01')} and ${mention('teams:aaaaaaaa-0000-4000-8000-000000000003')}`;
    expect(toMrkdwn(text, (key) => names.get(key))).toBe('<@U0CHAIR01> and Clerk *Cy*');
  });
});

describe('hints name the request they are about', () => {
  it('a processor-route request\'s proposal says how to record its own forwarding', () => {
    const plan = planAction({ reference: 'DSR-2026-0042', type: 'erasure', contactIds: [7], controller: 'Acme Ltd' });
    expect(plan.description).toContain('/dsr forwarded DSR-2026-0042 --on YYYY-MM-DD');
    expect(plan.description).not.toContain('<ref>');
    expect(plainText(plan.description)).toContain('dsr forwarded DSR-2026-0042 --on YYYY-MM-DD');
  });
});
