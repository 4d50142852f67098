import type { RequestClock } from '../domain/request-clock.js';
import { type IsoDate } from '../domain/dates.js';
import { listRequests, type RequestFilter, type RequestRow } from '../register/requests.js';
import type { ServiceContext } from './context.js';
import { clockEnv, clocksFor } from './request-clock.js';

export const REQUEST_FILTERS: readonly RequestFilter[] = ['open', 'overdue', 'due-soon', 'closed', 'all'];

/** "Due soon" is the window of the first SLA reminder: due within the next seven days. */
export const DUE_SOON_DAYS = 7;
export const LIST_LIMIT = 50;
/** Open requests are few (tens, rarely hundreds): their clocks are computed, not filtered in SQL. */
const OPEN_SCAN_LIMIT = 5000;

export interface RequestList {
  readonly filter: RequestFilter;
  readonly today: IsoDate;
  readonly timezone: string;
  readonly requests: readonly RequestRow[];
  /** Each listed request's clock, by id (src/domain/request-clock.ts). */
  readonly clocks: ReadonlyMap<number, RequestClock>;
  /** More matched than are shown. */
  readonly truncated: boolean;
}

const OVERDUE = new Set(['overdue', 'forward-overdue']);

export async function listRequestsFor(ctx: ServiceContext, filter: RequestFilter): Promise<RequestList> {
  const env = clockEnv(ctx.config, ctx.clock());
  const base = { filter, today: env.today, timezone: ctx.config.timezone };
  if (filter === 'closed' || filter === 'all') {
    const rows = await listRequests(ctx.db, filter, LIST_LIMIT + 1);
    const requests = rows.slice(0, LIST_LIMIT);
    return { ...base, requests, clocks: await clocksFor(ctx.db, requests, env), truncated: rows.length > LIST_LIMIT };
  }
  const open = await listRequests(ctx.db, 'open', OPEN_SCAN_LIMIT);
  const clocks = await clocksFor(ctx.db, open, env);
  const clockOf = (r: RequestRow) => clocks.get(r.id)!;
  const matching = open.filter((r) => {
    const clock = clockOf(r);
    if (filter === 'overdue') return OVERDUE.has(clock.state);
    if (filter === 'due-soon') return clock.due !== null && !OVERDUE.has(clock.state) && clock.days <= DUE_SOON_DAYS;
    return true;
  });
  // Nearest deadline first (most overdue first); clocks not running (awaiting, stopped) last.
  matching.sort((a, b) => (clockOf(a).due ?? '9999-12-31').localeCompare(clockOf(b).due ?? '9999-12-31') || a.id - b.id);
  return { ...base, requests: matching.slice(0, LIST_LIMIT), clocks, truncated: matching.length > LIST_LIMIT };
}
