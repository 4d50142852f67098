import { randomUUID } from 'node:crypto';

/**
 * Activities exactly as Teams sends them to /api/messages: messages typed in a channel (with the
 * bot @mentioned), a group chat or a personal chat; `adaptiveCard/action` invokes from Universal
 * Actions; `task/fetch` and `task/submit` from dialogs; the Action.Submit fallback. Each names the
 * fake connector as its serviceUrl, so govbot's answers land there.
 */
export interface TeamsUser {
  /** The Bot Framework id, "29:…". */
  readonly id: string;
  readonly aadObjectId: string;
  readonly name: string;
}

export const BOT = { id: '28:00000000-0000-0000-0000-00000000b07', name: 'govbot' } as const;
export const TENANT_ID = '72f988bf-0000-0000-0000-000000000001';
export const TEAM_ID = '19:team-general@thread.tacv2';
export const COMMITTEE_CHANNEL = '19:committee@thread.tacv2';

export type Where =
  | { readonly kind: 'channel'; readonly channelId?: string; readonly threadId?: string }
  | { readonly kind: 'groupChat'; readonly chatId?: string }
  | { readonly kind: 'personal' };

let sequence = 0;

export function teamsUser(n: number, name: string): TeamsUser {
  const hex = n.toString(16).padStart(12, '0');
  return { id: `29:1user-${n}-${name.toLowerCase().replace(/\W+/g, '')}`, aadObjectId: `aaaaaaaa-0000-4000-8000-${hex}`, name };
}

function conversationOf(where: Where, user: TeamsUser) {
  switch (where.kind) {
    case 'channel': {
      const channel = where.channelId ?? COMMITTEE_CHANNEL;
      return {
        conversation: { id: `${channel};messageid=${where.threadId ?? '1772445599000'}`, conversationType: 'channel', isGroup: true, tenantId: TENANT_ID },
        channelData: { tenant: { id: TENANT_ID }, team: { id: TEAM_ID }, channel: { id: channel } },
      };
    }
    case 'groupChat':
      return { conversation: { id: where.chatId ?? '19:group-chat@thread.v2', conversationType: 'groupChat', isGroup: true, tenantId: TENANT_ID }, channelData: { tenant: { id: TENANT_ID } } };
    case 'personal':
      return { conversation: { id: `a:personal-${user.id}`, conversationType: 'personal', tenantId: TENANT_ID }, channelData: { tenant: { id: TENANT_ID } } };
  }
}

function base(serviceUrl: string, user: TeamsUser, where: Where) {
  return {
    id: `1772445${String(++sequence).padStart(6, '0')}`,
    channelId: 'msteams',
    serviceUrl,
    timestamp: new Date().toISOString(),
    from: { id: user.id, name: user.name, aadObjectId: user.aadObjectId },
    recipient: { id: BOT.id, name: BOT.name },
    locale: 'en-GB',
    ...conversationOf(where, user),
  };
}

/**
 * A typed message. Outside a personal chat the bot is @mentioned first, as Teams requires for it to
 * receive the message; `mentions` are people @mentioned in the text as `@Name` (their aadObjectId
 * left out unless `withAad`, as Teams often does).
 */
export function messageActivity(options: { serviceUrl: string; from: TeamsUser; text: string; where?: Where; mentions?: readonly TeamsUser[]; withAad?: boolean }) {
  const where = options.where ?? { kind: 'channel' };
  const entities: Record<string, unknown>[] = [];
  let text = options.text;
  for (const person of options.mentions ?? []) {
    text = text.replace(`@${person.name}`, `<at>${person.name}</at>`);
    entities.push({ type: 'mention', text: `<at>${person.name}</at>`, mentioned: { id: person.id, name: person.name, ...(options.withAad ? { aadObjectId: person.aadObjectId } : {}) } });
  }
  if (where.kind !== 'personal') {
    text = `<at>${BOT.name}</at> ${text}`;
    entities.unshift({ type: 'mention', text: `<at>${BOT.name}</at>`, mentioned: { id: BOT.id, name: BOT.name } });
  }
  return { ...base(options.serviceUrl, options.from, where), type: 'message', text, textFormat: 'plain', entities };
}

/** A press of an Action.Execute button (Universal Actions) on the card in message `replyToId`. */
export function cardAction(options: { serviceUrl: string; from: TeamsUser; verb: string; data: Record<string, unknown>; replyToId: string; where?: Where; trigger?: 'manual' | 'automatic' }) {
  return {
    ...base(options.serviceUrl, options.from, options.where ?? { kind: 'channel' }),
    type: 'invoke',
    name: 'adaptiveCard/action',
    replyToId: options.replyToId,
    value: { action: { type: 'Action.Execute', id: randomUUID(), verb: options.verb, data: options.data }, trigger: options.trigger ?? 'manual' },
  };
}

/** An Action.Submit press in a client without Universal Actions: a message carrying the data. */
export function submitAction(options: { serviceUrl: string; from: TeamsUser; data: Record<string, unknown>; replyToId: string; where?: Where }) {
  return { ...base(options.serviceUrl, options.from, options.where ?? { kind: 'channel' }), type: 'message', replyToId: options.replyToId, value: options.data };
}

export function taskFetch(options: { serviceUrl: string; from: TeamsUser; data: Record<string, unknown>; where?: Where }) {
  return { ...base(options.serviceUrl, options.from, options.where ?? { kind: 'channel' }), type: 'invoke', name: 'task/fetch', value: { data: options.data, context: { theme: 'default' } } };
}

export function taskSubmit(options: { serviceUrl: string; from: TeamsUser; data: Record<string, unknown>; where?: Where }) {
  return { ...base(options.serviceUrl, options.from, options.where ?? { kind: 'channel' }), type: 'invoke', name: 'task/submit', value: { data: options.data, context: { theme: 'default' } } };
}

export async function postActivity(url: string, activity: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(activity) });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body };
}
