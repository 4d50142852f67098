import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small fake of the Bot Connector service on loopback (the `serviceUrl` Teams puts in every
 * activity). It records every call, answers the ones govbot makes (replies, proactive posts,
 * updates, 1:1 chat creation, member look-ups) and can be told to fail: an HTTP status, a 429 with
 * Retry-After, or no answer at all.
 */
export interface ConnectorCall {
  readonly method: 'POST' | 'PUT' | 'GET';
  readonly path: string;
  /** Decoded, e.g. "19:committee@thread.tacv2". */
  readonly conversationId: string | null;
  /** The activity id in the path: the one replied to (POST) or replaced (PUT). */
  readonly activityId: string | null;
  readonly body: Record<string, unknown>;
  readonly authorization: string | undefined;
  /** The id the fake gave a posted activity. */
  readonly createdId: string | null;
}

export type ConnectorFailure =
  | { readonly kind: 'http'; readonly status: number; readonly code?: string }
  | { readonly kind: 'rate-limited'; readonly retryAfterSeconds: number }
  | { readonly kind: 'hang' };

export interface FakeMember { readonly id: string; readonly name: string; readonly aadObjectId: string }

export interface FakeBotConnector {
  /** With the trailing slash Teams uses. */
  readonly serviceUrl: string;
  readonly calls: readonly ConnectorCall[];
  /** Activities posted to a conversation (new messages and replies), in order. */
  posts(conversationId?: string): ConnectorCall[];
  updates(activityId?: string): ConnectorCall[];
  /** Members the roster look-up knows (GET …/members/{id}). */
  addMember(member: FakeMember): void;
  /** The next `count` calls matching `match` (default: any) fail as described. */
  failNext(count: number, failure: ConnectorFailure, match?: (call: ConnectorCall) => boolean): void;
  /** Resolves with the first call (already made or yet to come) that matches. */
  waitForCall(match: (call: ConnectorCall) => boolean): Promise<ConnectorCall>;
  close(): Promise<void>;
}

export async function startFakeBotConnector(): Promise<FakeBotConnector> {
  const calls: ConnectorCall[] = [];
  const members = new Map<string, FakeMember>();
  const failures: { failure: ConnectorFailure; match: (call: ConnectorCall) => boolean }[] = [];
  const waiters: (() => void)[] = [];
  let next = 0;
  const notify = () => { for (const wake of waiters.splice(0)) wake(); };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const body = text ? JSON.parse(text) as Record<string, unknown> : {};
      const path = new URL(req.url ?? '/', 'http://fake').pathname;
      const parts = /^\/v3\/conversations(?:\/([^/]+)(?:\/(activities|members)(?:\/([^/]+))?)?)?\/?$/.exec(path);
      const method = req.method as ConnectorCall['method'];
      const conversationId = parts?.[1] ? decodeURIComponent(parts[1]) : null;
      const activityId = parts?.[2] === 'activities' && parts[3] ? decodeURIComponent(parts[3]) : null;
      const creates = method === 'POST' && parts !== null && (parts[2] === 'activities' || parts[1] === undefined);
      const call: ConnectorCall = {
        method, path, conversationId, activityId, body, authorization: req.headers.authorization,
        createdId: creates ? (parts[1] === undefined ? `a:personal-${++next}` : `1772445600${String(++next).padStart(3, '0')}`) : null,
      };
      calls.push(call);
      notify();
      const index = failures.findIndex((f) => f.match(call));
      if (index >= 0) return fail(res, failures.splice(index, 1)[0]!.failure);
      if (!parts) return json(res, 404, { error: { code: 'NotFound', message: `no route ${method} ${path}` } });
      if (method === 'GET' && parts[2] === 'members') {
        const member = members.get(decodeURIComponent(parts[3] ?? ''));
        return member ? json(res, 200, { ...member, objectId: member.aadObjectId }) : json(res, 404, { error: { code: 'MemberNotFoundInConversation' } });
      }
      if (method === 'POST' && parts[1] === undefined) return json(res, 201, { id: call.createdId, activityId: '' });
      if (method === 'POST' && parts[2] === 'activities') return json(res, 201, { id: call.createdId });
      if (method === 'PUT' && activityId) return json(res, 200, { id: activityId });
      return json(res, 405, { error: { code: 'MethodNotAllowed' } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    serviceUrl: `http://127.0.0.1:${port}/`,
    calls,
    posts: (conversationId) => calls.filter((c) => c.method === 'POST' && c.path.includes('/activities') && (conversationId === undefined || c.conversationId === conversationId)),
    updates: (activityId) => calls.filter((c) => c.method === 'PUT' && (activityId === undefined || c.activityId === activityId)),
    addMember: (member) => { members.set(member.id, member); },
    failNext: (count, failure, match = () => true) => {
      for (let i = 0; i < count; i += 1) failures.push({ failure, match });
    },
    waitForCall: (match) => new Promise((resolve) => {
      const check = () => {
        const found = calls.find(match);
        if (found) resolve(found);
        else waiters.push(check);
      };
      check();
    }),
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

function fail(res: http.ServerResponse, failure: ConnectorFailure): void {
  switch (failure.kind) {
    case 'http': return json(res, failure.status, { error: { code: failure.code ?? 'FakeFailure', message: 'fake failure' } });
    case 'rate-limited': res.setHeader('Retry-After', String(failure.retryAfterSeconds)); return json(res, 429, { error: { code: 'TooManyRequests' } });
    case 'hang': return; // never answered: the client's deadline must give up
  }
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

/** Everything a posted or updated activity shows: its text and its cards, as one string. */
export function activityText(call: Pick<ConnectorCall, 'body'>): string {
  return `${String(call.body.text ?? '')}\n${JSON.stringify(call.body.attachments ?? [])}`;
}
