import type { FakeSlack, SlackCall } from './fake-slack.js';
import { blockAction, send, slashCommand, viewSubmission, type OpenedModal, type Signing } from './slack-requests.js';

/** Drives a running govbot the way Slack does: signed commands and clicks, cards read off the fake. */
export interface SlackDriver {
  command(userId: string, root: '/dsr' | '/gov', text: string): Promise<string>;
  click(userId: string, actionId: string, value: string): Promise<string>;
  submit(userId: string, view: OpenedModal, values: Record<string, string>): Promise<{ status: number; text: string }>;
  /** The first post or update of the card for `reference` whose text matches. */
  card(reference: string, match: (text: string) => boolean, timeoutMs?: number): Promise<SlackCall>;
}

let counter = 0;

export function slackDriver(eventsUrl: string, fake: FakeSlack, secret: string): SlackDriver {
  const signing = (): Signing => ({ secret });
  const reply = async (id: string): Promise<string> => {
    const post = await within(fake.waitForResponse(id), 15_000, `no reply on response_url ${id}`);
    return String(post.body.text ?? '');
  };
  return {
    async command(userId, root, text) {
      const id = `cmd-${++counter}`;
      const res = await send(eventsUrl, slashCommand({ command: root, text, userId, responseUrl: fake.responseUrl(id) }, signing()));
      if (res.status !== 200) throw new Error(`${root} ${text}: HTTP ${res.status}`);
      return reply(id);
    },
    async click(userId, actionId, value) {
      const id = `click-${++counter}`;
      const res = await send(eventsUrl, blockAction({ userId, actionId, value, responseUrl: fake.responseUrl(id) }, signing()));
      if (res.status !== 200) throw new Error(`click ${actionId}: HTTP ${res.status}`);
      return reply(id);
    },
    submit: (userId, view, values) => send(eventsUrl, viewSubmission({ userId, view, values }, signing())),
    card: (reference, match, timeoutMs = 40_000) => within(
      fake.waitForCall('chat.update', (c) => cardText(c).includes(reference) && match(cardText(c)))
        .then((c) => c),
      timeoutMs,
      `no card for ${reference} matching ${match.toString()}; calls so far:\n${fake.calls.map((c) => `${c.method}: ${cardText(c).slice(0, 300)}`).join('\n')}`,
    ),
  };
}

/** Everything a card shows, as one string: text, blocks and button ids. */
export function cardText(call: SlackCall): string {
  const blocks = typeof call.body.blocks === 'string' ? call.body.blocks : JSON.stringify(call.body.blocks ?? []);
  return `${String(call.body.text ?? '')}\n${blocks}`;
}

/** The value of the button whose action id starts with `prefix` (e.g. "vote_approve"). */
export function buttonValue(call: SlackCall, label: string): { actionId: string; value: string } {
  const blocks = (typeof call.body.blocks === 'string' ? JSON.parse(call.body.blocks) : call.body.blocks) as { type: string; elements?: { text?: { text: string }; action_id: string; value: string }[] }[];
  for (const block of blocks) {
    for (const element of block.elements ?? []) {
      if (element.text?.text === label) return { actionId: element.action_id, value: element.value };
    }
  }
  throw new Error(`no button "${label}" on the card:\n${cardText(call)}`);
}

export function within<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(message)), ms); }),
  ]).finally(() => clearTimeout(timer));
}
