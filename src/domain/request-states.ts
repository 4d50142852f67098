import { err, ok, type Result } from './result.js';

/**
 * The life of a data subject request. A pause (waiting for identity evidence, clarification or a
 * fee) is a flag beside the status, not a status: a request can be paused at any open stage and
 * resumes at the same stage, and the clock arithmetic only needs the pause dates.
 *
 * The happy path is received → identity-verified → action-approved → completed; the other
 * closed statuses are identity-rejected, refused and withdrawn. The table below is the whole story.
 */

export type RequestStatus =
  | 'received' | 'identity-verified' | 'action-approved' | 'completed'
  | 'identity-rejected' | 'refused' | 'withdrawn';

/** Which requests `/dsr list` shows. */
export type RequestFilter = 'open' | 'overdue' | 'due-soon' | 'closed' | 'all';

export type RequestEvent =
  | 'identity-approved' | 'identity-rejected' | 'action-approved' | 'action-executed'
  | 'refusal-approved' | 'withdrawn' | 'closed-completed' | 'forward-approved' | 'forwarded';

export const REQUEST_STATUSES: Readonly<Record<RequestStatus, string>> = {
  received: 'received, awaiting identity check',
  'identity-verified': 'identity verified, awaiting action approval',
  'action-approved': 'action approved, being carried out',
  completed: 'completed',
  'identity-rejected': 'closed: identity not verified',
  refused: 'closed: refused',
  withdrawn: 'closed: withdrawn',
};

/*
 * Decisions worth knowing:
 * - `closed-completed` (`/dsr close <ref> completed`) needs a verified identity: closing a
 *   `received` request as completed would skip the identity check. Withdraw it instead.
 * - Refusal (manifestly unfounded or excessive) is decided before an action is approved; once an
 *   action is queued, `execute-actions` may already be running it.
 * - Withdrawal is possible at every open stage; the executor re-checks the status under lock.
 */
const TRANSITIONS: Readonly<Record<RequestEvent, Partial<Record<RequestStatus, RequestStatus>>>> = {
  'identity-approved': { received: 'identity-verified' },
  'identity-rejected': { received: 'identity-rejected' },
  'action-approved': { 'identity-verified': 'action-approved' },
  'action-executed': { 'action-approved': 'completed' },
  'refusal-approved': { received: 'refused', 'identity-verified': 'refused' },
  withdrawn: { received: 'withdrawn', 'identity-verified': 'withdrawn', 'action-approved': 'withdrawn' },
  'closed-completed': { 'identity-verified': 'completed', 'action-approved': 'completed' },
  // Processor route: no identity check of ours; passing the request to its controller completes it.
  'forward-approved': { received: 'action-approved', 'identity-verified': 'action-approved' },
  forwarded: { received: 'completed', 'identity-verified': 'completed', 'action-approved': 'completed' },
};

const EVENTS = Object.keys(TRANSITIONS) as RequestEvent[];
const OPEN: ReadonlySet<RequestStatus> = new Set(['received', 'identity-verified', 'action-approved']);

/** Open requests are on the clock: listed, reminded about, protected from the retention sweep. */
export function isOpen(status: RequestStatus): boolean {
  return OPEN.has(status);
}

/** The events that can happen to a request in `status`. */
export function nextEvents(status: RequestStatus): RequestEvent[] {
  return EVENTS.filter((event) => TRANSITIONS[event][status] !== undefined);
}

/** The status in words; a processor-route request awaits forwarding, not an identity check. */
export function describeStatus(status: RequestStatus, processorRoute: boolean): string {
  if (processorRoute && status === 'received') return 'received, to forward to the controller';
  if (processorRoute && status === 'completed') return 'completed: passed to the controller';
  return REQUEST_STATUSES[status];
}

export function canTransition(from: RequestStatus, to: RequestStatus): boolean {
  return EVENTS.some((event) => TRANSITIONS[event][from] === to);
}

const EVENT_WORDS: Readonly<Record<RequestEvent, string>> = {
  'identity-approved': 'approve the identity',
  'identity-rejected': 'reject the identity',
  'action-approved': 'approve the action',
  'action-executed': 'carry out the action',
  'refusal-approved': 'refuse the request',
  withdrawn: 'withdraw the request',
  'closed-completed': 'close the request as completed',
  'forward-approved': 'approve forwarding to the controller',
  forwarded: 'record the forwarding to the controller',
};

export function transition(from: RequestStatus, event: RequestEvent): Result<RequestStatus> {
  const to = TRANSITIONS[event][from];
  if (to !== undefined) return ok(to);
  const cannot = `Cannot ${EVENT_WORDS[event]}: the request is ${REQUEST_STATUSES[from]}.`;
  if (!isOpen(from)) return err(`${cannot} A closed request does not change; log a new request if needed.`);
  const possible = nextEvents(from).map((e) => EVENT_WORDS[e]);
  return err(`${cannot} From here you can ${possible.join(', or ')}.`);
}
