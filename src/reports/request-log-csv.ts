import { inQuarter, type Quarter } from './quarter.js';
import { answerBy, isAnswered, isOnTime, openAt } from './request-figures.js';
import type { ReportRequest } from './rows.js';

/**
 * The quarter's request log: every request the quarter's figures touch (received in it, closed in
 * it, or still open at its end), one line each, references and dates only. Cells that a
 * spreadsheet would run as a formula (starting = + - @, tab or carriage return) are quoted and
 * prefixed with an apostrophe, so opening the file can never execute anything.
 */
export const REQUEST_LOG_HEADER = ['reference', 'type', 'channel', 'received', 'relevant_day', 'due', 'extended', 'stopped_days', 'closed', 'outcome', 'on_time'] as const;

export function requestLogRows(requests: readonly ReportRequest[], quarter: Quarter): string[][] {
  return requests
    .filter((r) => inQuarter(r.received, quarter) || inQuarter(r.closedOn, quarter) || openAt(r, quarter.end))
    .sort((a, b) => a.reference.localeCompare(b.reference))
    .map((r) => [
      r.reference, r.type, r.processorRoute ? `${r.channel} (processor route)` : r.channel, r.received, r.relevantDay, r.due,
      r.extendedDue ?? '', String(r.stoppedDays), r.closedOn ?? '', r.outcome ?? 'open',
      isAnswered(r) ? (isOnTime(r) ? 'yes' : `no (${answerBy(r)})`) : '',
    ]);
}

export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n']/.test(safe) || safe !== value ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function requestLogCsv(requests: readonly ReportRequest[], quarter: Quarter): string {
  return [[...REQUEST_LOG_HEADER], ...requestLogRows(requests, quarter)].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
