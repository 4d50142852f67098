import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { approveButton, formButton, rejectButton, type Card } from '../../src/chat/card.js';
import { renderRequestCard } from '../../src/chat/cards/request-card.js';
import { mention, userText } from '../../src/chat/mention.js';
import type { RequestView } from '../../src/services/request-view.js';
import { viewWithClock } from '../support/request-views.js';
import { LIMITS, cardToAdaptiveCard, escapeMarkdown, toCardText, truncate, type AdaptiveElement } from '../../src/teams/adaptive-card.js';
import { hostileText, hugeText } from '../support/hostile-text.js';

/**
 * Property tests of Card → Adaptive Card with arbitrary text wherever a person's words (or a
 * member's display name) reach a card. Teams reads TextBlock and FactSet text as Markdown, so the
 * output must hold none of theirs: no link brackets, no list marker at the start of a line, no
 * `*`/`_` run that could open emphasis; text stays within the card's limits, a cut never leaves a
 * backslash escaping the ellipsis or half a surrogate pair, and nothing throws.
 */
const RUNS = { numRuns: 300 };
/**
 * Runs mixing `*` and `_` ("_*", "*_") are kept apart with a space here: escapeMarkdown takes such a
 * run as one, where CommonMark sees two, and can miss one that opens emphasis. See the known
 * faults at the end of this file; drop this once they are fixed.
 */
const apart = (text: string) => text.replace(/([*_])(?=[*_])(?!\1)/g, '$1 ');
const anyText = fc.oneof({ weight: 4, arbitrary: hostileText(300) }, { weight: 1, arbitrary: hugeText(2_000, 10_000) }).map(apart);
/**
 * Display names come from Teams and Slack profiles: anyone can set theirs to anything. A name
 * ending in `*` or `_` is left out here: see the known fault at the end of this file.
 */
const names = fc.dictionary(fc.constantFrom('teams:29:1abc', 'teams:29:2def', 'slack:UCHAIR'), anyText.map((n) => n.replace(/[*_]+$/, '')));

/** Whether the character at `i` is escaped: preceded by an odd number of backslashes. */
function escaped(text: string, i: number): boolean {
  let n = 0;
  for (let j = i - 1; j >= 0 && text[j] === '\\'; j -= 1) n += 1;
  return n % 2 === 1;
}

const space = (c: string | undefined) => c === undefined || /\s/u.test(c);
const punctuation = (c: string | undefined) => c !== undefined && /[\p{P}\p{S}]/u.test(c);

/** Markdown Teams would act on, found independently of the code under test. */
function markupIn(text: string): string | null {
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i]!;
    if ((c === '[' || c === ']') && !escaped(text, i)) return `unescaped ${c} at ${i}`;
    if ((c === '*' || c === '_') && !escaped(text, i) && (i === 0 || text[i - 1] !== c || escaped(text, i - 1))) {
      // The run of unescaped c starting here; CommonMark: a left-flanking run can open emphasis.
      let end = i;
      while (text[end] === c && !escaped(text, end)) end += 1;
      const before = text[i - 1];
      const after = text[end];
      if (!space(after) && (!punctuation(after) || space(before) || punctuation(before))) return `a ${c} run that can open emphasis at ${i}: ${JSON.stringify(text.slice(Math.max(0, i - 5), end + 5))}`;
    }
  }
  const list = /^[ \t]*(?:[-+*]|\d+\.)[ \t]/m.exec(text);
  if (list) return `a list marker at ${list.index}`;
  return null;
}

/** The texts Teams renders as Markdown that hold people's words: title, facts, section texts. */
function peopleTexts(card: ReturnType<typeof cardToAdaptiveCard>): string[] {
  const texts: string[] = [];
  for (const element of card.body) {
    if (element.type === 'TextBlock' && element.size === 'Medium') texts.push(String(element.text));
    if (element.type === 'FactSet') for (const f of element.facts as { title: string; value: string }[]) texts.push(f.title, f.value);
    if (element.type === 'Container') {
      for (const item of element.items as AdaptiveElement[]) if (item.type === 'TextBlock' && item.spacing === 'Small') texts.push(String(item.text));
    }
  }
  return texts;
}

function allTexts(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => allTexts(n, out));
  else if (node !== null && typeof node === 'object') {
    for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
      if ((k === 'text' || k === 'value' || k === 'title') && typeof v === 'string') out.push(v);
      else allTexts(v, out);
    }
  }
  return out;
}

const cardOf = fc.record({
  title: anyText, status: anyText,
  facts: fc.array(fc.record({ label: fc.constantFrom('Summary', 'Agent', 'Reason'), value: anyText }), { maxLength: 25 }),
  sections: fc.array(fc.record({ heading: fc.option(anyText, { nil: undefined }), text: anyText, buttons: fc.nat({ max: 8 }) }), { maxLength: 35 }),
}).map(({ title, status, facts, sections }): Card => ({
  key: 'breach:1', reference: 'BR-2026-001', title: `Suspected breach ${userText(title)}`, status: userText(status),
  facts: facts.map((f) => ({ label: f.label, value: `${userText(f.value)} (by ${mention('teams:29:1abc')})` })),
  sections: sections.map((s, i) => ({
    ...(s.heading === undefined ? {} : { heading: userText(s.heading) }),
    text: `${userText(s.text)}\nApproved by ${mention('teams:29:2def')}, ${mention('slack:UCHAIR')}`,
    buttons: Array.from({ length: s.buttons }, (_, b) => (b % 3 === 0 ? approveButton(i + 1, 'purge') : b % 3 === 1 ? rejectButton(i + 1, 'purge') : formButton('Enter corrections', 'rectification', i + 1))),
  })),
  summary: userText(title),
}));

describe('cards as Adaptive Cards with arbitrary text from people', () => {
  it('render without throwing, with no Markdown of theirs and within the card limits', () => {
    fc.assert(fc.property(cardOf, names, (card, named) => {
      const adaptive = cardToAdaptiveCard(card, { nameOf: (key) => named[key], notice: { text: card.summary, tone: 'attention' } });
      for (const text of peopleTexts(adaptive)) expect(markupIn(text), text.slice(0, 200)).toBeNull();
      // LIMITS.text bounds what people typed; the card's own words around it (bold markers) add a few.
      for (const text of allTexts(adaptive)) expect(text.length, text.slice(0, 40)).toBeLessThanOrEqual(LIMITS.text + 40);
      const factSet = adaptive.body.find((e) => e.type === 'FactSet');
      expect(((factSet?.facts as unknown[] | undefined) ?? []).length).toBeLessThanOrEqual(LIMITS.facts);
      expect(adaptive.body.filter((e) => e.type === 'Container').length).toBeLessThanOrEqual(LIMITS.sections);
      for (const container of adaptive.body.filter((e) => e.type === 'Container')) {
        for (const item of container.items as AdaptiveElement[]) {
          if (item.type === 'ActionSet') expect((item.actions as unknown[]).length).toBeLessThanOrEqual(LIMITS.actionsPerSet);
        }
      }
      // Whatever was typed, the card survives a JSON round trip (what goes to the Bot Connector).
      expect(JSON.parse(JSON.stringify(adaptive))).toEqual(adaptive);
    }), { numRuns: 150 });
  });

  it('a request card with hostile agents, controllers, notes and reasons: no Markdown of theirs', () => {
    const nullable = fc.option(anyText, { nil: null });
    fc.assert(fc.property(nullable, nullable, nullable, anyText, nullable, names, (agent, controller, note, description, reason, named) => {
      const view: RequestView = viewWithClock({
        request: {
          id: 1, reference: 'DSR-2026-0001', type: 'erasure', subject_email: 'jo@example.com', subject_name: 'Jo [x](https://evil)', subject_hmac: 'x',
          contact_id: null, received_via: 'email', agent_name: agent, controller, received_on: '2026-03-02', due_on: '2026-04-02', paused_days: 0,
          extended: false, extension_reason: null, status: 'received', status_reason: note, possible_repeat_of: null, requested_by: 'teams:29:1abc',
          details: {}, created_at: new Date('2026-03-02T10:00:00Z'), closed_at: null,
        },
        proposals: [
          { id: 1, kind: 'identity', request_id: 1, purge_batch_id: null, quorum: 1, status: 'open', proposed_by: 'govbot', requested_by: 'teams:29:1abc', summary: { description }, decision_reason: null, decided_at: null, created_at: new Date() },
          { id: 2, kind: 'extension', request_id: 1, purge_batch_id: null, quorum: 1, status: 'rejected', proposed_by: 'teams:29:2def', requested_by: 'teams:29:2def', summary: { description }, decision_reason: reason, decided_at: new Date(), created_at: new Date() },
        ],
        votes: [{ proposal_id: 2, member: 'slack:UCHAIR', decision: 'reject', reason, created_at: new Date() }],
        pauses: [], actions: [], possibleRepeatOf: null, recipients: [],
      });
      const adaptive = cardToAdaptiveCard(renderRequestCard(view), { nameOf: (key) => named[key] });
      for (const text of peopleTexts(adaptive)) expect(markupIn(text), text.slice(0, 200)).toBeNull();
    }), RUNS);
  });
});

describe('card size', () => {
  it('a request card with every text at its longest, in the characters that escape worst, fits the 28 KB Teams takes', () => {
    // Input limits: names, agents and controllers 200 characters; notes and reasons 500; a Reject reason 1000.
    const worst = (n: number) => '*['.repeat(n).slice(0, n);
    const proposal = (id: number, status: 'open' | 'rejected' | 'cancelled') => ({
      id, kind: 'action' as const, request_id: 1, purge_batch_id: null, quorum: 2, status, proposed_by: 'govbot', requested_by: 'teams:29:1abc',
      summary: { heading: 'Proposed erasure', description: worst(500) }, decision_reason: status === 'open' ? null : worst(1000), decided_at: null, created_at: new Date(),
    });
    const view: RequestView = viewWithClock({
      request: {
        id: 1, reference: 'DSR-2026-0001', type: 'erasure', subject_email: `${'a'.repeat(64)}@${'b'.repeat(180)}.com`, subject_name: worst(200), subject_hmac: 'x',
        contact_id: null, received_via: 'email', agent_name: worst(200), controller: worst(200), received_on: '2026-03-02', due_on: '2026-04-02', paused_days: 0,
        extended: true, extension_reason: worst(500), status: 'identity-verified', status_reason: worst(500), possible_repeat_of: null, requested_by: 'teams:29:1abc',
        details: { matchedContactIds: Array.from({ length: 50 }, (_, i) => i) }, created_at: new Date(), closed_at: null,
      },
      proposals: [proposal(1, 'rejected'), proposal(2, 'cancelled'), proposal(3, 'rejected'), proposal(4, 'open')],
      votes: [], pauses: [], actions: [], possibleRepeatOf: 'DSR-2026-0000', recipients: [],
      notices: (['extension', 'refusal', 'identity-rejected', 'outcome'] as const).map((kind, i) => ({ id: i + 1, request_id: 1, kind, owed_since: '2026-03-02', due_by: '2026-04-02', told_on: null, told_by: null })),
    });
    const json = JSON.stringify(cardToAdaptiveCard(renderRequestCard(view), { nameOf: () => worst(200) }));
    expect(Buffer.byteLength(json)).toBeLessThan(28 * 1024);
  });
});

describe('text primitives', () => {
  it('escapeMarkdown leaves no link bracket, list marker or opening emphasis, and shows exactly what was typed', () => {
    // CommonMark's own reading of backslashes: one before ASCII punctuation escapes it; others are text.
    const unescape = (md: string) => md.replace(/\\([!-/:-@[-`{-~])/g, '$1');
    fc.assert(fc.property(anyText, (text) => {
      const out = escapeMarkdown(text);
      expect(markupIn(out), JSON.stringify(text.slice(0, 100))).toBeNull();
      expect(unescape(out)).toBe(text);
    }), RUNS);
  });

  it('a member token in raw text becomes a name, escaped; no name can carry markup', () => {
    fc.assert(fc.property(anyText, anyText.map((n) => n.replace(/[*_]+$/, '')), (before, name) => {
      const out = toCardText(`${userText(before)} ${mention('teams:29:1abc')}`, () => name);
      expect(markupIn(out)).toBeNull();
      expect(out.length).toBeLessThanOrEqual(LIMITS.text);
    }), RUNS);
  });

  it('truncate keeps to the limit, never splits a surrogate pair and never leaves a backslash before the ellipsis', () => {
    const escapedText = anyText.map(escapeMarkdown);
    fc.assert(fc.property(escapedText, fc.integer({ min: 2, max: 3_000 }), (text, max) => {
      const cut = truncate(text, max);
      expect(cut.length).toBeLessThanOrEqual(max);
      if (text.length <= max) {
        expect(cut).toBe(text);
        return;
      }
      expect(cut.endsWith('…')).toBe(true);
      const body = cut.slice(0, -1);
      expect(text.startsWith(body)).toBe(true);
      expect(escaped(cut, cut.length - 1), 'the ellipsis is escaped').toBe(false);
      if (/[\uD800-\uDBFF]$/.test(body)) expect(/[\uDC00-\uDFFF]/.test(text.charAt(body.length)), 'a surrogate pair was split').toBe(false);
    }), RUNS);
  });
});

describe('known faults, reported to the lead (src/teams/adaptive-card.ts is being written)', () => {
  // escapeMarkdown treats /[*_]+/ as one delimiter run; CommonMark's runs are of one character, so in
  // "0_*'" the "*" run (after "_", before "'") can open emphasis yet is left unescaped. Matching
  // /\*+|_+/g instead fixes it. Flip this to it() once fixed, and drop `apart` above.
  it('a run mixing "*" and "_" is escaped as CommonMark reads it', () => {
    expect(markupIn(escapeMarkdown("0_*' and A*_! x"))).toBeNull();
  });

  // toCardText escapes each member's name on its own, then puts it into the text: a name ending in
  // "_" or "*" is escaped as if nothing followed it, but in the card a comma or ")" does, and the
  // run can then open emphasis ("Not by Jo_, who asked" italicises what follows). Escaping once,
  // after the names are in (escapeMarkdown(renderMentions(...))), would fix it; tokens cannot come
  // from people's text (userText strips them). Flip this to it() once fixed.
  it('a display name ending in "_" cannot open emphasis in the text around it', () => {
    const out = toCardText(`Not by ${mention('teams:29:1abc')}, who asked for it; _see below_`, () => 'Jo @_');
    expect(markupIn(out)).toBeNull();
  });
});
