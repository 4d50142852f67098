import { addDays, daysBetween, formatDateWithWeekday, type IsoDate } from './dates.js';
import { err, ok, type Result } from './result.js';

/**
 * Complaints about the handling of personal data (DPA 2018 s.164A, inserted by the Data (Use and
 * Access) Act 2025 s.103, in force 19 June 2026): acknowledge within 30 days of receipt, take
 * appropriate steps without undue delay, tell the complainant the outcome.
 */

/** s.164A(3)(a): "within the period of 30 days beginning with the day on which the complaint is received". */
export const ACK_DAYS = 30;

export const COMPLAINT_CHANNELS = ['web', 'email', 'phone', 'post', 'chat'] as const;
export type ComplaintChannel = (typeof COMPLAINT_CHANNELS)[number];

/**
 * The acknowledgement date. DESIGN §2 counts the 30 days from the day after receipt (received
 * 1 June, acknowledge by 1 July), the usual reading of a period of days after an event; it is the
 * later of the two readings, and the committee is told to aim for well before it.
 */
export function acknowledgementDue(receivedOn: IsoDate): IsoDate {
  return addDays(receivedOn, ACK_DAYS);
}

/** The committee's own target for the outcome (COMPLAINT_RESPONSE_DAYS), counted the same way. */
export function outcomeDue(receivedOn: IsoDate, responseDays: number): IsoDate {
  return addDays(receivedOn, responseDays);
}

export function parseComplaintChannel(word: string): Result<ComplaintChannel> {
  const lowered = word.trim().toLowerCase();
  const found = COMPLAINT_CHANNELS.find((c) => c === lowered);
  return found ? ok(found) : err(`"${word.slice(0, 40)}" is not a way a complaint arrives: use ${COMPLAINT_CHANNELS.join(', ')}`);
}

export type ComplaintStatus = 'open' | 'acknowledged' | 'closed';

export interface ComplaintClock {
  readonly reference: string;
  readonly status: ComplaintStatus;
  readonly ackDueOn: IsoDate;
  readonly outcomeDueOn: IsoDate;
}

export interface ComplaintReminder {
  /** Unique for the complaint and occasion: the milestone of `reminders_sent`. */
  readonly milestone: string;
  readonly text: string;
}

const COUNTDOWN = [7, 3, 1] as const;
const REPEAT_DAYS = 7;

/**
 * What complaint-reminders owes today: for the acknowledgement while it is not recorded, then for
 * the outcome; 7, 3 and 1 days before, on the day, and once overdue (then weekly) naming the chairs.
 * A reminder belongs to a window (7 covers 7–4 days left), so a missed run delays it, never loses it.
 */
export function complaintRemindersDue(complaint: ComplaintClock, today: IsoDate, chairs: readonly string[]): ComplaintReminder[] {
  if (complaint.status === 'closed') return [];
  const ref = complaint.reference;
  if (complaint.status === 'open') {
    return countdown('ack', complaint.ackDueOn, today, chairs, {
      what: `Complaint ${ref} must be acknowledged`,
      late: `Complaint ${ref} has not been acknowledged: it was due`,
      how: `record it with /gov complaint ack ${ref} (or the card's Acknowledge complaint button)`,
      statutory: true,
    });
  }
  return countdown('outcome', complaint.outcomeDueOn, today, chairs, {
    what: `The outcome of complaint ${ref} is due`,
    late: `The complainant of ${ref} has not been told the outcome: it was due`,
    how: `record what the complainant was told with /gov complaint outcome ${ref} <what they were told>`,
    statutory: false,
  });
}

function countdown(kind: string, due: IsoDate, today: IsoDate, chairs: readonly string[], words: { what: string; late: string; how: string; statutory: boolean }): ComplaintReminder[] {
  const left = daysBetween(today, due);
  const dueText = formatDateWithWeekday(due);
  if (left > COUNTDOWN[0]) return [];
  if (left > 0) {
    const window = [...COUNTDOWN].reverse().find((d) => left <= d)!;
    return [{ milestone: `${kind}:${due}:${window}`, text: `${words.what} by ${dueText} (${left} day${left === 1 ? '' : 's'} left): ${words.how}.` }];
  }
  if (left === 0) return [{ milestone: `${kind}:${due}:0`, text: `${words.what} today, ${dueText}: ${words.how}.` }];
  const late = -left;
  const week = Math.floor((late - 1) / REPEAT_DAYS);
  const chairsText = chairs.length > 0 ? chairs.join(', ') : 'no chair is set (add one with /gov members add @someone chair)';
  const law = words.statutory ? ' (DPA 2018 s.164A: 30 days)' : ' (the committee\'s target, COMPLAINT_RESPONSE_DAYS)';
  return [{
    milestone: `${kind}:${due}:overdue:${week}`,
    text: `${words.late} by ${dueText}${law}, ${late} day${late === 1 ? '' : 's'} ago. Chairs: ${chairsText}: ${words.how}.`,
  }];
}
