import { describe, expect, it } from 'vitest';
import { approveButton, formButton, rejectButton, type Card } from '../../src/chat/card.js';
import { mention } from '../../src/chat/mention.js';
import type { FormSpec } from '../../src/chat/reply.js';
import { INTAKE_FORM, parseIntakeForm } from '../../commands/forms/intake-form.js';
import { rectificationForm } from '../../commands/forms/rectification-form.js';
import { LIMITS, cardToBlocks, escapeMrkdwn, fallbackText, replyBlocks, toMrkdwn, truncate, type Block } from '../../src/slack/block-kit.js';
import { parseCorrectionValues, parseReason, rejectReasonForm } from '../../src/slack/forms.js';
import { homeView } from '../../src/slack/app-home.js';
import { fieldErrors, formToModal, modalContext, modalValues } from '../../src/slack/modal.js';
import { commandText } from '../../src/slack/slash-commands.js';
import { stateFor } from '../support/slack-requests.js';

const card = (over: Partial<Card> = {}): Card => ({
  key: 'request:1',
  reference: 'DSR-2026-0001',
  title: 'Erasure request DSR-2026-0001',
  status: 'Received',
  facts: [{ label: 'Subject', value: 'J. B. j***@example.com' }, { label: 'Logged by', value: mention('slack:U0LOGGER') }],
  sections: [{ heading: 'Identity check', text: `Not by ${mention('slack:U0LOGGER')}.`, buttons: [approveButton(7, 'identity'), rejectButton(7, 'identity')] }],
  summary: 'DSR-2026-0001: erasure request',
  ...over,
});

const texts = (blocks: Block[]): string => JSON.stringify(blocks);
const sections = (blocks: Block[]) => blocks.filter((b): b is Extract<Block, { type: 'section' }> => b.type === 'section');

describe('mrkdwn text', () => {
  it('escapes &, < and > in what people typed', () => {
    expect(escapeMrkdwn('a & b <c> d')).toBe('a &amp; b &lt;c&gt; d');
    expect(toMrkdwn('Reason: <!channel> <https://evil.example|click> <@U0FAKE> & more'))
      .toBe('Reason: &lt;!channel&gt; &lt;https://evil.example|click&gt; &lt;@U0FAKE&gt; &amp; more');
  });

  it('turns member tokens into mentions and leaves them unescaped', () => {
    expect(toMrkdwn(`Approved by ${mention('slack:U0123ABC')} & ${mention('teams:29:1abc')}`, (key) => (key === 'teams:29:1abc' ? 'Jo <Teams>' : undefined)))
      .toBe('Approved by <@U0123ABC> &amp; Jo &lt;Teams&gt;');
  });

  it('renders no mention from a token whose id is not a Slack user id', () => {
    expect(toMrkdwn(mention('slack:U1|<!channel>'))).toBe('slack:U1|&lt;!channel&gt;');
    expect(toMrkdwn(mention('slack:C0CHANNEL'))).toBe('slack:C0CHANNEL');
  });

  it('truncates with an ellipsis, never inside an entity, a mention or a surrogate pair', () => {
    expect(truncate('abcdef', 6)).toBe('abcdef');
    expect(truncate('abcdefg', 6)).toBe('abcde…');
    expect(truncate('abc &amp; def', 7)).toBe('abc …');
    expect(truncate('hi <@U0123ABC> there', 10)).toBe('hi …');
    expect(truncate('ab😀cd', 4)).toBe('ab…');
  });

  it('reads slash command text as typed', () => {
    expect(commandText('new erasure <mailto:jo@example.com|jo@example.com> Jo --agent "Smith &amp; Co &lt;law&gt;"'))
      .toBe('new erasure jo@example.com Jo --agent "Smith & Co <law>"');
    expect(commandText('members add <@U0123|jo> chair')).toBe('members add <@U0123|jo> chair');
    expect(commandText('processors add <https://acme.example|acme.example> hosting')).toBe('processors add https://acme.example hosting');
    expect(commandText('a &amp;lt; b')).toBe('a &lt; b');
  });
});

describe('cards as Block Kit', () => {
  it('has a header, a context line with reference and status, facts as fields and sections with buttons', () => {
    const blocks = cardToBlocks(card());
    expect(blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Erasure request DSR-2026-0001', emoji: true } });
    expect(blocks[1]).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: '*DSR-2026-0001* · Received' }] });
    expect(blocks[2]).toEqual({ type: 'section', fields: [
      { type: 'mrkdwn', text: '*Subject*\nJ. B. j***@example.com' },
      { type: 'mrkdwn', text: '*Logged by*\n<@U0LOGGER>' },
    ] });
    expect(blocks[3]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: '*Identity check*\nNot by <@U0LOGGER>.' } });
    expect(blocks[4]).toEqual({ type: 'actions', elements: [
      { type: 'button', text: { type: 'plain_text', text: 'Approve identity', emoji: true }, style: 'primary', action_id: 'vote_approve:7', value: '7' },
      { type: 'button', text: { type: 'plain_text', text: 'Reject identity', emoji: true }, style: 'danger', action_id: 'vote_reject:7', value: '7' },
    ] });
  });

  it('gives each button an action_id unique within its block, the verb first', () => {
    const blocks = cardToBlocks(card({ sections: [{ text: 'Corrections needed', buttons: [formButton('Enter corrections', 'rectification', 42), rejectButton(9, 'action')] }] }));
    const actions = blocks.find((b) => b.type === 'actions');
    expect(actions).toMatchObject({ elements: [
      { action_id: 'open_form:rectification:42', value: '42', text: { text: 'Enter corrections' } },
      { action_id: 'vote_reject:9', value: '9', style: 'danger' },
    ] });
    expect((actions as { elements: { style?: string }[] }).elements[0]).not.toHaveProperty('style');
  });

  it('escapes names and reasons on the card', () => {
    const blocks = cardToBlocks(card({
      facts: [{ label: 'Agent', value: 'made by <@U0EVIL> & <!here>' }],
      sections: [{ heading: 'Rejected', text: `By ${mention('slack:U0CHAIR')}: <https://x.example|see>` }],
    }));
    const json = texts(blocks);
    expect(json).toContain('made by &lt;@U0EVIL&gt; &amp; &lt;!here&gt;');
    expect(json).toContain('By <@U0CHAIR>: &lt;https://x.example|see&gt;');
    expect(json).not.toContain('<!here>');
  });

  it('keeps to Block Kit limits: header 150, 10 fields a section, section text 3000, 50 blocks', () => {
    const many = cardToBlocks(card({
      title: 'T'.repeat(400),
      facts: Array.from({ length: 23 }, (_, i) => ({ label: `F${i}`, value: 'v'.repeat(2500) })),
      sections: Array.from({ length: 60 }, (_, i) => ({ heading: `S${i}`, text: 'x'.repeat(5000), buttons: [approveButton(i + 1, 'it')] })),
    }));
    expect(many).toHaveLength(LIMITS.blocks);
    expect((many[0] as { text: { text: string } }).text.text).toHaveLength(150);
    expect((many[0] as { text: { text: string } }).text.text.endsWith('…')).toBe(true);
    const fieldSections = sections(many).filter((s) => s.fields);
    expect(fieldSections.map((s) => s.fields!.length)).toEqual([10, 10, 3]);
    for (const s of fieldSections) for (const f of s.fields!) expect(f.text.length).toBeLessThanOrEqual(2000);
    for (const s of sections(many)) if (s.text) expect(s.text.text.length).toBeLessThanOrEqual(3000);
    expect(many.at(-1)).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: 'Card shortened to fit Slack: /dsr show DSR-2026-0001 has everything.' }] });
  });

  it('splits a long reply into sections at line ends and adds the card after it', () => {
    const text = Array.from({ length: 100 }, (_, i) => `• DSR-2026-${String(i).padStart(4, '0')} ${'x'.repeat(60)}`).join('\n');
    const blocks = replyBlocks(text, card());
    const replySections = blocks.slice(0, blocks.findIndex((b) => b.type === 'header'));
    expect(replySections.length).toBeGreaterThan(2);
    for (const s of sections(replySections)) {
      expect(s.text!.text.length).toBeLessThanOrEqual(3000);
      expect(s.text!.text.startsWith('• DSR-')).toBe(true);
    }
    expect(fallbackText(text).length).toBeLessThanOrEqual(LIMITS.fallbackText);
    expect(fallbackText('')).toBe(' ');
  });
});

describe('forms as modals', () => {
  it('builds the intake modal: inputs by field id, selects, a date picker, optional fields, context in metadata', () => {
    const modal = formToModal({ ...INTAKE_FORM, context: { channel: 'C0COMMITTEE' } }, 'intake');
    expect(modal).toMatchObject({ type: 'modal', callback_id: 'intake', submit: { text: 'Log request' }, private_metadata: '{"channel":"C0COMMITTEE"}' });
    expect(modal.title.text.length).toBeLessThanOrEqual(24);
    const byId = Object.fromEntries(modal.blocks.map((b) => [(b as { block_id: string }).block_id, b as { optional: boolean; element: { type: string; action_id: string; options?: unknown[]; multiline?: boolean } }]));
    expect(Object.keys(byId)).toEqual(INTAKE_FORM.fields.map((f) => f.id));
    expect(byId.type).toMatchObject({ optional: false, element: { type: 'static_select', action_id: 'type' } });
    expect(byId.type!.element.options).toHaveLength(INTAKE_FORM.fields[0]!.options!.length);
    expect(byId.email).toMatchObject({ optional: false, element: { type: 'email_text_input' } });
    expect(byId.received).toMatchObject({ optional: true, element: { type: 'datepicker' }, hint: { text: 'Leave empty for today.' } });
    expect(byId.corrections).toMatchObject({ optional: true, element: { type: 'plain_text_input', multiline: true } });
  });

  it('reads a submission back into the values the shared parser checks', () => {
    const modal = formToModal(INTAKE_FORM, 'intake');
    const typed = { type: 'erasure', email: 'jo@example.com', full_name: 'Jo Bloggs', received: '2026-02-27', via: 'phone' };
    const values = modalValues({ state: { values: stateFor(modal, typed) } });
    expect(values).toEqual(typed);
    expect(parseIntakeForm(values)).toMatchObject({ ok: true, value: { type: 'erasure', receivedOn: '2026-02-27', via: 'phone', agent: null } });
  });

  it('fills initial values, and carries context through private_metadata', () => {
    const form: FormSpec = {
      id: 'intake', title: 'Form', submitLabel: 'Go', context: { proposalId: '12', channel: 'C1' },
      fields: [
        { id: 'd', label: 'Date', type: 'date', initial: '2026-03-01' },
        { id: 's', label: 'Pick', type: 'select', options: [{ value: 'a', label: 'A' }, { value: 'b', label: 'B' }], initial: 'b' },
        { id: 't', label: 'Text', type: 'text', initial: 'hello' },
      ],
    };
    const modal = formToModal(form, 'x');
    expect(modal.blocks.map((b) => (b as { element: unknown }).element)).toEqual([
      { type: 'datepicker', action_id: 'd', initial_date: '2026-03-01' },
      expect.objectContaining({ type: 'static_select', initial_option: { text: { type: 'plain_text', text: 'B', emoji: true }, value: 'b' } }),
      { type: 'plain_text_input', action_id: 't', initial_value: 'hello' },
    ]);
    expect(modalContext({ private_metadata: modal.private_metadata! })).toEqual({ proposalId: '12', channel: 'C1' });
    expect(modalContext({ private_metadata: 'not json' })).toEqual({});
    expect(modalContext({ private_metadata: '{"a":1,"b":"2"}' })).toEqual({ b: '2' });
  });

  it('shows errors on the field they concern, or on the first field if the modal lacks it', () => {
    const modal = formToModal(rejectReasonForm(3), 'reject-reason');
    const view = { blocks: modal.blocks } as Parameters<typeof fieldErrors>[0];
    expect(fieldErrors(view, { reason: 'Give a reason' })).toEqual({ reason: 'Give a reason' });
    expect(fieldErrors(view, { elsewhere: 'Lost' })).toEqual({ reason: 'Lost' });
  });

  it('checks a reject reason and rectification values before the modal closes', () => {
    expect(parseReason({ reason: '   ' })).toMatchObject({ ok: false, errors: { reason: expect.any(String) } });
    expect(parseReason({ reason: 'x'.repeat(1001) })).toMatchObject({ ok: false });
    expect(parseReason({ reason: ' fake ID ' })).toEqual({ ok: true, value: 'fake ID' });
    expect(parseCorrectionValues({})).toMatchObject({ ok: false, errors: { email: expect.stringContaining('at least one') } });
    expect(parseCorrectionValues({ email: 'jo@', phone: '0113 496 0000' })).toMatchObject({ ok: false, errors: { email: expect.any(String) } });
    expect(parseCorrectionValues({ full_name: ' Jo Bloggs ', phone: '' })).toEqual({ ok: true, value: { full_name: 'Jo Bloggs' } });
    const modal = formToModal(rectificationForm(42), 'rectification');
    expect(modal.blocks.map((b) => (b as { block_id: string; optional: boolean }).optional)).toEqual([true, true, true, true, true]);
    expect(JSON.parse(modal.private_metadata!)).toEqual({ requestId: '42' });
  });
});

describe('App Home', () => {
  it('lists what awaits the member, nearest deadline first as given, and explains itself to others', () => {
    const member = homeView({
      isMember: true,
      awaitingVote: [
        { reference: 'DSR-2026-0002', type: 'Erasure', due: '2026-04-01', clock: 'due 2026-04-01 Wed (30 days left)', note: 'Identity check' },
        { reference: 'PURGE-2026-Q1', type: 'Quarterly deletion', due: null, clock: null, note: 'Proposed purge' },
        { reference: 'DSR-2026-0003', type: 'Access', due: null, clock: 'clock not started: awaiting identity since 2026-03-01', note: 'Identity check' },
      ],
      loggedByYou: [],
    });
    const json = JSON.stringify(member);
    expect(member.type).toBe('home');
    expect(json).toContain('*Awaiting your vote* (3)');
    expect(json.indexOf('DSR-2026-0002')).toBeLessThan(json.indexOf('PURGE-2026-Q1'));
    expect(json).toContain('due 2026-04-01 Wed (30 days left)');
    expect(json).toContain('clock not started: awaiting identity since 2026-03-01');
    expect(JSON.stringify(homeView({ isMember: false, awaitingVote: [], loggedByYou: [] }))).toContain('not on the Information Governance Committee');
  });
});
