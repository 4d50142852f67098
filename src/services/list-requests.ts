import type { RequestListView } from '../chat/cards/request-views.js';
import { type IsoDate } from '../domain/dates.js';
import { countRequests, listRequests, openRequestsWithHistory, type ListedRequest, type RequestFilter } from '../register/requests.js';
import type { ServiceContext } from './context.js';
import { clockEnv, clocksFor, clocksFrom } from './request-clock.js';

export const REQUEST_FILTERS: readonly RequestFilter[] = ['open', 'overdue', 'due-soon', 'closed', 'all'];

/** "Due soon" is the window of the first SLA reminder: due within the next seven days. */
export const DUE_SOON_DAYS = 7;
/**
 * The most a list shows: a chat message of a thousand lines helps nobody, so the most urgent come
 * first, with how many more there are and how to narrow the list.
 */
export const LIST_LIMIT = 20;
/** Open requests are tens or hundreds: their clocks are computed (cheaply, see clocksFor), not filtered in SQL. */
const OPEN_SCAN_LIMIT = 5000;

export interface RequestList extends RequestListView {
  /** The first LIST_LIMIT of those that match, in the list's order. */
  readonly requests: readonly ListedRequest[];
}

const OVERDUE = new Set(['overdue', 'forward-overdue']);

export async function listRequestsFor(ctx: ServiceContext, filter: RequestFilter): Promise<RequestList> {
  const env = clockEnv(ctx.config, ctx.clock());
  const base = { filter, today: env.today, timezone: ctx.config.timezone };
  if (filter === 'closed' || filter === 'all') {
    const [requests, total] = await Promise.all([listRequests(ctx.db, filter, LIST_LIMIT), countRequests(ctx.db, filter)]);
    return { ...base, requests, clocks: await clocksFor(ctx.db, requests, env), total };
  }
  const open = await openRequestsWithHistory(ctx.db, OPEN_SCAN_LIMIT);
  const clocks = clocksFrom(open.requests, open.pauses, open.notices, env);
  const clockOf = (r: ListedRequest) => clocks.get(r.id)!;
  const matching = open.requests.filter((r) => {
    const clock = clockOf(r);
    if (filter === 'overdue') return OVERDUE.has(clock.state);
    if (filter === 'due-soon') return clock.due !== null && !OVERDUE.has(clock.state) && clock.days <= DUE_SOON_DAYS;
    return true;
  });
  // Nearest deadline first (most overdue first); clocks not running (awaiting, stopped) last.
  matching.sort((a, b) => (clockOf(a).due ?? '9999-12-31').localeCompare(clockOf(b).due ?? '9999-12-31') || a.id - b.id);
  const requests = matching.slice(0, LIST_LIMIT);
  return { ...base, requests, clocks: new Map(requests.map((r) => [r.id, clockOf(r)])), total: matching.length };
}
