/**
 * A Bot Connector on this machine: the `serviceUrl` a Teams activity names, answering the calls
 * govbot makes to it (replies, proactive posts, card updates, 1:1 chat creation, member look-ups)
 * and keeping every call, in order, for whoever shows them. The playground serves it beside the
 * page; the test suite's fake connector wraps the same core in its own HTTP server. No I/O here:
 * a call in, an answer out.
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
  /** The id the connector gave a posted activity. */
  readonly createdId: string | null;
  /** When the call arrived (performance.now() of this process): benchmarks time replies by it. */
  readonly at: number;
}

export type ConnectorFailure =
  | { readonly kind: 'http'; readonly status: number; readonly code?: string }
  | { readonly kind: 'rate-limited'; readonly retryAfterSeconds: number }
  | { readonly kind: 'hang' };

export interface ConnectorMember { readonly id: string; readonly name: string; readonly aadObjectId: string }

/** What to send back; null: never answer (a hang, for tests of deadlines). */
export type ConnectorAnswer = { readonly status: number; readonly headers?: Record<string, string>; readonly body: unknown } | null;

export interface LoopbackConnector {
  readonly calls: readonly ConnectorCall[];
  /** Handles one request to the connector API (`path` starts at /v3). */
  handle(request: { method: string; path: string; body: Record<string, unknown>; authorization?: string }): ConnectorAnswer;
  /** Activities posted to a conversation (new messages and replies), in order. */
  posts(conversationId?: string): ConnectorCall[];
  updates(activityId?: string): ConnectorCall[];
  /** Members the roster look-up knows (GET …/members/{id}). */
  addMember(member: ConnectorMember): void;
  /** The next `count` calls matching `match` (default: any) fail as described. */
  failNext(count: number, failure: ConnectorFailure, match?: (call: ConnectorCall) => boolean): void;
  /** Resolves with the first call (already made or yet to come) that matches. */
  waitForCall(match: (call: ConnectorCall) => boolean): Promise<ConnectorCall>;
}

const ROUTE = /^\/v3\/conversations(?:\/([^/]+)(?:\/(activities|members)(?:\/([^/]+))?)?)?\/?$/;

export function createLoopbackConnector(): LoopbackConnector {
  const calls: ConnectorCall[] = [];
  const members = new Map<string, ConnectorMember>();
  const failures: { failure: ConnectorFailure; match: (call: ConnectorCall) => boolean }[] = [];
  const waiters: (() => void)[] = [];
  let next = 0;
  const notify = () => { for (const wake of waiters.splice(0)) wake(); };

  return {
    calls,
    handle({ method: verb, path, body, authorization }) {
      const parts = ROUTE.exec(path);
      const method = verb.toUpperCase() as ConnectorCall['method'];
      const conversationId = parts?.[1] ? decodeURIComponent(parts[1]) : null;
      const activityId = parts?.[2] === 'activities' && parts[3] ? decodeURIComponent(parts[3]) : null;
      const creates = method === 'POST' && parts !== null && (parts[2] === 'activities' || parts[1] === undefined);
      const call: ConnectorCall = {
        method, path, conversationId, activityId, body, authorization, at: performance.now(),
        createdId: creates ? (parts[1] === undefined ? personalChatId(body, ++next) : `1772445600${String(++next).padStart(3, '0')}`) : null,
      };
      calls.push(call);
      notify();
      const index = failures.findIndex((f) => f.match(call));
      if (index >= 0) return failed(failures.splice(index, 1)[0]!.failure);
      if (!parts) return { status: 404, body: { error: { code: 'NotFound', message: `no route ${method} ${path}` } } };
      if (method === 'GET' && parts[2] === 'members') {
        const member = members.get(decodeURIComponent(parts[3] ?? ''));
        return member ? { status: 200, body: { ...member, objectId: member.aadObjectId } } : { status: 404, body: { error: { code: 'MemberNotFoundInConversation' } } };
      }
      if (method === 'POST' && parts[1] === undefined) return { status: 201, body: { id: call.createdId, activityId: '' } };
      if (method === 'POST' && parts[2] === 'activities') return { status: 201, body: { id: call.createdId } };
      if (method === 'PUT' && activityId) return { status: 200, body: { id: activityId } };
      return { status: 405, body: { error: { code: 'MethodNotAllowed' } } };
    },
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
  };
}

/** Teams keeps one 1:1 chat per person: the same id every time govbot opens it. */
function personalChatId(body: Record<string, unknown>, n: number): string {
  const member = (body.members as { id?: unknown }[] | undefined)?.[0];
  return typeof member?.id === 'string' ? `a:personal-${member.id}` : `a:personal-${n}`;
}

function failed(failure: ConnectorFailure): ConnectorAnswer {
  switch (failure.kind) {
    case 'http': return { status: failure.status, body: { error: { code: failure.code ?? 'FakeFailure', message: 'fake failure' } } };
    case 'rate-limited': return { status: 429, headers: { 'Retry-After': String(failure.retryAfterSeconds) }, body: { error: { code: 'TooManyRequests' } } };
    case 'hang': return null;
  }
}

/** Everything a posted or updated activity shows: its text and its cards, as one string. */
export function activityText(call: Pick<ConnectorCall, 'body'>): string {
  return `${String(call.body.text ?? '')}\n${JSON.stringify(call.body.attachments ?? [])}`;
}
