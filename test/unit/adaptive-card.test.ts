import { describe, expect, it } from 'vitest';
import { approveButton, formButton, rejectButton, type Card } from '../../src/chat/card.js';
import { mention } from '../../src/chat/mention.js';
import { INTAKE_FORM } from '../../commands/forms/intake-form.js';
import { rectificationForm } from '../../commands/forms/rectification-form.js';
import { cardActivity, committeeReference, textActivity } from '../../src/teams/activities.js';
import { cardToAdaptiveCard, escapeMarkdown, LIMITS, toCardText, type AdaptiveElement } from '../../src/teams/adaptive-card.js';
import { readVote } from '../../src/teams/card-actions.js';
import { dialogFor, formToAdaptiveCard, openFormCard, readSubmission } from '../../src/teams/form-card.js';

const CHAIR = 'teams:aaaaaaaa-0000-4000-8000-000000000001';

function requestCard(overrides: Partial<Card> = {}): Card {
  return {
    key: 'request:7',
    reference: 'DSR-2026-0007',
    title: 'Erasure request DSR-2026-0007',
    status: 'received',
    facts: [{ label: 'Subject', value: 'J*** B*** j***@example.com' }, { label: 'Logged by', value: mention(CHAIR) }],
    sections: [
      { heading: 'Identity check', text: `0 of 1 approvals so far (nobody yet); 1 more needed. Not by ${mention(CHAIR)}, who asked for it.`, buttons: [approveButton(11, 'identity'), rejectButton(11, 'identity')] },
      { heading: 'Proposed rectification', text: 'Waiting for the corrected values.', buttons: [formButton('Enter corrections', 'rectification', 7)] },
    ],
    summary: 'DSR-2026-0007: erasure request, received',
    ...overrides,
  };
}

/** Every element of a card, however deeply nested (containers, action sets, show-cards). */
function elements(node: unknown): AdaptiveElement[] {
  if (Array.isArray(node)) return node.flatMap(elements);
  if (typeof node !== 'object' || node === null) return [];
  const element = node as AdaptiveElement;
  return [element, ...Object.values(element).flatMap(elements)];
}

const ofType = (card: unknown, type: string) => elements(card).filter((e) => e.type === type);

describe('Card → Adaptive Card', () => {
  it('is a version 1.5 card with the title, the reference and status, and the facts as a FactSet', () => {
    const card = cardToAdaptiveCard(requestCard());
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.5' });
    const texts = ofType(card, 'TextBlock').map((t) => t.text);
    expect(texts[0]).toBe('Erasure request DSR-2026-0007');
    expect(texts[1]).toBe('**DSR-2026-0007** · received');
    expect(ofType(card, 'FactSet')[0]!.facts).toEqual([
      { title: 'Subject', value: 'J*** B*** j***@example.com' },
      { title: 'Logged by', value: 'aaaaaaaa-0000-4000-8000-000000000001' },
    ]);
  });

  it('renders member tokens as plain ids (names when known), never as raw tokens', () => {
    const plain = JSON.stringify(cardToAdaptiveCard(requestCard()));
    expect(plain).not.toContain('⟨member');
    const named = JSON.stringify(cardToAdaptiveCard(requestCard(), { nameOf: (key) => (key === CHAIR ? 'Chair Carol' : undefined) }));
    expect(named).toContain('Not by Chair Carol, who asked for it.');
  });

  it('votes with Action.Execute (verb vote), falling back to Action.Submit', () => {
    const approve = ofType(cardToAdaptiveCard(requestCard()), 'Action.Execute').find((a) => a.title === 'Approve identity')!;
    expect(approve).toMatchObject({ verb: 'vote', data: { proposalId: 11, decision: 'approve', cardKey: 'request:7' }, style: 'positive' });
    expect(approve.fallback).toMatchObject({ type: 'Action.Submit', data: { verb: 'vote', proposalId: 11, decision: 'approve' } });
  });

  it('asks for the reason of a Reject in the card: a required box behind the button', () => {
    const show = ofType(cardToAdaptiveCard(requestCard()), 'Action.ShowCard').find((a) => a.title === 'Reject identity')!;
    const inner = show.card as { body: AdaptiveElement[]; actions: AdaptiveElement[] };
    expect(inner.body[0]).toMatchObject({ type: 'Input.Text', id: 'reason-11', isRequired: true, isMultiline: true });
    expect(inner.actions[0]).toMatchObject({ type: 'Action.Execute', verb: 'vote', data: { proposalId: 11, decision: 'reject' }, associatedInputs: 'auto' });
  });

  it('opens the corrections dialog with Action.Submit task/fetch', () => {
    const open = ofType(cardToAdaptiveCard(requestCard()), 'Action.Submit').find((a) => a.title === 'Enter corrections')!;
    expect(open.data).toEqual({ msteams: { type: 'task/fetch' }, verb: 'open-form', form: 'rectification', requestId: 7 });
  });

  it('asks Teams to refresh the card for whoever views it', () => {
    expect(cardToAdaptiveCard(requestCard()).refresh).toEqual({ action: { type: 'Action.Execute', title: 'Refresh', verb: 'refresh', data: { cardKey: 'request:7' } } });
  });

  it('has no buttons once every proposal is decided', () => {
    const decided = requestCard({ status: 'completed', sections: [{ heading: 'Identity check', text: `Approved by ${mention(CHAIR)}.` }] });
    const card = cardToAdaptiveCard(decided);
    expect(ofType(card, 'ActionSet')).toEqual([]);
    expect(elements(card).filter((e) => typeof e.type === 'string' && e.type.startsWith('Action.') && e.verb !== 'refresh')).toEqual([]);
  });

  it('puts a notice for the clicker on top', () => {
    const card = cardToAdaptiveCard(requestCard(), { notice: { text: 'Your vote is counted: 1 of 2 approvals, 1 more needed.', tone: 'good' } });
    expect(card.body[0]).toMatchObject({ type: 'TextBlock', text: 'Your vote is counted: 1 of 2 approvals, 1 more needed.', color: 'Good' });
  });

  it('shortens a card too long for Teams and says where the rest is', () => {
    const sections = Array.from({ length: LIMITS.sections + 5 }, (_, i) => ({ text: `note ${i}` }));
    const card = cardToAdaptiveCard(requestCard({ sections }));
    expect(ofType(card, 'Container')).toHaveLength(LIMITS.sections);
    expect(JSON.stringify(card)).toContain('dsr show DSR-2026-0007 has everything');
    expect(toCardText('x'.repeat(10_000))).toHaveLength(LIMITS.text);
  });
});

describe('Markdown escaping for card text', () => {
  it('neutralises links, emphasis and list markers that people typed', () => {
    expect(escapeMarkdown('[click](https://evil.example)')).toBe('\\[click\\](https://evil.example)');
    expect(escapeMarkdown('*urgent* and __now__')).toBe('\\*urgent* and \\_\\_now__');
    expect(escapeMarkdown('- not a list\n1. nor this')).toBe('\\- not a list\n1\\. nor this');
  });

  it('leaves masked emails and ordinary punctuation alone (some clients show the backslashes)', () => {
    expect(escapeMarkdown('J*** B*** j***@example.com')).toBe('J*** B*** j***@example.com');
    expect(escapeMarkdown('1 of 2 approvals so far (nobody yet); due 2026-04-02')).toBe('1 of 2 approvals so far (nobody yet); due 2026-04-02');
    expect(escapeMarkdown('C:\\files\\a.txt')).toBe('C:\\files\\a.txt');
  });

  it('escapes a name before it becomes part of the card', () => {
    const card = cardToAdaptiveCard(requestCard({ facts: [{ label: 'Agent', value: 'made by [Evil](https://x.example) on the individual\'s behalf' }] }));
    expect(ofType(card, 'FactSet')[0]!.facts).toEqual([{ title: 'Agent', value: 'made by \\[Evil\\](https://x.example) on the individual\'s behalf' }]);
  });
});

describe('Teams activities', () => {
  it('sends replies as plain text, so nothing typed is formatted, with a card below when there is one', () => {
    expect(textActivity(`Added ${mention(CHAIR)} *now*`)).toEqual({ type: 'message', text: 'Added aaaaaaaa-0000-4000-8000-000000000001 *now*', textFormat: 'plain' });
    expect(textActivity('Here:', requestCard()).attachments).toHaveLength(1);
  });

  it('sends a committee card as the Adaptive Card alone, its summary for notifications', () => {
    const activity = cardActivity(requestCard());
    expect(activity.text).toBeUndefined();
    expect(activity.summary).toBe('DSR-2026-0007: erasure request, received');
    expect(activity.attachments?.[0]?.contentType).toBe('application/vnd.microsoft.card.adaptive');
  });

  it('keeps a channel\'s conversation reference without the thread, the user or the activity', () => {
    const reference = committeeReference({
      channelId: 'msteams', serviceUrl: 'https://smba.trafficmanager.net/uk/',
      conversation: { id: '19:abc@thread.tacv2;messageid=1772445599000', conversationType: 'channel', tenantId: 't1', isGroup: true, name: '' },
      recipient: { id: '28:bot', name: 'govbot' },
    });
    expect(reference).toEqual({
      channelId: 'msteams', serviceUrl: 'https://smba.trafficmanager.net/uk/', bot: { id: '28:bot', name: 'govbot' },
      conversation: { id: '19:abc@thread.tacv2', conversationType: 'channel', tenantId: 't1', isGroup: true },
    });
  });

  it('reads a vote from a button\'s data, with the reason typed in its box', () => {
    expect(readVote({ proposalId: 11, decision: 'reject', cardKey: 'request:7', 'reason-11': '  expired passport ' })).toEqual({ proposalId: 11, decision: 'reject', cardKey: 'request:7', reason: 'expired passport' });
    expect(readVote({ proposalId: 11, decision: 'approve', cardKey: 'request:7', 'reason-11': 'ignored' })).toEqual({ proposalId: 11, decision: 'approve', cardKey: 'request:7' });
    expect(readVote({ proposalId: 'x', decision: 'approve', cardKey: 'request:7' })).toBeNull();
    expect(readVote({ proposalId: 11, decision: 'abstain', cardKey: 'request:7' })).toBeNull();
  });
});

describe('Forms as dialogs', () => {
  it('renders every field of the intake form as an input named by its id, required unless optional', () => {
    const card = formToAdaptiveCard(INTAKE_FORM);
    const inputs = elements(card).filter((e) => typeof e.type === 'string' && e.type.startsWith('Input.'));
    expect(inputs.map((i) => i.id)).toEqual(INTAKE_FORM.fields.map((f) => f.id));
    expect(inputs.find((i) => i.id === 'type')).toMatchObject({ type: 'Input.ChoiceSet', isRequired: true });
    expect(inputs.find((i) => i.id === 'email')).toMatchObject({ type: 'Input.Text', style: 'Email', isRequired: true });
    expect(inputs.find((i) => i.id === 'received')).toMatchObject({ type: 'Input.Date', isRequired: false });
    expect(card.actions).toEqual([{ type: 'Action.Submit', title: 'Log request', data: { verb: 'submit-form', form: 'intake', context: {} } }]);
  });

  it('shows errors beside their fields and keeps what was typed', () => {
    const card = formToAdaptiveCard(INTAKE_FORM, { values: { email: 'sam@' }, errors: { email: 'not an email', elsewhere: 'lost context' } });
    const body = card.body;
    const email = body.findIndex((e) => e.id === 'email');
    expect(body[email]).toMatchObject({ value: 'sam@' });
    expect(body.slice(email + 1, email + 3).some((e) => e.text === 'not an email' && e.color === 'Attention')).toBe(true);
    expect(body[0]).toMatchObject({ text: 'lost context', color: 'Attention' });
  });

  it('carries a form\'s context through the dialog and reads the submission back', () => {
    const dialog = dialogFor(rectificationForm(7));
    expect(dialog).toMatchObject({ title: 'Enter corrections', card: { contentType: 'application/vnd.microsoft.card.adaptive' } });
    expect(dialog.card.content.actions?.[0]).toMatchObject({ data: { form: 'rectification', context: { requestId: '7' } } });
    expect(readSubmission({ verb: 'submit-form', form: 'rectification', context: { requestId: '7' }, full_name: ' Alexandra Keep ', phone: '', msteams: {} }))
      .toEqual({ form: 'rectification', context: { requestId: '7' }, values: { full_name: 'Alexandra Keep' } });
    expect(readSubmission({ full_name: 'x' })).toBeNull();
  });

  it('answers dsr new with a card whose button opens the intake dialog', () => {
    expect(openFormCard(INTAKE_FORM).actions).toEqual([{ type: 'Action.Submit', title: 'Open: New data subject request', data: { msteams: { type: 'task/fetch' }, verb: 'open-form', form: 'intake' } }]);
  });
});
