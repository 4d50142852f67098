import type { Button, Card, CardSection } from '../chat/card.js';
import { renderMentions, type NameOf } from '../chat/mention.js';
import { inPlatformSyntax } from '../chat/platform-syntax.js';

/**
 * Card → Adaptive Card 1.5 with Universal Actions. Pure: no I/O, no SDK. Teams reads TextBlock
 * and FactSet text as Markdown (bold, italic, lists, links), so everything is escaped before the
 * member tokens become names: a name or a reason cannot turn into a link or reformat the card.
 */
export type AdaptiveElement = Record<string, unknown>;

export interface AdaptiveCard {
  readonly type: 'AdaptiveCard';
  readonly $schema: string;
  readonly version: '1.5';
  readonly body: AdaptiveElement[];
  readonly actions?: AdaptiveElement[];
  readonly refresh?: AdaptiveElement;
  readonly msteams?: { readonly width: 'Full' };
}

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';
const SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';

/** The `verb` of every Action.Execute govbot sends, and the data each carries. */
export const VERBS = { vote: 'vote', refresh: 'refresh', openForm: 'open-form', submitForm: 'submit-form', acknowledge: 'acknowledge-complaint', recipientTold: 'recipient-told' } as const;

export interface VoteData { readonly proposalId: number; readonly decision: 'approve' | 'reject'; readonly cardKey: string }

/** Teams shows six actions in a row; text beyond a few thousand characters makes a card unwieldy. */
export const LIMITS = { text: 3000, facts: 20, sections: 30, actionsPerSet: 6 } as const;

export type { NameOf } from '../chat/mention.js';

export function memberLabel(key: string, nameOf: NameOf = () => undefined): string {
  return nameOf(key) ?? (key.startsWith('teams:') ? key.slice('teams:'.length) : key);
}

/**
 * Backslash-escapes what Teams' card Markdown would act on, and nothing else, because some mobile
 * clients show the backslashes: link brackets, list markers at the start of a line, and runs of
 * `*` or `_` that could open emphasis (CommonMark's left-flanking rule). A run that can only close
 * emphasis, like the stars of a masked email `j***@example.com`, needs none: nothing opens it.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\\(?=[!-/:-@[-`{-~])/g, '\\\\')
    .replace(/[[\]]/g, (c) => `\\${c}`)
    .replace(/\*+|_+/g, (run, offset: number, whole: string) => (opensEmphasis(whole[offset - 1], whole[offset + run.length]) ? run.replace(/./g, '\\$&') : run))
    .replace(/^(\s*)([-+*])(\s)/gm, '$1\\$2$3')
    .replace(/^(\s*\d+)\.(\s)/gm, '$1\\.$2');
}

function opensEmphasis(before: string | undefined, after: string | undefined): boolean {
  const space = (c: string | undefined) => c === undefined || /\s/.test(c);
  const punctuation = (c: string | undefined) => c !== undefined && /[\p{P}\p{S}]/u.test(c);
  return !space(after) && (!punctuation(after) || space(before) || punctuation(before));
}

/** Names in, Teams syntax, then escaped once: a name cannot open emphasis around it or become markup. */
export function toCardText(text: string, nameOf?: NameOf): string {
  // Syntax first: a name such as "/gov" must stay as the person wrote it.
  return truncate(escapeMarkdown(renderMentions(inPlatformSyntax(text, 'teams'), (key) => memberLabel(key, nameOf))), LIMITS.text);
}

export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max - 1);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  // A lone trailing backslash would escape the ellipsis.
  return `${cut.replace(/\\+$/, '')}…`;
}

export function textBlock(text: string, extra: AdaptiveElement = {}): AdaptiveElement {
  return { type: 'TextBlock', text, wrap: true, ...extra };
}

export function adaptiveCard(body: AdaptiveElement[], extra: Partial<Pick<AdaptiveCard, 'actions' | 'refresh'>> = {}): AdaptiveCard {
  return { type: 'AdaptiveCard', $schema: SCHEMA, version: '1.5', msteams: { width: 'Full' }, body, ...extra };
}

export function cardToAdaptiveCard(card: Card, options: { nameOf?: NameOf; notice?: Notice } = {}): AdaptiveCard {
  const md = (text: string) => toCardText(text, options.nameOf);
  const body: AdaptiveElement[] = [];
  if (options.notice) body.push(noticeBlock(options.notice, options.nameOf));
  body.push(
    textBlock(md(card.title), { size: 'Medium', weight: 'Bolder' }),
    textBlock(`**${md(card.reference)}** · ${md(card.status)}`, { isSubtle: true, spacing: 'None' }),
  );
  const facts = card.facts.slice(0, LIMITS.facts).map((fact) => ({ title: md(fact.label), value: md(fact.value) || '–' }));
  if (facts.length > 0) body.push({ type: 'FactSet', facts });
  // Teams fetches a card's image from an https address; govbot serves report charts under PUBLIC_URL.
  if (card.image?.url) body.push({ type: 'Image', url: card.image.url, altText: card.image.altText, size: 'Stretch' });
  for (const section of card.sections.slice(0, LIMITS.sections)) body.push(sectionContainer(card, section, md));
  if (card.sections.length > LIMITS.sections || card.facts.length > LIMITS.facts) {
    body.push(textBlock(`Card shortened to fit Teams: dsr show ${md(card.reference)} has everything.`, { isSubtle: true }));
  }
  return adaptiveCard(body, card.fixed ? {} : { refresh: refreshFor(card) });
}

/** A line above the card, shown to the person who clicked (Universal Actions reply to them alone). */
export interface Notice { readonly text: string; readonly tone: 'good' | 'attention' }

function noticeBlock(notice: Notice, nameOf?: NameOf): AdaptiveElement {
  return textBlock(toCardText(notice.text, nameOf), { color: notice.tone === 'good' ? 'Good' : 'Attention', weight: 'Bolder' });
}

/**
 * Teams asks the bot for the current card whenever someone looks at it (up to 60 people in a
 * conversation; beyond that a Refresh menu item), so a card stays right for everyone even while
 * the outbox's update is still on its way.
 */
function refreshFor(card: Card): AdaptiveElement {
  return { action: { type: 'Action.Execute', title: 'Refresh', verb: VERBS.refresh, data: { cardKey: card.key } } };
}

function sectionContainer(card: Card, section: CardSection, md: (text: string) => string): AdaptiveElement {
  const items: AdaptiveElement[] = [];
  if (section.heading) items.push(textBlock(`**${md(section.heading)}**`));
  if (section.text) items.push(textBlock(md(section.text), { spacing: 'Small' }));
  const buttons = (section.buttons ?? []).slice(0, LIMITS.actionsPerSet);
  if (buttons.length > 0) items.push({ type: 'ActionSet', actions: buttons.map((button) => buttonAction(card, button)) });
  return { type: 'Container', separator: true, items };
}

export function buttonAction(card: Card, button: Button): AdaptiveElement {
  const title = button.label.slice(0, 75);
  switch (button.verb) {
    case 'approve':
      return voteAction(title, { proposalId: button.proposalId, decision: 'approve', cardKey: card.key }, 'positive');
    case 'reject':
      return button.needsReason ? rejectWithReason(card, title, button.proposalId) : voteAction(title, { proposalId: button.proposalId, decision: 'reject', cardKey: card.key }, 'destructive');
    case 'open-form':
      return openFormAction(title, button.form, { requestId: button.requestId });
    case 'acknowledge':
      return { type: 'Action.Execute', title, verb: VERBS.acknowledge, data: { complaintId: button.complaintId, cardKey: card.key }, style: 'positive' };
    case 'recipient-told':
      return { type: 'Action.Execute', title, verb: VERBS.recipientTold, data: { requestId: button.requestId, processorId: button.processorId, cardKey: card.key } };
  }
}

/** Action.Execute, falling back to Action.Submit in clients without Universal Actions. */
function voteAction(title: string, data: VoteData, style: 'positive' | 'destructive'): AdaptiveElement {
  return {
    type: 'Action.Execute', title, verb: VERBS.vote, data, style, associatedInputs: 'auto',
    fallback: { type: 'Action.Submit', title, data: { verb: VERBS.vote, ...data }, style, associatedInputs: 'auto' },
  };
}

/** Every Reject asks why: the reason box opens under the button and must be filled in to submit. */
export function reasonInputId(proposalId: number): string {
  return `reason-${proposalId}`;
}

function rejectWithReason(card: Card, title: string, proposalId: number): AdaptiveElement {
  return {
    type: 'Action.ShowCard',
    title,
    card: {
      type: 'AdaptiveCard',
      body: [{
        type: 'Input.Text', id: reasonInputId(proposalId), isMultiline: true, maxLength: 1000, isRequired: true,
        label: 'Why? (recorded with the decision and shown on the card)', errorMessage: 'Give a reason: any Reject decides the proposal.',
      }],
      actions: [voteAction(title, { proposalId, decision: 'reject', cardKey: card.key }, 'destructive')],
    },
  };
}

/** Action.Submit with `task/fetch`: the way a card opens a dialog in Teams. */
export function openFormAction(title: string, form: 'intake' | 'rectification', context: Record<string, string | number> = {}): AdaptiveElement {
  return { type: 'Action.Submit', title, data: { msteams: { type: 'task/fetch' }, verb: VERBS.openForm, form, ...context } };
}
