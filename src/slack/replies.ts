import type { RespondFn, webApi } from '@slack/bolt';
import type { Card } from '../chat/card.js';
import type { FormSpec, Reply } from '../chat/reply.js';
import type { Logger } from '../logger.js';
import { fallbackText, replyBlocks, type NameOf } from './block-kit.js';
import { formToModal } from './modal.js';

/**
 * The ways a handler answers in Slack: through the response_url of a command or click (works in
 * any channel, bot invited or not), by opening a modal, or, after a modal is submitted (which has
 * no response_url), with an ephemeral message where the form was opened, else a direct message.
 */
type Message = { readonly text: string; readonly card?: Card };

function content(message: Message, nameOf?: NameOf) {
  return { text: fallbackText(message.text, nameOf), blocks: replyBlocks(message.text, message.card, nameOf) };
}

/**
 * Answers through a response_url recorded earlier, as Bolt's own respond() does (a JSON POST; the
 * URL takes up to five answers within 30 minutes), for work done by the inbox after the request.
 */
export function respondTo(responseUrl: string, timeoutMs: number): RespondFn {
  return async (message) => {
    const body = typeof message === 'string' ? { text: message } : message;
    const response = await fetch(responseUrl, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) throw new Error(`Slack's response_url answered HTTP ${response.status}`);
    await response.arrayBuffer();
    return response;
  };
}

/** A command's reply through its response_url; `private` replies are ephemeral. `nameOf` names Teams members in it. */
export async function respondWith(respond: RespondFn, reply: Exclude<Reply, { kind: 'form' }>, nameOf?: NameOf): Promise<void> {
  await respond({ response_type: reply.kind === 'channel' ? 'in_channel' : 'ephemeral', ...content(reply, nameOf) });
}

/** A private answer to a click: a new ephemeral message, leaving the card itself alone. */
export async function respondPrivately(respond: RespondFn, text: string): Promise<void> {
  await respond({ response_type: 'ephemeral', replace_original: false, ...content({ text }) });
}

/**
 * Opens a form. Slack accepts a trigger_id for 3 seconds only, so callers do this before anything
 * slow. `channel` rides along in the form's context so the submission can answer there.
 */
export async function openForm(client: webApi.WebClient, triggerId: string, form: FormSpec, channel?: string): Promise<void> {
  const withChannel: FormSpec = channel ? { ...form, context: { ...form.context, channel } } : form;
  await client.views.open({ trigger_id: triggerId, view: formToModal(withChannel, form.id) });
}

/**
 * Tells the person who submitted a form how it went. An ephemeral message needs the bot in that
 * channel; where it is not (a /dsr typed in any channel), the answer goes to a direct message.
 */
export async function tellUser(client: webApi.WebClient, logger: Logger, userId: string, channel: string | undefined, message: Message): Promise<void> {
  if (channel) {
    try {
      await client.chat.postEphemeral({ channel, user: userId, ...content(message) });
      return;
    } catch (error) {
      logger.info({ code: (error as { data?: { error?: string } }).data?.error ?? (error as Error).message }, 'ephemeral answer failed; sending a direct message instead');
    }
  }
  await client.chat.postMessage({ channel: userId, ...content(message) });
}
