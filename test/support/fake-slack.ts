import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small fake of Slack's Web API on loopback, for tests: it records every call, answers the
 * methods govbot uses, and can be told to fail. `/response/<id>` stands in for the response_url
 * Slack puts in commands and clicks, so tests can read ephemeral replies.
 */
export interface SlackCall {
  readonly method: string;
  readonly body: Record<string, unknown>;
  readonly authorization: string | undefined;
}

export interface ResponsePost {
  readonly id: string;
  readonly body: Record<string, unknown>;
}

export type Failure =
  | { readonly kind: 'http'; readonly status: number }
  | { readonly kind: 'rate-limited'; readonly retryAfterSeconds: number }
  | { readonly kind: 'slack-error'; readonly error: string }
  | { readonly kind: 'hang' };

export interface FakeSlack {
  /** Base URL of the Web API, for SLACK_API_URL. */
  readonly apiUrl: string;
  readonly calls: readonly SlackCall[];
  readonly responses: readonly ResponsePost[];
  /** A response_url for a command or click; replies to it are kept under `id`. */
  responseUrl(id: string): string;
  callsTo(method: string): SlackCall[];
  /** The next `count` calls (to `method`, or to any method) fail as described. */
  failNext(count: number, failure: Failure, method?: string): void;
  /** Resolves with the first call (already made or yet to come) that matches. */
  waitForCall(method: string, match?: (call: SlackCall) => boolean): Promise<SlackCall>;
  waitForResponse(id: string): Promise<ResponsePost>;
  /** Files posted to the upload addresses files.getUploadURLExternal handed out. */
  readonly uploads: readonly Upload[];
  close(): Promise<void>;
}

export async function startFakeSlack(): Promise<FakeSlack> {
  const calls: SlackCall[] = [];
  const responses: ResponsePost[] = [];
  const uploads: Upload[] = [];
  let uploadBase = '';
  const failures: { failure: Failure; method?: string }[] = [];
  const waiters: (() => void)[] = [];
  let ts = 1_772_445_600; // 2026-03-02T10:00:00Z: message ids grow from here.
  let views = 0;

  const notify = () => { for (const wake of waiters.splice(0)) wake(); };
  const waitUntil = <T>(find: () => T | undefined): Promise<T> => new Promise((resolve) => {
    const check = () => {
      const found = find();
      if (found !== undefined) resolve(found);
      else waiters.push(check);
    };
    check();
  });

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://fake').pathname;
      if (receiveUpload(path, Buffer.concat(chunks), uploads, res)) return notify();
      const body = parseBody(Buffer.concat(chunks).toString('utf8'), req.headers['content-type']);
      const response = /^\/response\/(.+)$/.exec(path);
      if (response) {
        responses.push({ id: decodeURIComponent(response[1]!), body });
        notify();
        return json(res, 200, { ok: true });
      }
      const method = path.replace(/^\/api\//, '');
      calls.push({ method, body, authorization: req.headers.authorization });
      notify();
      const index = failures.findIndex((f) => f.method === undefined || f.method === method);
      if (index >= 0) return fail(res, failures.splice(index, 1)[0]!.failure);
      switch (method) {
        case 'chat.postMessage':
          ts += 1;
          return json(res, 200, { ok: true, channel: body.channel, ts: `${ts}.000100`, message: { text: body.text } });
        case 'chat.update':
          return json(res, 200, { ok: true, channel: body.channel, ts: body.ts, text: body.text });
        case 'chat.postEphemeral':
          return json(res, 200, { ok: true, message_ts: `${ts}.000200` });
        case 'views.open':
        case 'views.publish':
          views += 1;
          return json(res, 200, { ok: true, view: { id: `V${String(views).padStart(8, '0')}`, ...(body.view as object) } });
        case 'auth.test':
          return json(res, 200, { ok: true, url: 'https://fake.slack.com/', team: 'Fake Workspace', user: 'govbot', team_id: 'T0FAKE', user_id: 'UBOT', bot_id: 'BBOT' });
        case 'users.info':
          // As Slack answers for someone who never set a display name: the real name is the one to show.
          return json(res, 200, { ok: true, user: { id: body.user, name: String(body.user).toLowerCase(), real_name: `User ${String(body.user)}`, profile: { display_name: '', real_name: `User ${String(body.user)}` } } });
        default:
          if (fileMethod(method, body, uploadBase, uploads, res)) return;
          return json(res, 200, { ok: false, error: 'unknown_method' });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  uploadBase = `${base}/upload/`;

  return {
    apiUrl: `${base}/api/`,
    calls,
    responses,
    responseUrl: (id) => `${base}/response/${encodeURIComponent(id)}`,
    callsTo: (method) => calls.filter((c) => c.method === method),
    failNext: (count, failure, method) => {
      for (let i = 0; i < count; i += 1) failures.push(method === undefined ? { failure } : { failure, method });
    },
    waitForCall: (method, match = () => true) => waitUntil(() => calls.find((c) => c.method === method && match(c))),
    waitForResponse: (id) => waitUntil(() => responses.find((r) => r.id === id)),
    uploads,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      // Hanging requests would hold close() open for ever.
      server.closeAllConnections();
    }),
  };
}

function fail(res: http.ServerResponse, failure: Failure): void {
  switch (failure.kind) {
    case 'http': return json(res, failure.status, { ok: false, error: 'fake_http_failure' });
    case 'rate-limited': res.setHeader('Retry-After', String(failure.retryAfterSeconds)); return json(res, 429, { ok: false, error: 'ratelimited' });
    case 'slack-error': return json(res, 200, { ok: false, error: failure.error });
    case 'hang': return; // never answered: the client's timeout must give up
  }
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

/** The Web API client sends form fields with nested values (blocks, view) JSON-encoded; respond() sends JSON. */
function parseBody(text: string, contentType: string | undefined): Record<string, unknown> {
  if (text === '') return {};
  if (contentType?.startsWith('application/json')) return JSON.parse(text) as Record<string, unknown>;
  const body: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    body[key] = /^[[{]/.test(value) ? tryJson(value) : value;
  }
  return body;
}

function tryJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** A file as Slack's upload address received it, and whether completeUploadExternal shared it. */
export interface Upload {
  readonly fileId: string;
  readonly filename: string;
  readonly length: number;
  bytes: Buffer | null;
  shared: { channel: string; title: string; blocks: unknown } | null;
}

/** POST <upload_url>: the file's bytes, as files.getUploadURLExternal promised them. */
function receiveUpload(path: string, bytes: Buffer, uploads: Upload[], res: http.ServerResponse): boolean {
  const match = /^\/upload\/(F[A-Z0-9]+)$/.exec(path);
  if (!match) return false;
  const upload = uploads.find((u) => u.fileId === match[1]);
  if (!upload) { res.writeHead(404).end(); return true; }
  upload.bytes = bytes;
  res.writeHead(200, { 'Content-Type': 'text/plain' }).end(`OK - ${bytes.length}`);
  return true;
}

/** files upload v2: an upload address first, then completion shares the uploaded file to a channel. */
function fileMethod(method: string, body: Record<string, unknown>, base: string, uploads: Upload[], res: http.ServerResponse): boolean {
  if (method === 'files.getUploadURLExternal') {
    const fileId = `F${String(uploads.length + 1).padStart(9, '0')}`;
    uploads.push({ fileId, filename: String(body.filename), length: Number(body.length), bytes: null, shared: null });
    json(res, 200, { ok: true, upload_url: `${base}${fileId}`, file_id: fileId });
    return true;
  }
  if (method === 'files.completeUploadExternal') {
    const files = (typeof body.files === 'string' ? tryJson(body.files) : body.files) as { id: string; title?: string }[];
    const upload = uploads.find((u) => u.fileId === files[0]?.id);
    // Slack refuses to complete an upload whose bytes never arrived or do not match the promised length.
    if (!upload || upload.bytes === null || upload.bytes.length !== upload.length) { json(res, 200, { ok: false, error: 'file_not_found' }); return true; }
    upload.shared = { channel: String(body.channel_id), title: files[0]?.title ?? '', blocks: body.blocks };
    json(res, 200, { ok: true, files: [{ id: upload.fileId, title: files[0]?.title }] });
    return true;
  }
  return false;
}
