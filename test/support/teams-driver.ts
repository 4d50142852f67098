import { activityText, type ConnectorCall, type FakeBotConnector } from './fake-bot-connector.js';
import { cardAction, messageActivity, postActivity, taskFetch, taskSubmit, type TeamsUser, type Where } from './teams-activities.js';

/**
 * Drives govbot the way Teams does, over HTTP: messages, button presses and dialogs, with the
 * answers read off the fake connector (replies, 1:1 chats) or the invoke's own response. A message
 * is answered after its turn (govbot records it, answers 200, and replies from its inbox), so `say`
 * waits for the replies addressed to the sender.
 */
export interface SaidReply {
  readonly status: number;
  /** Activities govbot posted in answer (replies in the conversation or in a personal chat). */
  readonly replies: ConnectorCall[];
  readonly text: string;
}

export interface InvokeResult {
  readonly status: number;
  /** The invoke response body: `{ statusCode, type, value }` or `{ task: … }`. */
  readonly body: Record<string, unknown>;
}

export interface TeamsDriver {
  say(user: TeamsUser, text: string, options?: { where?: Where; mentions?: readonly TeamsUser[]; withAad?: boolean }): Promise<SaidReply>;
  /** Presses the button titled `label` on a posted or updated card (Reject: with its reason). */
  press(user: TeamsUser, card: ConnectorCall, label: string, options?: { reason?: string; where?: Where }): Promise<InvokeResult>;
  fetchTask(user: TeamsUser, data: Record<string, unknown>): Promise<InvokeResult>;
  submitTask(user: TeamsUser, data: Record<string, unknown>): Promise<InvokeResult>;
  /** The first post or update of the card for `reference` whose content matches. */
  card(reference: string, match: (text: string) => boolean, timeoutMs?: number): Promise<ConnectorCall>;
}

export function teamsDriver(url: string, fake: FakeBotConnector): TeamsDriver {
  const invoke = async (activity: unknown): Promise<InvokeResult> => {
    const response = await postActivity(url, activity);
    return { status: response.status, body: (response.body ?? {}) as Record<string, unknown> };
  };
  return {
    async say(user, text, options = {}) {
      const before = fake.calls.length;
      const response = await postActivity(url, messageActivity({ serviceUrl: fake.serviceUrl, from: user, text, ...options }));
      const replies = response.status === 200 ? await repliesTo(fake, user, before) : [];
      return { status: response.status, replies, text: replies.map((r) => activityText(r)).join('\n') };
    },
    press: (user, card, label, options = {}) => {
      const found = findAction(card, label);
      const data = options.reason !== undefined && found.reasonInput ? { ...found.data, [found.reasonInput]: options.reason } : found.data;
      const replyToId = card.method === 'PUT' ? card.activityId! : card.createdId!;
      return invoke(cardAction({ serviceUrl: fake.serviceUrl, from: user, verb: found.verb, data, replyToId, ...(options.where ? { where: options.where } : {}) }));
    },
    fetchTask: (user, data) => invoke(taskFetch({ serviceUrl: fake.serviceUrl, from: user, data })),
    submitTask: (user, data) => invoke(taskSubmit({ serviceUrl: fake.serviceUrl, from: user, data })),
    card: (reference, match, timeoutMs = 40_000) => within(
      fake.waitForCall((c) => (c.method === 'PUT' || c.method === 'POST') && activityText(c).includes(reference) && match(activityText(c))),
      timeoutMs,
      () => `no card for ${reference} matching ${match.toString()}; calls so far:\n${fake.calls.map((c) => `${c.method} ${c.path}: ${activityText(c).slice(0, 200)}`).join('\n')}`,
    ),
  };
}

interface FoundAction { verb: string; data: Record<string, unknown>; reasonInput?: string }

/** The Action.Execute behind a button title; a Reject is a ShowCard holding its reason box and button. */
export function findAction(card: Pick<ConnectorCall, 'body'>, label: string): FoundAction {
  const content = (card.body.attachments as { content: unknown }[] | undefined)?.[0]?.content;
  let found: FoundAction | undefined;
  const visit = (node: unknown): void => {
    if (found || typeof node !== 'object' || node === null) return;
    if (Array.isArray(node)) { node.forEach(visit); return; }
    const element = node as Record<string, unknown>;
    if (element.title === label && element.type === 'Action.Execute') {
      found = { verb: String(element.verb), data: element.data as Record<string, unknown> };
      return;
    }
    if (element.title === label && element.type === 'Action.ShowCard') {
      const inner = element.card as { body: { id: string }[]; actions: Record<string, unknown>[] };
      found = { verb: String(inner.actions[0]!.verb), data: inner.actions[0]!.data as Record<string, unknown>, reasonInput: inner.body[0]!.id };
      return;
    }
    Object.values(element).forEach(visit);
  };
  visit(content);
  if (!found) throw new Error(`no button "${label}" on the card:\n${activityText(card)}`);
  return found;
}

/** The text of an invoke's answer: a message, or the notice line on top of a returned card. */
export function answerText(result: InvokeResult): string {
  const { type, value } = result.body as { type?: string; value?: unknown };
  if (type === 'application/vnd.microsoft.activity.message') return String(value);
  return JSON.stringify(value ?? result.body);
}

/** A reply comes in one activity; a little more time lets a second one (none is expected) show. */
const SETTLE_MS = 150;

/** The activities posted to `user` (in the conversation or in their 1:1 chat) after call `from`: at least one, within 30 s. */
export async function repliesTo(fake: FakeBotConnector, user: TeamsUser, from: number, timeoutMs = 30_000): Promise<ConnectorCall[]> {
  const toUser = () => fake.calls.slice(from).filter((c) => c.method === 'POST' && c.path.includes('/activities') && (c.body.recipient as { id?: unknown } | undefined)?.id === user.id);
  const started = Date.now();
  while (toUser().length === 0) {
    if (Date.now() - started > timeoutMs) throw new Error(`no reply to ${user.name} within ${timeoutMs / 1000} s; calls since:\n${fake.calls.slice(from).map((c) => `${c.method} ${c.path}: ${activityText(c).slice(0, 200)}`).join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  return toUser();
}

export function within<T>(promise: Promise<T>, ms: number, message: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(message())), ms); }),
  ]).finally(() => clearTimeout(timer));
}
