import { compareDates, daysBetween, formatDateWithWeekday, type IsoDate } from './dates.js';

/**
 * What the individual must be told, and by when (UK GDPR Art 12(3)–(4), DESIGN §2). Each owed notice
 * is a row keyed by request and kind; the committee records the telling with `/dsr told`, and
 * sla-reminders chases what is not told. New kinds are added here (and need no schema change).
 *
 * - extension: that the period is extended, with the reasons, before the end of the first period;
 *   otherwise the extension is not valid and the request is due on the unextended date.
 * - refusal, identity-rejected: the reasons for not acting, and the right to complain to the ICO and
 *   to seek a judicial remedy, without delay and within the period (Art 12(4)).
 * - outcome: the response itself (what was done), by the due date.
 * - restriction-lift: an objection not upheld (or closed without a decision); the restriction placed
 *   while the committee decided may be lifted only after the individual is told (Art 18(3)), with
 *   the grounds (Art 12(4)). Recording it as told lifts the restriction.
 * - legal-hold: an erasure that kept records needed for legal claims (Art 17(3)(e)); not acting on
 *   that part of the request needs the reasons and the complaint rights (Art 12(4)).
 */
export type NoticeKind = 'extension' | 'refusal' | 'identity-rejected' | 'outcome' | 'restriction-lift' | 'legal-hold';

export const COMPLAINT_RIGHTS = 'They may complain to the Information Commissioner\'s Office (ico.org.uk/make-a-complaint, 0303 123 1113) and may seek to enforce their rights through the courts (a judicial remedy).';

export interface NoticeKindRule {
  readonly label: string;
  /** What the committee should tell the individual: the wording on the card. */
  readonly tell: string;
  /** Whether Art 12(4) applies: the reasons and the complaint rights must be given. */
  readonly complaintRights: boolean;
}

export const NOTICE_KINDS: Readonly<Record<NoticeKind, NoticeKindRule>> = {
  extension: {
    label: 'extension',
    tell: 'that the deadline is extended by up to two months, and why (the complexity or number of their requests)',
    complaintRights: false,
  },
  refusal: {
    label: 'refusal',
    tell: 'that the request is refused as manifestly unfounded or excessive, and why',
    complaintRights: true,
  },
  'identity-rejected': {
    label: 'identity rejected',
    tell: 'that their identity could not be confirmed, so the request will not be acted on, and why',
    complaintRights: true,
  },
  outcome: {
    label: 'outcome',
    tell: 'what was done (or the information they asked for, sent to them alone)',
    complaintRights: false,
  },
  'restriction-lift': {
    label: 'restriction to be lifted',
    tell: 'that the restriction of processing placed while their objection was considered will be lifted, and why: the objection was not upheld, for the compelling legitimate grounds the committee gave (under the rejected proposal), or it was closed without a decision (see Status); recording this lifts it (Art 18(3), Art 21(1))',
    complaintRights: true,
  },
  'legal-hold': {
    label: 'records kept under legal hold',
    tell: 'which of their records were not erased and why: they are needed for the establishment, exercise or defence of legal claims (Art 17(3)(e))',
    complaintRights: true,
  },
};

export const NOTICE_KIND_NAMES = Object.keys(NOTICE_KINDS) as readonly NoticeKind[];

export function isNoticeKind(word: string): word is NoticeKind {
  return Object.hasOwn(NOTICE_KINDS, word);
}

export interface OwedNotice {
  readonly kind: string;
  readonly owedSince: IsoDate;
  readonly dueBy: IsoDate;
  readonly toldOn: IsoDate | null;
}

/** The day a notice is due: by `deadline`, or at once if that has already passed. */
export function noticeDueBy(owedSince: IsoDate, deadline: IsoDate | null): IsoDate {
  return deadline !== null && compareDates(deadline, owedSince) >= 0 ? deadline : owedSince;
}

/** One line for the card and `/dsr show`. */
export function noticeLine(notice: OwedNotice, today: IsoDate): string {
  const rule = isNoticeKind(notice.kind) ? NOTICE_KINDS[notice.kind] : null;
  const label = rule?.label ?? notice.kind;
  if (notice.toldOn !== null) {
    const late = daysBetween(notice.dueBy, notice.toldOn);
    return `${label}: told ${notice.toldOn}${late > 0 ? `, ${late} day${late === 1 ? '' : 's'} after ${notice.dueBy}` : ''}`;
  }
  const what = rule ? `tell them ${rule.tell}${rule.complaintRights ? `. ${COMPLAINT_RIGHTS}` : ''}` : 'tell them';
  const overdue = compareDates(today, notice.dueBy) > 0 ? ' (OVERDUE)' : '';
  return `${label}: owed by ${formatDateWithWeekday(notice.dueBy)}${overdue}: ${what}`;
}

/**
 * The reminder an untold notice is owed today, as a `reminders_sent` milestone (so each goes once):
 * three days before it is due, on the day, then weekly.
 */
export function noticeReminderDue(notice: OwedNotice, today: IsoDate): string | null {
  if (notice.toldOn !== null) return null;
  const late = daysBetween(notice.dueBy, today);
  if (late < -3) return null;
  if (late < 0) return `notice:${notice.kind}:${notice.dueBy}:soon`;
  return `notice:${notice.kind}:${notice.dueBy}:${Math.floor(late / 7)}`;
}
