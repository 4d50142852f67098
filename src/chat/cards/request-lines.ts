import { daysBetween, type IsoDate } from '../../domain/dates.js';
import { maskEmail, maskName } from '../../domain/masking.js';
import { mention } from '../mention.js';
import type { RequestLine } from './request-views.js';

/** Small phrases shared by `/dsr list` and `/dsr show`, so both say the same thing the same way. */

/** "12 days left", "due today", "3 days overdue". */
export function daysLeft(today: IsoDate, due: IsoDate): string {
  const days = daysBetween(today, due);
  if (days === 0) return 'due today';
  const n = Math.abs(days);
  return `${n} day${n === 1 ? '' : 's'} ${days > 0 ? 'left' : 'overdue'}`;
}

/** Masked, as on cards: the email's first letter and domain; the name's initials only on request. */
export function maskedSubject(request: Pick<RequestLine, 'subject_email' | 'subject_name' | 'details'>, withName = false): string {
  if (request.subject_email === null) return String(request.details.maskedSubject ?? 'erased');
  const name = withName && request.subject_name ? `${maskName(request.subject_name)} ` : '';
  return `${name}${maskEmail(request.subject_email)}`;
}

/** "2026-03-02 09:30" in the committee's time zone. */
export function formatInstant(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}`;
}

/** People by mention (each adapter renders it); govbot, jobs and configuration by name. */
export function who(actor: string): string {
  return /^(slack|teams):/.test(actor) ? mention(actor) : actor;
}
