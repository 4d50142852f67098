import type { types } from '@slack/bolt';
import type { Button, Card, CardSection } from '../chat/card.js';
import { renderMentions, type NameOf } from '../chat/mention.js';

/**
 * Card → Block Kit, and reply text → mrkdwn. Pure: no I/O, no Bolt runtime. Everything that came
 * from a person (names, reasons, notes) is escaped, so a reason cannot smuggle in a link, an
 * `<!channel>` or a fake `<@U…>`; only the member tokens the card model put there become mentions.
 */
export type Block = types.KnownBlock;

/** Block Kit's published limits (messages); Slack rejects the whole message when one is exceeded. */
export const LIMITS = {
  blocks: 50,
  sectionText: 3000,
  fieldText: 2000,
  fieldsPerSection: 10,
  header: 150,
  buttonText: 75,
  buttonsPerBlock: 25,
  fallbackText: 3000,
} as const;

/** The verb part of a button's action_id; the id after the colon keeps ids unique within a block. */
export const ACTIONS = { approve: 'vote_approve', reject: 'vote_reject', openForm: 'open_form', acknowledge: 'acknowledge_complaint', recipientTold: 'recipient_told' } as const;

/** How a member who is not a Slack user is named (e.g. a Teams member on a shared card). */
export type { NameOf } from '../chat/mention.js';

const SLACK_USER = /^slack:([UW][A-Z0-9]{2,})$/;

export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Text for a mrkdwn field. Escaping comes first and cannot touch the member tokens (they contain
 * none of & < >); the mentions rendered from them afterwards are therefore the only markup left.
 */
export function toMrkdwn(text: string, nameOf: NameOf = () => undefined): string {
  return renderMentions(escapeMrkdwn(text), (key) => {
    const slackUser = SLACK_USER.exec(key);
    if (slackUser) return `<@${slackUser[1]}>`;
    // The key was escaped with the rest; a name from elsewhere has not been.
    const name = nameOf(key);
    return name === undefined ? key : escapeMrkdwn(name);
  });
}

/** Cuts to `max` characters with "…", never inside an entity (&amp;), a mention (<@U…>) or a surrogate pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max - 1);
  const amp = cut.lastIndexOf('&');
  if (amp >= 0 && !cut.includes(';', amp)) cut = cut.slice(0, amp);
  const open = cut.lastIndexOf('<');
  if (open >= 0 && !cut.includes('>', open)) cut = cut.slice(0, open);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
}

const mrkdwn = (text: string, max: number): types.MrkdwnElement => ({ type: 'mrkdwn', text: truncate(text, max) });
const plain = (text: string, max: number): types.PlainTextElement => ({ type: 'plain_text', text: truncate(text, max), emoji: true });

export function cardToBlocks(card: Card, nameOf?: NameOf): Block[] {
  const md = (text: string) => toMrkdwn(text, nameOf);
  const blocks: Block[] = [
    { type: 'header', text: plain(card.title, LIMITS.header) },
    { type: 'context', elements: [mrkdwn(`*${md(card.reference)}* · ${md(card.status)}`, LIMITS.sectionText)] },
  ];
  for (let i = 0; i < card.facts.length; i += LIMITS.fieldsPerSection) {
    const fields = card.facts.slice(i, i + LIMITS.fieldsPerSection)
      .map((fact) => mrkdwn(`*${md(fact.label)}*\n${md(fact.value) || '–'}`, LIMITS.fieldText));
    blocks.push({ type: 'section', fields });
  }
  for (const section of card.sections) blocks.push(...sectionBlocks(section, md));
  return capBlocks(blocks, `Card shortened to fit Slack: /dsr show ${md(card.reference)} has everything.`);
}

function sectionBlocks(section: CardSection, md: (text: string) => string): Block[] {
  const blocks: Block[] = [];
  const heading = section.heading ? `*${md(section.heading)}*` : '';
  const text = [heading, md(section.text)].filter(Boolean).join('\n');
  // A section must have text; a bare row of buttons needs none.
  if (text) blocks.push({ type: 'section', text: mrkdwn(text, LIMITS.sectionText) });
  if (section.buttons && section.buttons.length > 0) {
    blocks.push({ type: 'actions', elements: section.buttons.slice(0, LIMITS.buttonsPerBlock).map(buttonElement) });
  }
  return blocks;
}

export function buttonElement(button: Button): types.Button {
  const text = plain(button.label, LIMITS.buttonText);
  switch (button.verb) {
    case 'approve':
      return { type: 'button', text, style: 'primary', action_id: `${ACTIONS.approve}:${button.proposalId}`, value: String(button.proposalId) };
    case 'reject':
      return { type: 'button', text, style: 'danger', action_id: `${ACTIONS.reject}:${button.proposalId}`, value: String(button.proposalId) };
    case 'open-form':
      return { type: 'button', text, action_id: `${ACTIONS.openForm}:${button.form}:${button.requestId}`, value: String(button.requestId) };
    case 'acknowledge':
      return { type: 'button', text, style: 'primary', action_id: `${ACTIONS.acknowledge}:${button.complaintId}`, value: String(button.complaintId) };
    case 'recipient-told':
      return { type: 'button', text, action_id: `${ACTIONS.recipientTold}:${button.requestId}:${button.processorId}`, value: `${button.requestId}:${button.processorId}` };
  }
}

/** A reply's text as sections (split at line ends to fit), then its card if it has one. */
export function replyBlocks(text: string, card?: Card, nameOf?: NameOf): Block[] {
  const blocks: Block[] = textChunks(toMrkdwn(text, nameOf), LIMITS.sectionText)
    .map((chunk) => ({ type: 'section', text: { type: 'mrkdwn', text: chunk } }));
  if (card) blocks.push(...cardToBlocks(card, nameOf));
  return capBlocks(blocks, 'Reply shortened to fit Slack.');
}

/** The notification / screen-reader text that goes beside blocks. */
export function fallbackText(text: string, nameOf?: NameOf): string {
  return truncate(toMrkdwn(text, nameOf), LIMITS.fallbackText) || ' ';
}

function textChunks(text: string, max: number): string[] {
  const chunks: string[] = [];
  let current = '';
  for (const line of text.split('\n')) {
    const candidate = current ? `${current}\n${line}` : line;
    if (candidate.length <= max) { current = candidate; continue; }
    if (current) chunks.push(current);
    current = truncate(line, max);
  }
  if (current) chunks.push(current);
  return chunks;
}

function capBlocks(blocks: Block[], note: string): Block[] {
  if (blocks.length <= LIMITS.blocks) return blocks;
  return [...blocks.slice(0, LIMITS.blocks - 1), { type: 'context', elements: [mrkdwn(note, LIMITS.sectionText)] }];
}
