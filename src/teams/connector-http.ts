import type { TeamsAdapter } from '@microsoft/teams-ai';

/**
 * The transport under every Bot Connector call (replies, proactive cards, updates), given to the
 * SDK as its `httpClient`. The SDK's own pipeline retries 5xx and network errors three times with
 * back-off and sits out a 429's Retry-After before trying again, all inside one call and with no
 * time limit: a slow connector would hold an outbox row lock for minutes. Here every call gets a
 * deadline, and every answer other than 2xx becomes a ConnectorCallError, which the SDK's retry
 * policy passes straight up (it only retries its own RestError). The outbox owns retries.
 */
type ConnectorOptions = NonNullable<ConstructorParameters<typeof TeamsAdapter>[3]>;
export type ConnectorHttpClient = NonNullable<ConnectorOptions['httpClient']>;
type CompatRequest = Parameters<ConnectorHttpClient['sendRequest']>[0];
type CompatResponse = Awaited<ReturnType<ConnectorHttpClient['sendRequest']>>;

export const CONNECTOR_TIMEOUT_MS = 10_000;

export class ConnectorCallError extends Error {
  constructor(message: string, readonly details: { readonly status?: number; readonly retryAfterMs?: number; readonly timedOut?: boolean; readonly errorCode?: string } = {}) {
    super(message);
    this.name = 'ConnectorCallError';
  }
}

export function connectorHttpClient(timeoutMs: number = CONNECTOR_TIMEOUT_MS): ConnectorHttpClient {
  return {
    async sendRequest(request: CompatRequest): Promise<CompatResponse> {
      const deadline = AbortSignal.timeout(timeoutMs);
      const signal = request.abortSignal ? AbortSignal.any([deadline, fromLike(request.abortSignal)]) : deadline;
      const target = `${request.method} ${new URL(request.url).pathname}`;
      let response: Response;
      try {
        response = await fetch(request.url, { method: request.method, headers: request.headers.toJson(), body: bodyOf(request), signal });
      } catch (error) {
        if (deadline.aborted) throw new ConnectorCallError(`${target}: no answer within ${timeoutMs / 1000} s`, { timedOut: true });
        const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
        throw new ConnectorCallError(`${target}: could not reach the Bot Connector (${String(cause?.code ?? cause?.message ?? (error as Error).message)})`);
      }
      const bodyAsText = await response.text();
      if (!response.ok) {
        const errorCode = connectorErrorCode(bodyAsText);
        const retryAfterMs = response.status === 429 || response.status === 503 ? retryAfter(response.headers) : undefined;
        throw new ConnectorCallError(`${target}: HTTP ${response.status}${errorCode ? ` ${errorCode}` : ''}`, {
          status: response.status, ...(retryAfterMs === undefined ? {} : { retryAfterMs }), ...(errorCode ? { errorCode } : {}),
        });
      }
      // The compat response wants the SDK's own header type; a cleared copy of the request's is one.
      const headers = request.headers.clone();
      for (const name of headers.headerNames()) headers.remove(name);
      response.headers.forEach((value, name) => headers.set(name, value));
      return { request, status: response.status, headers, bodyAsText };
    },
  };
}

function bodyOf(request: CompatRequest): string | undefined {
  const body: unknown = request.body;
  if (body === undefined || body === null) return undefined;
  return typeof body === 'string' ? body : JSON.stringify(body);
}

function fromLike(like: NonNullable<CompatRequest['abortSignal']>): AbortSignal {
  const controller = new AbortController();
  if (like.aborted) controller.abort();
  else like.addEventListener('abort', () => controller.abort());
  return controller.signal;
}

/** Retry-After in seconds or as a date, or the millisecond variants Microsoft services send. */
export function retryAfter(headers: Headers, now: number = Date.now()): number | undefined {
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const ms = Number(headers.get(name));
    if (headers.has(name) && Number.isFinite(ms) && ms >= 0) return ms;
  }
  const value = headers.get('retry-after');
  if (value === null) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

/** The connector's `{ error: { code } }`: a short name such as ConversationNotFound, never message text. */
function connectorErrorCode(body: string): string | undefined {
  try {
    const code = (JSON.parse(body) as { error?: { code?: unknown } }).error?.code;
    return typeof code === 'string' && /^[\w.-]{1,60}$/.test(code) ? code : undefined;
  } catch {
    return undefined;
  }
}
