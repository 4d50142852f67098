import type { Knex } from 'knex';
import type { Config } from '../config.js';
import { dateInTimeZone, type IsoDate } from '../domain/dates.js';
import type { Region } from '../domain/holidays.js';
import { requestClock, type ClockInput, type RequestClock } from '../domain/request-clock.js';
import type { Db } from '../register/database.js';
import { pausesForRequests, type PauseRow } from '../register/pauses.js';
import { clockHistoryRows } from '../register/request-view-rows.js';
import { noticesForRequests, type NoticeRow } from '../register/request-notices.js';
import { updateRequest, type ClockedRequest, type RequestRow } from '../register/requests.js';

/**
 * The bridge from the register to the pure clock (src/domain/request-clock.ts): the request row, its
 * waits (`request_pauses`) and its extension notice become the clock's input. The request's
 * `due_on`, `relevant_on` and `paused_days` are a copy of the clock kept for ordering and SQL
 * filters; `syncClock` rewrites them after every change to the history.
 */
export interface ClockEnv {
  readonly region: Region;
  readonly forwardWithinDays: number;
  readonly timezone: string;
  /** The committee's calendar day. */
  readonly today: IsoDate;
}

export function clockEnv(config: Pick<Config, 'bankHolidayRegion' | 'forwardWithinDays' | 'timezone'>, now: Date): ClockEnv {
  return { region: config.bankHolidayRegion, forwardWithinDays: config.forwardWithinDays, timezone: config.timezone, today: dateInTimeZone(now, config.timezone) };
}

export function clockOf(request: ClockedRequest, pauses: readonly PauseRow[], notices: readonly Pick<NoticeRow, 'kind' | 'told_on'>[], env: ClockEnv): RequestClock {
  return requestClock(clockInputOf(request, pauses, notices, env));
}

function clockInputOf(request: ClockedRequest, pauses: readonly PauseRow[], notices: readonly Pick<NoticeRow, 'kind' | 'told_on'>[], env: ClockEnv): ClockInput {
  const extensionNotice = notices.find((n) => n.kind === 'extension');
  return {
    receivedOn: request.received_on,
    type: request.type,
    region: env.region,
    waits: [...pauses].sort((a, b) => a.id - b.id).map((p) => ({ kind: p.kind, from: p.paused_on, to: p.resumed_on })),
    extension: request.extended ? { toldOn: extensionNotice?.told_on ?? null } : null,
    processor: request.controller !== null
      ? { forwardWithinDays: Number(request.details.forwardWithinDays ?? env.forwardWithinDays), forwardedOn: request.forwarded_on }
      : null,
    closedOn: request.closed_at === null ? null : dateInTimeZone(request.closed_at, env.timezone),
    today: env.today,
  };
}

export async function loadClock(db: Db | Knex.Transaction, request: RequestRow, env: ClockEnv): Promise<RequestClock> {
  const history = await clockHistoryRows(db, request.id);
  return clockOf(request, history.pauses, history.notices, env);
}

/** A request's waits and notices: what its clock is computed from. */
export interface ClockHistory {
  readonly pauses: readonly PauseRow[];
  readonly notices: readonly Pick<NoticeRow, 'kind' | 'told_on'>[];
}

/** The request's columns that keep a copy of its clock. */
export function clockColumns(clock: RequestClock): Pick<RequestRow, 'due_on' | 'relevant_on' | 'paused_days'> {
  return { due_on: clock.due, relevant_on: clock.relevantDay, paused_days: clock.stoppedDays };
}

/** Recomputes the clock from the history and stores its copy on the request; returns both. */
export async function syncClock(trx: Knex.Transaction, request: RequestRow, env: ClockEnv): Promise<{ request: RequestRow; clock: RequestClock; changed: boolean }> {
  const clock = await loadClock(trx, request, env);
  const patch = clockColumns(clock);
  const changed = patch.due_on !== request.due_on || patch.relevant_on !== request.relevant_on || patch.paused_days !== request.paused_days;
  return { request: changed ? await updateRequest(trx, request.id, patch) : request, clock, changed };
}

/**
 * Clocks for many requests at once, by request id: two queries, whatever the number. Requests
 * with the same history (received the same day, nothing asked of the individual) have the same
 * clock, so each distinct history is computed once: a list of a thousand open requests computes
 * a few hundred. The clocks returned may be shared between requests: read them, never change them.
 */
export async function clocksFor(db: Db, requests: readonly RequestRow[], env: ClockEnv): Promise<Map<number, RequestClock>> {
  const ids = requests.map((r) => r.id);
  const [pauses, notices] = await Promise.all([pausesForRequests(db, ids), noticesForRequests(db, ids)]);
  return clocksFrom(requests, pauses, notices, env);
}

/** clocksFor's work on rows already read. */
export function clocksFrom(requests: readonly (ClockedRequest & Pick<RequestRow, 'id'>)[], pauses: readonly PauseRow[], notices: readonly NoticeRow[], env: ClockEnv): Map<number, RequestClock> {
  const pausesOf = groupByRequest(pauses);
  const noticesOf = groupByRequest(notices);
  const computed = new Map<string, RequestClock>();
  return new Map(requests.map((r) => {
    const input = clockInputOf(r, pausesOf.get(r.id) ?? [], noticesOf.get(r.id) ?? [], env);
    const key = historyKey(input);
    let clock = computed.get(key);
    if (!clock) {
      clock = requestClock(input);
      computed.set(key, clock);
    }
    return [r.id, clock];
  }));
}

/**
 * What makes one clock differ from another among requests seen with the same region and today
 * (one call of clocksFrom): a cheap string, since building it is done for every request listed.
 */
function historyKey(input: ClockInput): string {
  const extension = input.extension === null ? '-' : input.extension.toldOn ?? 'untold';
  const processor = input.processor === null ? '-' : `${input.processor.forwardWithinDays}/${input.processor.forwardedOn ?? ''}`;
  let key = `${input.receivedOn}|${input.type}|${input.closedOn ?? ''}|${extension}|${processor}`;
  for (const wait of input.waits) key += `|${wait.kind}:${wait.from}:${wait.to ?? ''}`;
  return key;
}

function groupByRequest<T extends { request_id: number }>(rows: readonly T[]): Map<number, T[]> {
  const byRequest = new Map<number, T[]>();
  for (const row of rows) {
    const id = Number(row.request_id);
    const list = byRequest.get(id);
    if (list) list.push(row);
    else byRequest.set(id, [row]);
  }
  return byRequest;
}
