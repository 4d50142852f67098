import { quoteInput } from './quote.js';
import { err, ok, type Result } from './result.js';

/** The rights an individual may exercise under the privacy notice (DESIGN §1). */
export type RequestType =
  | 'access' | 'rectification' | 'erasure' | 'objection' | 'restriction' | 'portability'
  | 'withdraw-consent' | 'do-not-contact';

/** Human labels, in the order the intake form and help list them. */
export const REQUEST_TYPES: Readonly<Record<RequestType, string>> = {
  access: 'Access (a copy of their data)',
  rectification: 'Rectification (correct their data)',
  erasure: 'Erasure (delete their data)',
  objection: 'Objection to processing',
  restriction: 'Restriction of processing',
  portability: 'Portability (their data in a reusable format)',
  'withdraw-consent': 'Withdrawal of consent',
  'do-not-contact': 'Do not contact (opt out)',
};

export const REQUEST_TYPE_NAMES = Object.keys(REQUEST_TYPES) as readonly RequestType[];

/** The words people actually type (CONTRACT §4 accepts aliases such as `sar` and `opt-out`). */
const TYPE_ALIASES: Readonly<Record<string, RequestType>> = {
  sar: 'access', dsar: 'access', 'subject-access': 'access',
  delete: 'erasure', deletion: 'erasure', erase: 'erasure', forget: 'erasure', rtbf: 'erasure',
  'right-to-be-forgotten': 'erasure',
  'opt-out': 'do-not-contact', optout: 'do-not-contact', unsubscribe: 'do-not-contact', dnc: 'do-not-contact',
  withdraw: 'withdraw-consent', consent: 'withdraw-consent',
  correct: 'rectification', correction: 'rectification', rectify: 'rectification',
  restrict: 'restriction', object: 'objection', port: 'portability', export: 'portability',
};

/** Lower-case, and spaces or underscores as hyphens, so "Do not contact" and "do_not_contact" both work. */
function normaliseWord(word: string): string {
  return word.trim().toLowerCase().replace(/[\s_]+/g, '-');
}

function isRequestType(word: string): word is RequestType {
  return Object.hasOwn(REQUEST_TYPES, word);
}

export function parseRequestType(input: string): Result<RequestType> {
  const word = normaliseWord(input);
  if (isRequestType(word)) return ok(word);
  const alias = Object.hasOwn(TYPE_ALIASES, word) ? TYPE_ALIASES[word] : undefined;
  if (alias) return ok(alias);
  const shown = word === '' ? 'A request type is needed' : `${quoteInput(input.trim())} is not a request type`;
  return err(`${shown}. Use one of: ${REQUEST_TYPE_NAMES.join(', ')} (aliases such as sar, delete, opt-out also work).`);
}

/**
 * Approvals an action of this type needs. Erasure cannot be undone; rectification rewrites the
 * register's record of a person (a second pair of eyes); an objection to other processing is a
 * decision on compelling grounds (Art 21(1)): these take APPROVAL_QUORUM distinct members. The
 * other actions are reversible or only disclose to the verified individual: one approval.
 */
export function approvalsNeeded(type: RequestType, approvalQuorum: number, objectionToOther = false): number {
  return type === 'erasure' || type === 'rectification' || (type === 'objection' && objectionToOther) ? approvalQuorum : 1;
}

/** How a request reached the company (`--via`). */
export type Channel = 'email' | 'phone' | 'web' | 'post' | 'in-person';
export const CHANNELS: readonly Channel[] = ['email', 'phone', 'web', 'post', 'in-person'];

const CHANNEL_ALIASES: Readonly<Record<string, Channel>> = {
  'e-mail': 'email', telephone: 'phone', call: 'phone', form: 'web', website: 'web', online: 'web',
  letter: 'post', inperson: 'in-person', 'face-to-face': 'in-person',
};

export function parseChannel(input: string): Result<Channel> {
  const word = normaliseWord(input);
  const channel = (CHANNELS as readonly string[]).includes(word)
    ? (word as Channel)
    : Object.hasOwn(CHANNEL_ALIASES, word) ? CHANNEL_ALIASES[word] : undefined;
  if (channel) return ok(channel);
  const shown = word === '' ? 'A channel is needed' : `${quoteInput(input.trim())} is not a channel`;
  return err(`${shown}. Use one of: ${CHANNELS.join(', ')} (for example --via email).`);
}
