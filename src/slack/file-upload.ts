import type { webApi } from '@slack/bolt';
import type { Card } from '../chat/card.js';
import type { ImageFile } from '../chat/port.js';
import { DeliveryError } from '../chat/port.js';
import { cardToBlocks, fallbackText, type Block } from './block-kit.js';

/**
 * A card with its image, posted as one message in the channel through Slack's file upload (v2):
 * `files.getUploadURLExternal` for an upload address, the PNG posted to it, then
 * `files.completeUploadExternal` sharing the file to the channel with the card's blocks as the
 * message. If Slack refuses the upload because the app was not given `files:write` (or the token
 * cannot upload at all), the card still goes by `chat.postMessage`, with a line saying how to
 * grant the scope: the figures matter more than the picture.
 */
export const SCOPE_HINT = 'Chart not attached: Slack refused the upload because the app lacks the files:write scope. Add files:write under OAuth & Permissions (it is in manifest/slack/manifest.yml), reinstall the app, and the next report will carry its chart.';

/** Upload refusals that mean "this app may not upload": no retry helps, so send the card without it. */
const CANNOT_UPLOAD = new Set(['missing_scope', 'not_allowed_token_type', 'no_permission', 'restricted_action']);

export type Call = <T>(method: string, send: () => Promise<T>) => Promise<T>;

export async function postCardWithImage(client: webApi.WebClient, call: Call, channel: string, card: Card, image: ImageFile, timeoutMs: number): Promise<{ messageId: string }> {
  let fileId: string;
  try {
    const target = await call('files.getUploadURLExternal', () => client.files.getUploadURLExternal({ filename: image.filename, length: image.png.byteLength, alt_text: card.image?.altText }));
    if (!target.upload_url || !target.file_id) throw new DeliveryError('slack files.getUploadURLExternal answered without an upload address', { permanent: true });
    await sendBytes(target.upload_url, image.png, timeoutMs);
    fileId = target.file_id;
  } catch (error) {
    if (error instanceof DeliveryError && CANNOT_UPLOAD.has(slackCode(error))) return postWithoutImage(client, call, channel, card);
    throw error;
  }
  await call('files.completeUploadExternal', () => client.files.completeUploadExternal({
    files: [{ id: fileId, title: image.title }], channel_id: channel, blocks: cardToBlocks(card) as never,
  }));
  return { messageId: fileId };
}

async function postWithoutImage(client: webApi.WebClient, call: Call, channel: string, card: Card): Promise<{ messageId: string }> {
  const blocks: Block[] = [...cardToBlocks(card), { type: 'context', elements: [{ type: 'mrkdwn', text: SCOPE_HINT }] }];
  const result = await call('chat.postMessage', () => client.chat.postMessage({ channel, text: fallbackText(card.summary), blocks }));
  if (!result.ts) throw new DeliveryError('slack chat.postMessage answered without a message ts', { permanent: true });
  return { messageId: result.ts };
}

/** The upload address takes the file's bytes as the body of a POST. */
async function sendBytes(url: string, bytes: Uint8Array, timeoutMs: number): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', body: bytes, headers: { 'Content-Type': 'application/octet-stream' }, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw new DeliveryError(`slack file upload: no answer (${(error as Error).message})`);
  }
  if (!response.ok) throw new DeliveryError(`slack file upload: HTTP ${response.status}`, { permanent: response.status < 500 && response.status !== 408 && response.status !== 429 });
}

/** "slack files.getUploadURLExternal: missing_scope: …" → "missing_scope". */
function slackCode(error: DeliveryError): string {
  return /^slack [\w.]+: ([a-z_]+)/.exec(error.message)?.[1] ?? '';
}
