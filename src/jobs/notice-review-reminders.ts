import { dateInTimeZone } from '../domain/dates.js';
import { noticeRemindersDue } from '../domain/review-schedule.js';
import { noticeReminderText } from '../chat/cards/review-lines.js';
import { latestNoticeReview, openRegulatoryChanges } from '../register/notice-reviews.js';
import { recordReminderSent } from '../register/reminders.js';
import { postNotice } from '../services/card-messages.js';
import { platformForNewCard } from '../services/committee-channel.js';
import { NOTICE_SUBJECT } from '../services/notice.js';
import type { JobContext, JobDefinition, JobSummary } from './job.js';

/**
 * Daily reminders of the privacy-notice review (milestones in domain/review-schedule.ts): 30 and 7
 * days before the yearly review, weekly once it is overdue, and weekly after a regulatory change
 * until a review closes it (the change's first announcement is posted by `/gov notice change`).
 * Each milestone is recorded in `reminders_sent` in the transaction that queues its message.
 */
export async function sendNoticeReviewReminders(context: JobContext, now: Date): Promise<JobSummary> {
  const timeZone = context.config.timezone;
  const today = dateInTimeZone(now, timeZone);
  const [latest, changes] = await Promise.all([latestNoticeReview(context.db), openRegulatoryChanges(context.db)]);
  const reminders = noticeRemindersDue({
    lastReviewedOn: latest?.reviewed_on ?? null,
    openChanges: changes.map((change) => ({ id: change.id, recordedOn: dateInTimeZone(change.recorded_at, timeZone) })),
  }, today);
  // The notice belongs to no one platform: its reminders go where the committee's cards go.
  const platform = await platformForNewCard(context.db, context.config, null);
  let sent = 0;
  let alreadySent = 0;
  for (const reminder of reminders) {
    const change = reminder.kind === 'change' ? changes.find((c) => c.id === reminder.changeId) : undefined;
    const posted = await context.db.transaction(async (trx) => {
      if (!await recordReminderSent(trx, NOTICE_SUBJECT, reminder.key, now)) return false;
      await postNotice(trx, platform, noticeReminderText(reminder, today, latest?.version ?? null, change));
      return true;
    });
    if (posted) sent += 1;
    else alreadySent += 1;
  }
  return { today, open_changes: changes.length, sent, already_sent: alreadySent };
}

export const noticeReviewRemindersJob: JobDefinition = {
  name: 'notice-review-reminders',
  schedule: { kind: 'daily', hour: 8, minute: 10 },
  description: 'reminds the committee of the privacy-notice review: 30 and 7 days before, overdue, after a regulatory change',
  // Until midnight: tomorrow's run covers the same windows anyway.
  catchUpMs: 15 * 3_600_000,
  run: sendNoticeReviewReminders,
};
