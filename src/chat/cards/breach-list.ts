import { breachClock, formatInstant } from '../../domain/breach.js';
import { controllersOwed, needsLateReason, outstandingParties, regulatorClockRunning } from '../../domain/breach-notices.js';
import { userText } from '../mention.js';
import { breachNotices, breachStatus, formatDuration, roleLine } from './breach-card.js';
import type { BreachFacts as BreachRow, BreachListView as BreachList } from './breach-views.js';

const SUMMARY_SHOWN = 80;

/** `/gov breach list`: open breaches, nearest deadline first, then those closed recently. */
export function renderBreachList(list: BreachList): string {
  if (list.breaches.length === 0) {
    return `No open breaches, and none closed in the last ${list.recentDays} days. Report a suspected one with /gov breach report <summary>.`;
  }
  const open = list.breaches.filter((b) => b.status === 'open');
  const closed = list.breaches.filter((b) => b.status === 'closed');
  const lines: string[] = [];
  lines.push(open.length > 0 ? 'Open breaches, nearest deadline first:' : 'No open breaches.');
  lines.push(...open.map((b) => line(list, b)));
  if (closed.length > 0) lines.push(`Closed in the last ${list.recentDays} days:`, ...closed.map((b) => line(list, b)));
  return lines.join('\n');
}

function line(list: BreachList, breach: BreachRow): string {
  const state = breachNotices(breach);
  const parts = [breach.reference, breachStatus(breach, state, list.timezone), roleLine(breach), `aware ${formatInstant(breach.aware_at, list.timezone)}`];
  if (breach.status === 'open' && controllersOwed(state)) {
    parts.push(`controllers to be told without undue delay (aware ${formatDuration(list.now.getTime() - breach.aware_at.getTime())} ago)`);
  }
  if (breach.status === 'open' && regulatorClockRunning(state)) {
    const clock = breachClock(breach.aware_at, list.now);
    const left = clock.overdue
      ? `OVERDUE by ${formatDuration(-clock.hoursLeft * 3_600_000)}`
      : `${formatDuration(clock.hoursLeft * 3_600_000)} left`;
    parts.push(`report to the regulator by ${formatInstant(clock.deadline, list.timezone)} (${left})`);
  } else if (needsLateReason(state)) {
    parts.push('reasons for the late report needed');
  } else if (breach.status === 'open' && outstandingParties(state).length === 0) {
    parts.push('nothing left to tell');
  }
  const summary = userText(breach.summary);
  parts.push(summary.length > SUMMARY_SHOWN ? `${summary.slice(0, SUMMARY_SHOWN - 1)}…` : summary);
  return `• ${parts.join(' · ')}`;
}
