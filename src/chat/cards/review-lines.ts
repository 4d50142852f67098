import { dateInTimeZone, daysBetween, formatDateWithWeekday, type IsoDate } from '../../domain/dates.js';
import { nextReviewDue, type NoticeDue, type NoticeReminder, type ReviewMilestone } from '../../domain/review-schedule.js';
import { userText } from '../mention.js';
import { daysLeft, who } from './request-lines.js';

/**
 * The words of the yearly reviews: `/gov notice`, `/gov processors` and the reminders of the two
 * review jobs, so the status and the reminders describe a review date the same way.
 */

/** A recorded regulatory change, as the register stores it. */
export interface RegulatoryChangeFacts {
  readonly id: number;
  readonly description: string;
  readonly recorded_by: string;
  readonly recorded_at: Date;
}

/** `/gov notice`: the last review, what is due and the changes it has still to address. */
export interface NoticeStatusView {
  readonly today: IsoDate;
  readonly timezone: string;
  readonly latest: { readonly version: string; readonly reviewed_on: IsoDate; readonly reviewed_by: string } | null;
  readonly openChanges: readonly RegulatoryChangeFacts[];
  readonly due: NoticeDue;
}

/** A service provider on the Article 30 register, as the register stores it. */
export interface ProcessorFacts {
  readonly name: string;
  readonly purpose: string;
  readonly last_reviewed_on: IsoDate | null;
  readonly next_review_on: IsoDate;
  readonly created_at: Date;
}

export function renderNoticeStatus(status: NoticeStatusView): string {
  const lines: string[] = [];
  if (status.latest === null) {
    lines.push('Privacy notice: no review has been recorded yet. Record the version in force with /gov notice reviewed <version>, e.g. /gov notice reviewed 2026.1.');
  } else {
    lines.push(`Privacy notice: version ${status.latest.version}, last reviewed ${formatDateWithWeekday(status.latest.reviewed_on)} by ${who(status.latest.reviewed_by)}.`);
  }
  if (status.due.reason === 'regulatory-change') {
    const yearly = status.latest ? `; the yearly review would be due ${formatDateWithWeekday(nextReviewDue(status.latest.reviewed_on))}` : '';
    lines.push(`Next review: due now, after a regulatory change${yearly}.`);
  } else if (status.due.dueOn !== null) {
    lines.push(`Next review: ${formatDateWithWeekday(status.due.dueOn)} (yearly; ${daysLeft(status.today, status.due.dueOn)}).`);
  }
  if (status.openChanges.length === 0) {
    lines.push('Open regulatory changes: none. Record one with /gov notice change <what changed>.');
  } else {
    lines.push('Open regulatory changes (the next /gov notice reviewed closes them):');
    for (const change of status.openChanges) lines.push(`• ${changeLine(change, status.timezone)}`);
  }
  return lines.join('\n');
}

function changeLine(change: RegulatoryChangeFacts, timeZone: string): string {
  return `#${change.id} recorded ${dateInTimeZone(change.recorded_at, timeZone)} by ${who(change.recorded_by)}: ${userText(change.description)}`;
}

/** A regulatory change's announcement (week 0, posted by the command) and its weekly nudges. */
export function changeReminderText(change: Pick<RegulatoryChangeFacts, 'id' | 'description'>, recordedOn: IsoDate, week: number): string {
  const what = `regulatory change #${change.id} (${userText(change.description)})`;
  if (week === 0) {
    return `A ${what} was recorded on ${formatDateWithWeekday(recordedOn)}: the privacy notice review is due now. Review the notice, then record it with /gov notice reviewed <version>.`;
  }
  return `The privacy notice review is still due after ${what}, recorded ${formatDateWithWeekday(recordedOn)}, ${week} week${week === 1 ? '' : 's'} ago: review the notice, then /gov notice reviewed <version>.`;
}

export function noticeReminderText(reminder: NoticeReminder, today: IsoDate, lastVersion: string | null, change?: Pick<RegulatoryChangeFacts, 'id' | 'description'>): string {
  switch (reminder.kind) {
    case 'change': {
      const week = Math.floor(daysBetween(reminder.recordedOn, today) / 7);
      return changeReminderText(change ?? { id: reminder.changeId, description: 'see /gov notice' }, reminder.recordedOn, week);
    }
    case 'never-reviewed':
      return 'No review of the privacy notice has been recorded: it is reviewed yearly. Record the version in force with /gov notice reviewed <version>.';
    default:
      return reviewDueText(`The yearly review of the privacy notice${lastVersion ? ` (version ${lastVersion})` : ''}`, reminder, reminder.dueOn, '/gov notice reviewed <version>');
  }
}

export function processorReminderText(processor: Pick<ProcessorFacts, 'name' | 'next_review_on'>, milestone: ReviewMilestone): string {
  const name = userText(processor.name);
  const quoted = /\s/.test(name) ? `"${name}"` : name;
  return reviewDueText(`The yearly review of service provider ${name} (its safeguards and data processing agreement)`, milestone, processor.next_review_on, `/gov processors reviewed ${quoted}`);
}

function reviewDueText(what: string, milestone: Pick<ReviewMilestone, 'kind' | 'daysLeft'>, dueOn: IsoDate, command: string): string {
  const due = formatDateWithWeekday(dueOn);
  if (milestone.kind === 'overdue') {
    const late = -milestone.daysLeft;
    return `${what} is overdue: it was due ${due}, ${late} day${late === 1 ? '' : 's'} ago. Once done: ${command}.`;
  }
  const when = milestone.daysLeft === 0 ? 'is due today' : `is due in ${milestone.daysLeft} day${milestone.daysLeft === 1 ? '' : 's'}`;
  return `${what} ${when}, on ${due}. Once done: ${command}.`;
}

export interface ProcessorList {
  readonly today: IsoDate;
  readonly timezone: string;
  readonly processors: readonly ProcessorFacts[];
}

/** `/gov processors`: the Article 30 register, next review due first. */
export function renderProcessorList(list: ProcessorList): string {
  if (list.processors.length === 0) {
    return 'The register of service providers is empty. Add one with /gov processors add <name> <purpose>.';
  }
  const lines = list.processors.map((p) => {
    const last = p.last_reviewed_on ? `last reviewed ${p.last_reviewed_on}` : `not yet reviewed (added ${dateInTimeZone(p.created_at, list.timezone)})`;
    return `• ${userText(p.name)}: ${userText(p.purpose)} · ${last} · next review ${formatDateWithWeekday(p.next_review_on)} (${daysLeft(list.today, p.next_review_on)})`;
  });
  return [`Service providers (Article 30 register), next review first (today is ${list.today}):`, ...lines].join('\n');
}
