import type { Card } from './card.js';

/**
 * What a command or button answers to the person who used it. `private` replies go to that person
 * alone (Slack ephemeral); `channel` replies are seen by everyone where the command was typed.
 * `form` asks the platform to open a form (Slack modal, Teams dialog).
 */
export type Reply =
  | { readonly kind: 'private'; readonly text: string; readonly card?: Card }
  | { readonly kind: 'channel'; readonly text: string; readonly card?: Card }
  | { readonly kind: 'form'; readonly form: FormSpec };

export interface FormField {
  readonly id: string;
  readonly label: string;
  readonly type: 'text' | 'multiline' | 'email' | 'date' | 'select';
  readonly optional?: boolean;
  readonly options?: readonly { value: string; label: string }[];
  readonly initial?: string;
  readonly hint?: string;
}

export interface FormSpec {
  /** Which form: the adapter routes its submission back by this id. */
  readonly id: 'intake' | 'reject-reason' | 'rectification';
  readonly title: string;
  readonly submitLabel: string;
  readonly fields: readonly FormField[];
  /** Opaque context carried through the form (e.g. the proposal being rejected). */
  readonly context?: Record<string, string>;
}

export function privateReply(text: string, card?: Card): Reply {
  return card ? { kind: 'private', text, card } : { kind: 'private', text };
}

export function channelReply(text: string, card?: Card): Reply {
  return card ? { kind: 'channel', text, card } : { kind: 'channel', text };
}
