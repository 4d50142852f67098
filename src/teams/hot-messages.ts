import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Activity } from 'botbuilder';
import { validateAndFixActivity } from 'botbuilder/lib/activityValidator.js';
import type { Front } from '../http/front.js';
import { readBody } from '../http/front.js';
import type { HttpMetrics } from '../http/metrics.js';
import type { Recorded } from '../inbox/recorder.js';

export interface HotMessagesOptions {
  readonly path: string;
  readonly maxBytes: number;
  /** The checks the route makes before it reads a body (a Bearer token; in local mode, a caller on this machine). */
  headersPass(req: IncomingMessage): boolean;
  /** The checks it makes on the parsed body (the tenant; in local mode, a loopback serviceUrl). */
  bodyPasses(body: unknown): boolean;
  /** The Bot Framework's check of the activity and its token, as the SDK makes it for every turn; its callerId for the turn. */
  authenticate(activity: Activity, authorization: string): Promise<{ callerId?: string | undefined }>;
  /** What the typed-message route does with it: names kept, then recorded in the inbox. */
  take(activity: Activity): Promise<Recorded>;
  /** What the card-action route does with an `adaptiveCard/action` invoke: names kept, then the invoke response's body. */
  answerCardAction(activity: Activity): Promise<unknown>;
  /** A body that is not JSON: the route's own answer. */
  badBody(res: ServerResponse): void;
  readonly metrics: HttpMetrics | null;
  /** Turns in hand, for a clean stop. */
  readonly inFlight: Set<Promise<void>>;
}

/**
 * A message typed to the bot, recorded in the inbox and answered 200 on node:http, without express's
 * router and JSON parser, and without the SDK's turn (a connector client, a token client, a turn
 * context, turn state and every route's selector) that it would build only to record it. The
 * activity is checked exactly as on the other path: the same guards, the Bot Framework's own
 * authentication of it, the same fixes to it (timestamps, callerId) and the same route
 * (commands.ts). Anything that is not plainly a typed message, or that fails a check or cannot be
 * recorded, goes on to express and the SDK with its body parsed, which answer it as before.
 *
 * A press of a card's button (an `adaptiveCard/action` invoke: a vote, a refresh) is taken the same
 * way: after the same checks, the card-action route (card-actions.ts) answers it, and its invoke
 * response is written as the SDK writes one (200, the body as JSON). Its handler answers every
 * fault itself, so nothing it takes goes on to the SDK.
 */
export function teamsHotMessages(options: HotMessagesOptions): Front {
  return (req, res, passOn) => {
    if (req.method !== 'POST' || req.url !== options.path) return false;
    const headers = req.headers;
    if (!isJson(headers['content-type']) || headers['content-encoding'] !== undefined || headers['transfer-encoding'] !== undefined) return false;
    const length = Number(headers['content-length']);
    if (!Number.isSafeInteger(length) || length <= 0 || length > options.maxBytes || !options.headersPass(req)) return false;
    const started = process.hrtime.bigint();
    const run = readBody(req, length).then(async (raw) => {
      if (raw === null) { res.destroy(); return; }
      const body = parseJson(raw);
      if (body === PARSE_FAILED) { options.badBody(res); return; }
      // From here express's JSON parser finds the request read and keeps this body.
      Object.assign(req, { body });
      const invoke = isCardInvoke(body);
      if (!(invoke || isTypedMessage(body)) || !options.bodyPasses(body)) return passOn();
      const authorization = typeof headers.authorization === 'string' ? headers.authorization : '';
      let callerId: string | undefined;
      try {
        callerId = (await options.authenticate(body, authorization)).callerId;
      } catch {
        return passOn(); // refused: the SDK refuses it again, with its own answer
      }
      const activity = validateAndFixActivity(body);
      activity.callerId = callerId as string;
      if (invoke) {
        const answer = Buffer.from(JSON.stringify(await options.answerCardAction(activity)), 'utf8');
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': answer.length });
        res.end(answer);
        options.metrics?.observe(options.path, 'POST', 200, Number(process.hrtime.bigint() - started) / 1e6);
        return;
      }
      if (await options.take(activity) === 'failed') return passOn(); // nothing recorded: the SDK's path tries, and says so
      res.writeHead(200);
      res.end();
      options.metrics?.observe(options.path, 'POST', 200, Number(process.hrtime.bigint() - started) / 1e6);
    }).catch(() => {
      if (!res.headersSent) res.destroy();
    });
    options.inFlight.add(run);
    void run.finally(() => options.inFlight.delete(run));
    return true;
  };
}

/** What express.json takes: application/json, in UTF-8. */
function isJson(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const [type, ...parameters] = contentType.toLowerCase().split(';').map((part) => part.trim());
  return type === 'application/json' && parameters.every((p) => p === 'charset=utf-8' || p === 'charset=utf8');
}

const PARSE_FAILED = Symbol('not JSON');

/** As express.json reads a body: UTF-8 without its byte-order mark, an object or array at the top (strict). */
function parseJson(raw: Buffer): unknown {
  let text = raw.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const first = /^[\x20\x09\x0a\x0d]*([^\x20\x09\x0a\x0d])/.exec(text)?.[1];
  if (first !== '{' && first !== '[') return PARSE_FAILED;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return PARSE_FAILED;
  }
}

/**
 * A typed message the message route takes and the SDK's turn would reach it with: the ids its turn
 * state is keyed on, a serviceUrl to answer on, and no delivery mode that wants replies in the answer.
 */
function isTypedMessage(body: unknown): body is Activity {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const a = body as Partial<Record<keyof Activity, unknown>> & { recipient?: { id?: unknown }; conversation?: { id?: unknown }; from?: { id?: unknown } };
  return a.type === 'message' && typeof a.text === 'string' && a.text.trim() !== '' && a.deliveryMode !== 'expectReplies'
    && isId(a.channelId) && isId(a.serviceUrl) && isId(a.recipient?.id) && isId(a.conversation?.id) && isId(a.from?.id);
}

/** A button pressed on an Adaptive Card (Universal Actions), with the ids its turn would need. */
function isCardInvoke(body: unknown): body is Activity {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const a = body as Partial<Record<keyof Activity, unknown>> & { recipient?: { id?: unknown }; conversation?: { id?: unknown }; from?: { id?: unknown } };
  return a.type === 'invoke' && a.name === 'adaptiveCard/action' && a.deliveryMode !== 'expectReplies'
    && isId(a.channelId) && isId(a.serviceUrl) && isId(a.recipient?.id) && isId(a.conversation?.id) && isId(a.from?.id);
}

function isId(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}
