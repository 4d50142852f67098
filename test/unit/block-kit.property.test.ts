import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { approveButton, rejectButton, type Card } from '../../src/chat/card.js';
import { renderRequestCard } from '../../src/chat/cards/request-card.js';
import { renderRequestDetail } from '../../src/chat/cards/request-detail.js';
import { mention, userText } from '../../src/chat/mention.js';
import type { ProposalRow, VoteRow } from '../../src/register/proposals.js';
import type { RequestView } from '../../src/services/request-view.js';
import { viewWithClock, type TestRequestRow } from '../support/request-views.js';
import { LIMITS, cardToBlocks, escapeMrkdwn, fallbackText, replyBlocks, toMrkdwn, truncate, type Block } from '../../src/slack/block-kit.js';
import { fieldErrors, formToModal, MODAL_LIMITS } from '../../src/slack/modal.js';
import { commandText } from '../../src/slack/slash-commands.js';
import { rejectReasonForm } from '../../src/slack/forms.js';
import { hostileText, hugeText } from '../support/hostile-text.js';

/**
 * Property tests of Card → Block Kit with arbitrary text in every place a person's words reach a
 * card: names, agents, controllers, notes, reasons. Whatever they typed, the blocks (1) carry no
 * Slack markup of theirs: no `<!channel>`, `<@U…>`, `<#C…>` or `<url|label>` (the only markup is the
 * mentions of the members the card itself names), (2) keep within Block Kit's limits, since Slack
 * refuses a whole message for one field too long, and (3) are built without throwing.
 */
const RUNS = { numRuns: 300 };
/** The members our fixtures name: the only mentions allowed in the output. */
const MEMBERS = ['ULOGGER', 'UCHAIR', 'UOTHER'] as const;
const LEGIT_MARKUP = new RegExp(`^<@(${MEMBERS.join('|')})>`);

const anyText = fc.oneof({ weight: 4, arbitrary: hostileText(300) }, { weight: 1, arbitrary: hugeText(2_000, 10_000) });
const nullable = fc.option(anyText, { nil: null });

interface MrkdwnText { readonly where: string; readonly text: string }

/** Every text object in the blocks, with its kind and where it sits. */
function textsOf(blocks: readonly Block[]): { mrkdwn: MrkdwnText[]; plain: MrkdwnText[] } {
  const mrkdwn: MrkdwnText[] = [];
  const plain: MrkdwnText[] = [];
  const walk = (node: unknown, where: string): void => {
    if (Array.isArray(node)) { node.forEach((n, i) => walk(n, `${where}[${i}]`)); return; }
    if (node === null || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if (o.type === 'mrkdwn' && typeof o.text === 'string') mrkdwn.push({ where, text: o.text });
    if (o.type === 'plain_text' && typeof o.text === 'string') plain.push({ where, text: o.text });
    for (const [k, v] of Object.entries(o)) walk(v, `${where}.${k}`);
  };
  walk(blocks, 'blocks');
  return { mrkdwn, plain };
}

/** (1): every `<` starts a mention of a member the card names; every `&` starts an entity. */
function expectNoInjectedMarkup(blocks: readonly Block[]): void {
  for (const { where, text } of textsOf(blocks).mrkdwn) {
    for (let i = text.indexOf('<'); i !== -1; i = text.indexOf('<', i + 1)) {
      expect(LEGIT_MARKUP.test(text.slice(i)), `${where}: markup at ${i}: ${JSON.stringify(text.slice(i, i + 40))}`).toBe(true);
    }
    expect(text.replace(/<@U[A-Z0-9]+>/g, ''), where).not.toMatch(/[<>]/);
    expect(text, where).not.toMatch(/&(?!(amp|lt|gt);)/);
  }
}

/** (2): Block Kit's published limits for messages. */
function expectWithinLimits(blocks: readonly Block[]): void {
  expect(blocks.length).toBeLessThanOrEqual(LIMITS.blocks);
  for (const block of blocks) {
    switch (block.type) {
      case 'header':
        expect(block.text.text.length).toBeLessThanOrEqual(LIMITS.header);
        expect(block.text.text.length).toBeGreaterThan(0);
        break;
      case 'section':
        if (block.text) {
          expect(block.text.text.length).toBeLessThanOrEqual(LIMITS.sectionText);
          expect(block.text.text.length).toBeGreaterThan(0);
        }
        expect(block.text !== undefined || (block.fields?.length ?? 0) > 0).toBe(true);
        expect(block.fields?.length ?? 0).toBeLessThanOrEqual(LIMITS.fieldsPerSection);
        for (const field of block.fields ?? []) {
          expect(field.text.length).toBeLessThanOrEqual(LIMITS.fieldText);
          expect(field.text.length).toBeGreaterThan(0);
        }
        break;
      case 'context':
        expect(block.elements.length).toBeLessThanOrEqual(10);
        for (const e of block.elements) if ('text' in e) expect(e.text.length).toBeLessThanOrEqual(LIMITS.sectionText);
        break;
      case 'actions':
        expect(block.elements.length).toBeLessThanOrEqual(LIMITS.buttonsPerBlock);
        for (const e of block.elements) {
          if (e.type !== 'button') continue;
          expect(e.text.text.length).toBeLessThanOrEqual(LIMITS.buttonText);
          expect(e.action_id!.length).toBeLessThanOrEqual(255);
          expect((e.value ?? '').length).toBeLessThanOrEqual(2000);
        }
        break;
      default:
        throw new Error(`unexpected block type ${block.type}`);
    }
  }
}

/** A cut never splits a surrogate pair (lone surrogates typed by someone are theirs to keep). */
function expectNoSplitPair(original: string, cut: string): void {
  const body = cut.endsWith('…') && !original.startsWith(cut) ? cut.slice(0, -1) : cut;
  if (/[\uD800-\uDBFF]$/.test(body)) expect(/[\uDC00-\uDFFF]/.test(original.charAt(body.length)), 'a surrogate pair was split').toBe(false);
}

const hostileStrings = fc.record({
  name: nullable, email: fc.oneof(fc.emailAddress(), anyText), agent: nullable, controller: nullable, note: nullable,
  extensionReason: nullable, description: anyText, rejectReason: nullable, cancelReason: nullable, voteReason: nullable,
});

function requestView(h: HostileStrings, proposals: number): RequestView {
  const request: TestRequestRow = {
    id: 1, reference: 'DSR-2026-0001', type: 'erasure', subject_email: h.email, subject_name: h.name, subject_hmac: 'x', contact_id: null,
    received_via: 'email', agent_name: h.agent, controller: h.controller, received_on: '2026-03-02', due_on: '2026-04-02', paused_days: 0,
    extended: h.extensionReason !== null, extension_reason: h.extensionReason, status: 'identity-verified', status_reason: h.note,
    possible_repeat_of: null, requested_by: 'slack:ULOGGER', details: { matchedContactIds: [1, 2], maskedSubject: 'j***@example.com' },
    created_at: new Date('2026-03-02T10:00:00Z'), closed_at: null,
  };
  const proposal = (id: number, status: ProposalRow['status'], reason: string | null): ProposalRow => ({
    id, kind: id === 1 ? 'identity' : 'action', request_id: 1, purge_batch_id: null, quorum: 2, status, proposed_by: 'govbot',
    requested_by: 'slack:ULOGGER', summary: { heading: 'Proposed erasure', buttonNoun: 'erasure', description: h.description },
    decision_reason: reason, decided_at: status === 'open' ? null : new Date('2026-03-03T10:00:00Z'), created_at: new Date('2026-03-02T10:00:00Z'),
  });
  const statuses: ProposalRow['status'][] = ['approved', 'rejected', 'cancelled', 'superseded', 'open'];
  const all = Array.from({ length: proposals }, (_, i) => {
    const status = statuses[i % statuses.length]!;
    return proposal(i + 1, status, status === 'rejected' ? h.rejectReason : status === 'open' ? null : h.cancelReason);
  });
  const votes: VoteRow[] = all.flatMap((p) => [
    { proposal_id: p.id, member: 'slack:UCHAIR', decision: p.status === 'rejected' ? 'reject' : 'approve', reason: h.voteReason, created_at: new Date() },
    { proposal_id: p.id, member: 'slack:UOTHER', decision: 'approve', reason: null, created_at: new Date() },
  ]);
  return viewWithClock({ request, proposals: all, votes, pauses: [], actions: [], possibleRepeatOf: null, recipients: [] });
}
type HostileStrings = { name: string | null; email: string; agent: string | null; controller: string | null; note: string | null; extensionReason: string | null; description: string; rejectReason: string | null; cancelReason: string | null; voteReason: string | null };

describe('request cards with arbitrary text from people', () => {
  it('render without throwing, carry no markup of theirs and keep within Block Kit limits', () => {
    fc.assert(fc.property(hostileStrings, fc.integer({ min: 0, max: 30 }), (h, proposals) => {
      const card = renderRequestCard(requestView(h, proposals));
      const blocks = cardToBlocks(card);
      expectNoInjectedMarkup(blocks);
      expectWithinLimits(blocks);
      expect(fallbackText(card.summary).length).toBeLessThanOrEqual(LIMITS.fallbackText);
    }), RUNS);
  });

  it('keep what people typed, visibly, as text (escaped, never dropped) when it fits', () => {
    const short = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).map((s) => `${s}<!channel>&<@U0EVIL>`);
    fc.assert(fc.property(short, (agent) => {
      const card = renderRequestCard(requestView({ name: null, email: 'jo@example.com', agent, controller: null, note: null, extensionReason: null, description: '', rejectReason: null, cancelReason: null, voteReason: null }, 0));
      const json = JSON.stringify(cardToBlocks(card));
      expect(json).toContain(JSON.stringify(escapeMrkdwn(userText(agent))).slice(1, -1));
    }), RUNS);
  });
});

describe('`/dsr show` with arbitrary text from people', () => {
  it('renders as a reply without markup of theirs, within limits', () => {
    fc.assert(fc.property(hostileStrings, fc.integer({ min: 0, max: 8 }), (h, proposals) => {
      const view = requestView(h, proposals);
      const text = renderRequestDetail({ view, identity: null, trail: [], timezone: 'Europe/London' });
      const blocks = replyBlocks(text);
      expectNoInjectedMarkup(blocks);
      expectWithinLimits(blocks);
    }), RUNS);
  });
});

describe('any card whose people-text went through userText', () => {
  const cardOf = fc.record({
    reference: fc.constantFrom('DSR-2026-0001', 'BR-2026-001', 'PURGE-2026-Q4'),
    title: anyText.map((t) => `Suspected breach ${t}`),
    status: anyText,
    facts: fc.array(fc.record({ label: fc.constantFrom('Summary', 'Agent', 'Reason'), value: anyText }), { maxLength: 25 }),
    sections: fc.array(fc.record({ heading: fc.option(anyText, { nil: undefined }), text: anyText, buttons: fc.boolean() }), { maxLength: 60 }),
  }).map(({ reference, title, status, facts, sections }): Card => ({
    key: 'x:1', reference, title: userText(title), status: userText(status),
    facts: facts.map((f) => ({ label: f.label, value: `${userText(f.value)} (by ${mention('slack:UCHAIR')})` })),
    sections: sections.map((s, i) => ({
      ...(s.heading === undefined ? {} : { heading: userText(s.heading) }),
      text: `${userText(s.text)}\nApproved by ${mention('slack:UOTHER')}`,
      ...(s.buttons ? { buttons: [approveButton(i + 1, 'purge'), rejectButton(i + 1, 'purge')] } : {}),
    })),
    summary: userText(title),
  }));

  it('renders without throwing, carries no markup of theirs and keeps within Block Kit limits', () => {
    fc.assert(fc.property(cardOf, (card) => {
      const blocks = cardToBlocks(card);
      expectNoInjectedMarkup(blocks);
      expectWithinLimits(blocks);
      const reply = replyBlocks(userText(card.summary), card);
      expectNoInjectedMarkup(reply);
      expectWithinLimits(reply);
    }), { numRuns: 150 });
  });
});

describe('text primitives', () => {
  it('toMrkdwn of text passed through userText holds no markup at all', () => {
    fc.assert(fc.property(anyText, (text) => {
      const out = toMrkdwn(userText(text));
      expect(out).not.toMatch(/[<>]/);
      expect(out).not.toMatch(/&(?!(amp|lt|gt);)/);
    }), RUNS);
  });

  it('a mention token smuggled in raw text renders only for a well-formed Slack user id, never anything else', () => {
    fc.assert(fc.property(anyText, anyText, (before, key) => {
      const out = toMrkdwn(`${before}${mention(`slack:${key}`)}`);
      for (let i = out.indexOf('<'); i !== -1; i = out.indexOf('<', i + 1)) expect(out.slice(i)).toMatch(/^<@[UW][A-Z0-9]{2,}>/);
    }), RUNS);
  });

  it('truncate never exceeds the limit, never cuts an entity, a mention or a surrogate pair', () => {
    const mrkdwnText = fc.tuple(anyText, fc.array(fc.constantFrom(mention('slack:UCHAIR'), '&', '<!here>', '😀'), { maxLength: 20 }))
      .map(([t, extras]) => toMrkdwn(`${userText(t)}${extras.join('')}`));
    fc.assert(fc.property(mrkdwnText, fc.integer({ min: 2, max: 3000 }), (text, max) => {
      const cut = truncate(text, max);
      expect(cut.length).toBeLessThanOrEqual(max);
      if (text.length <= max) expect(cut).toBe(text);
      else {
        expect(cut.endsWith('…')).toBe(true);
        const body = cut.slice(0, -1);
        expect(text.startsWith(body)).toBe(true);
        expect(body).not.toMatch(/&[a-z]*$/);
        expect(body).not.toMatch(/<[^>]*$/);
        expectNoSplitPair(text, cut);
      }
    }), RUNS);
  });

  it('replies of any text (escaped) fit Slack, with a fallback within its limit', () => {
    fc.assert(fc.property(fc.array(anyText, { maxLength: 40 }), (lines) => {
      const text = lines.map(userText).join('\n');
      const blocks = replyBlocks(text);
      expectNoInjectedMarkup(blocks);
      expectWithinLimits(blocks);
      const fallback = fallbackText(text);
      expect(fallback.length).toBeGreaterThan(0);
      expect(fallback.length).toBeLessThanOrEqual(LIMITS.fallbackText);
    }), { numRuns: 150 });
  });

  it('slash command text, as Slack escapes it, reads back exactly as typed', () => {
    fc.assert(fc.property(anyText, (typed) => {
      expect(commandText(escapeMrkdwn(typed))).toBe(typed);
    }), RUNS);
  });
});

describe('modals with arbitrary text', () => {
  it('inline errors land on a field the modal has, and are short enough for Slack to show', () => {
    const modal = formToModal(rejectReasonForm(3), 'reject-reason');
    const view = { blocks: modal.blocks } as Parameters<typeof fieldErrors>[0];
    fc.assert(fc.property(fc.dictionary(fc.oneof(fc.constantFrom('reason', '__proto__', 'email'), fc.string()), anyText, { maxKeys: 5 }), (errors) => {
      const shown = fieldErrors(view, errors);
      for (const [field, message] of Object.entries(shown)) {
        expect(field).toBe('reason');
        expect(message.length).toBeLessThanOrEqual(MODAL_LIMITS.error);
      }
    }), RUNS);
  });
});
