import { dateInTimeZone, type IsoDate } from '../domain/dates.js';
import { checkNextVersion, parseNoticeVersion, VERSION_EXAMPLE } from '../domain/notice-version.js';
import { err, ok, type Result } from '../domain/result.js';
import { changeMilestoneKey, nextReviewDue, noticeReviewDue, type NoticeDue } from '../domain/review-schedule.js';
import type { Actor } from '../chat/actor.js';
import { changeReminderText, type NoticeStatusView } from '../chat/cards/review-lines.js';
import { appendAuditEvent } from '../register/audit-events.js';
import {
  closeRegulatoryChanges, insertNoticeReview, insertRegulatoryChange, latestNoticeReview, lockNoticeReviews,
  openRegulatoryChanges, type NoticeReviewRow, type RegulatoryChangeRow,
} from '../register/notice-reviews.js';
import { recordReminderSent } from '../register/reminders.js';
import { postNotice } from './card-messages.js';
import { platformForNewCard } from './committee-channel.js';
import type { ServiceContext } from './context.js';

/**
 * The privacy notice's reviews (DESIGN §1): yearly, or at once when a regulatory change is recorded,
 * whichever is sooner. A review closes every open change; versions never go backwards.
 */

/** `reminders_sent` subject of the notice's reminders. */
export const NOTICE_SUBJECT = 'privacy-notice';

export interface NoticeStatus extends NoticeStatusView {
  readonly today: IsoDate;
  readonly timezone: string;
  readonly latest: NoticeReviewRow | null;
  readonly openChanges: readonly RegulatoryChangeRow[];
  readonly due: NoticeDue;
}

export async function noticeStatus(ctx: ServiceContext): Promise<NoticeStatus> {
  const today = dateInTimeZone(ctx.clock(), ctx.config.timezone);
  const [latest, openChanges] = await Promise.all([latestNoticeReview(ctx.db), openRegulatoryChanges(ctx.db)]);
  const firstChange = openChanges[0];
  const due = noticeReviewDue(latest?.reviewed_on ?? null, firstChange ? dateInTimeZone(firstChange.recorded_at, ctx.config.timezone) : null);
  return { today, timezone: ctx.config.timezone, latest, openChanges, due };
}

export interface NoticeReviewed {
  readonly review: NoticeReviewRow;
  readonly previousVersion: string | null;
  readonly closedChanges: readonly number[];
  readonly nextDue: IsoDate;
}

/** `version` null: the version last reviewed, reviewed again. */
export async function recordNoticeReview(ctx: ServiceContext, by: Actor, version: string | null): Promise<Result<NoticeReviewed>> {
  const now = ctx.clock();
  const today = dateInTimeZone(now, ctx.config.timezone);
  const parsed = version === null ? null : parseNoticeVersion(version);
  if (parsed && !parsed.ok) return parsed;
  return ctx.db.transaction(async (trx): Promise<Result<NoticeReviewed>> => {
    await lockNoticeReviews(trx);
    const latest = await latestNoticeReview(trx);
    let versionText: string;
    if (parsed === null) {
      if (latest === null) return err(`No review has been recorded yet, so there is no version to review again: give the version in force, e.g. ${VERSION_EXAMPLE}`);
      versionText = latest.version;
    } else {
      const allowed = checkNextVersion(latest?.version ?? null, parsed.value);
      if (!allowed.ok) return allowed;
      versionText = parsed.value.text;
    }
    const review = await insertNoticeReview(trx, { version: versionText, reviewed_on: today, reviewed_by: by.key });
    const closedChanges = await closeRegulatoryChanges(trx, review.id);
    const nextDue = nextReviewDue(today);
    await appendAuditEvent(trx, {
      actor: by.key, action: 'notice.reviewed', subject: NOTICE_SUBJECT, occurredAt: now,
      facts: { review_id: review.id, version: review.version, previous_version: latest?.version ?? null, reviewed_on: today, next_review_on: nextDue, closed_change_ids: closedChanges },
    });
    return ok({ review, previousVersion: latest?.version ?? null, closedChanges, nextDue });
  });
}

/**
 * A regulatory change makes the review due now: recorded, audited and announced to the committee
 * at once, in one transaction; the announcement counts as the change's first reminder, so the
 * daily job does not repeat it and only nudges weekly after.
 */
export async function recordRegulatoryChange(ctx: ServiceContext, by: Actor, description: string): Promise<Result<RegulatoryChangeRow>> {
  const now = ctx.clock();
  const today = dateInTimeZone(now, ctx.config.timezone);
  if (description.trim() === '') return err('Say what changed, e.g. "ICO guidance on legitimate interests updated"');
  return ok(await ctx.db.transaction(async (trx) => {
    const change = await insertRegulatoryChange(trx, { description: description.trim(), recordedBy: by.key, recordedAt: now });
    await appendAuditEvent(trx, {
      actor: by.key, action: 'notice.regulatory_change_recorded', subject: NOTICE_SUBJECT, occurredAt: now,
      // The description stays in the register: free text has no place in a permanent record.
      facts: { change_id: change.id, review_due_on: today },
    });
    await recordReminderSent(trx, NOTICE_SUBJECT, changeMilestoneKey(change.id, today, today), now);
    const platform = await platformForNewCard(trx, ctx.config, by.platform);
    await postNotice(trx, platform, changeReminderText(change, today, 0));
    return change;
  }));
}
