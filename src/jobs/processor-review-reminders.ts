import { dateInTimeZone } from '../domain/dates.js';
import { reviewMilestone } from '../domain/review-schedule.js';
import { processorReminderText } from '../chat/cards/review-lines.js';
import { listProcessors } from '../register/processors.js';
import { recordReminderSent } from '../register/reminders.js';
import { postNotice } from '../services/card-messages.js';
import { platformForNewCard } from '../services/committee-channel.js';
import { processorSubject } from '../services/processors.js';
import type { JobContext, JobDefinition, JobSummary } from './job.js';

/**
 * Daily reminders of each service provider's yearly review (Article 30 register): 30 and 7 days
 * before, then weekly once overdue, each milestone once per provider (`reminders_sent`, keyed by
 * the review date, so a recorded review starts the countdown afresh).
 */
export async function sendProcessorReviewReminders(context: JobContext, now: Date): Promise<JobSummary> {
  const today = dateInTimeZone(now, context.config.timezone);
  const processors = await listProcessors(context.db);
  const platform = await platformForNewCard(context.db, context.config, null);
  let sent = 0;
  let alreadySent = 0;
  for (const processor of processors) {
    const milestone = reviewMilestone(processor.next_review_on, today);
    if (!milestone) continue;
    const posted = await context.db.transaction(async (trx) => {
      if (!await recordReminderSent(trx, processorSubject(processor), milestone.key, now)) return false;
      await postNotice(trx, platform, processorReminderText(processor, milestone));
      return true;
    });
    if (posted) sent += 1;
    else alreadySent += 1;
  }
  return { today, processors: processors.length, sent, already_sent: alreadySent };
}

export const processorReviewRemindersJob: JobDefinition = {
  name: 'processor-review-reminders',
  schedule: { kind: 'daily', hour: 8, minute: 20 },
  description: 'reminds the committee of each service provider\'s yearly review: 30 and 7 days before, and overdue',
  catchUpMs: 15 * 3_600_000,
  run: sendProcessorReviewReminders,
};
