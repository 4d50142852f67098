import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { parse as parseForm } from 'node:querystring';
import type { Front } from '../http/front.js';
import { readBody } from '../http/front.js';
import type { HttpMetrics } from '../http/metrics.js';
import { afterClickAck, recordedClickKind, type RecordedClick } from './block-actions.js';
import type { RecordSigned } from './handler-kit.js';
import { respondPrivately, respondTo } from './replies.js';
import { MAX_SLACK_BODY_BYTES, SIGNATURE_WINDOW_SECONDS, signatureDigest } from './request-guards.js';
import { SLACK_TIMEOUT_MS } from './slack-port.js';
import { COMMAND_WORK, SLASH_COMMAND_ROOTS, commandAck, type RecordedCommand } from './slash-commands.js';
import { usersIn } from './user-names.js';
import type { CommandRoot } from '../../commands/dispatch.js';

const FORM = 'application/x-www-form-urlencoded';
const ROOTS = new Map<string, CommandRoot>(SLASH_COMMAND_ROOTS.map((root) => [`/${root}`, root]));

export interface HotRequestsOptions {
  readonly path: string;
  readonly signingSecret: string;
  readonly recordSigned: RecordSigned;
  /** The user-names middleware's `learn`: who a request is from, asked of Slack in the background. */
  learn(userIds: readonly string[]): void;
  readonly metrics: HttpMetrics | null;
  readonly now?: () => number;
}

/**
 * The two requests a burst is made of, `/dsr …` and `/gov …` and the clicks recorded in the inbox
 * (a vote, an acknowledgement, "told"), acknowledged on node:http without express and Bolt's
 * receiver and middleware, which were most of each ack's time. They do what Bolt's listeners do
 * (slash-commands.ts, block-actions.ts): record the work with the signature in one statement (the
 * replay check), then answer as Bolt's ack does.
 *
 * Only a request that passes every check the other path makes is taken here: the guards' header
 * checks (request-guards.ts), then Slack's v0 signature over the body exactly as Bolt computes it,
 * then a payload of exactly the shape those listeners read. Anything else, a refusal included, goes
 * on to express and Bolt as before (with the body already read, if it was), so every answer to a
 * wrong or hostile request stays theirs.
 */
export function slackHotRequests(options: HotRequestsOptions): Front {
  const now = options.now ?? Date.now;
  return (req, res, passOn) => {
    if (req.method !== 'POST' || req.url !== options.path) return false;
    const headers = req.headers;
    if (headers['content-type'] !== FORM || headers['transfer-encoding'] !== undefined || headers['x-slack-retry-num'] !== undefined) return false;
    const length = Number(headers['content-length']);
    if (!Number.isSafeInteger(length) || length <= 0 || length > MAX_SLACK_BODY_BYTES) return false;
    const timestamp = Number(headers['x-slack-request-timestamp']);
    if (!Number.isFinite(timestamp) || Math.abs(timestamp - now() / 1000) > SIGNATURE_WINDOW_SECONDS) return false;
    const digest = signatureDigest(headers['x-slack-signature']);
    if (digest === null) return false;
    const started = process.hrtime.bigint();
    void readBody(req, length).then(async (body) => {
      if (body === null) { res.destroy(); return; }
      Object.assign(req, { rawBody: body });
      const text = body.toString();
      // Bolt signs `v0:<Number(timestamp)>:<body>`; a mismatch is Bolt's to refuse (and log) as ever.
      if (!signedBy(options.signingSecret, `v0:${timestamp}:${text}`, digest)) return passOn();
      const hot = hotRequest(text);
      if (hot === null) return passOn();
      options.learn(usersIn(hot.body));
      const outcome = await options.recordSigned(hot.kind, { ...hot.recorded }, digest, (message) => respondPrivately(respondTo(hot.recorded.responseUrl, SLACK_TIMEOUT_MS), message));
      answer(res, hot.command ? commandAck(outcome) : undefined);
      options.metrics?.observe(options.path, 'POST', 200, Number(process.hrtime.bigint() - started) / 1e6);
      if (!hot.command) await afterClickAck(outcome, respondTo(hot.recorded.responseUrl, SLACK_TIMEOUT_MS));
    }).catch(() => {
      // Nothing above throws short of a bug; the connection is closed rather than left hanging.
      if (!res.headersSent) res.destroy();
    });
    return true;
  };
}

function signedBy(secret: string, base: string, digest: string): boolean {
  const expected = createHmac('sha256', secret).update(base).digest();
  return timingSafeEqual(expected, Buffer.from(digest, 'hex'));
}

/** As Bolt's HTTPResponseAck answers: 200, empty or JSON. */
function answer(res: ServerResponse, body: object | undefined): void {
  if (body === undefined) {
    res.writeHead(200);
    res.end();
  } else {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }
}

interface HotRequest {
  readonly kind: string;
  readonly command: boolean;
  readonly recorded: (RecordedCommand | RecordedClick) & { readonly responseUrl: string };
  readonly body: unknown;
}

/**
 * The command or recorded click a verified body is, read as Bolt reads it (a form, or its
 * `payload` field as JSON); null for anything else, and for anything Bolt would route elsewhere
 * (an `ssl_check`, an `event`, options) or whose fields are not the strings Slack sends.
 */
export function hotRequest(text: string): HotRequest | null {
  const form = parseForm(text);
  if (form.ssl_check !== undefined || form.event !== undefined) return null;
  if (form.payload === undefined) {
    const root = typeof form.command === 'string' ? ROOTS.get(form.command) : undefined;
    const { text: words, user_id: userId, channel_id: channelId, response_url: responseUrl, trigger_id: triggerId } = form;
    if (root === undefined || typeof words !== 'string' || typeof userId !== 'string' || typeof channelId !== 'string' || typeof responseUrl !== 'string' || typeof triggerId !== 'string') return null;
    const recorded: RecordedCommand = { root, text: words, userId, channelId, responseUrl, triggerId };
    return { kind: COMMAND_WORK, command: true, recorded, body: form };
  }
  if (typeof form.payload !== 'string') return null;
  let payload: unknown;
  try {
    payload = JSON.parse(form.payload);
  } catch {
    return null;
  }
  return recordedClick(payload);
}

function recordedClick(payload: unknown): HotRequest | null {
  if (!isRecord(payload) || payload.type !== 'block_actions' || payload.event !== undefined || payload.command !== undefined || payload.name !== undefined || payload.ssl_check !== undefined) return null;
  const { actions, user, channel, response_url: responseUrl } = payload;
  if (!Array.isArray(actions) || actions.length !== 1 || !isRecord(actions[0]) || typeof responseUrl !== 'string' || !isRecord(user) || typeof user.id !== 'string') return null;
  const action = actions[0];
  const kind = typeof action.action_id === 'string' ? recordedClickKind(action.action_id) : null;
  if (kind === null || (action.value !== undefined && typeof action.value !== 'string')) return null;
  let channelId: string | null = null;
  if (channel !== undefined) {
    if (!isRecord(channel) || typeof channel.id !== 'string') return null;
    channelId = channel.id;
  }
  const recorded: RecordedClick = { value: action.value ?? null, userId: user.id, channelId, responseUrl };
  return { kind, command: false, recorded, body: payload };
}

function isRecord(value: unknown): value is Record<string, unknown> & { id?: unknown } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
