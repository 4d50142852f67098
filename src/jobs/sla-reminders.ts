import { mention } from '../chat/mention.js';
import { dateInTimeZone } from '../domain/dates.js';
import { remindersDue } from '../domain/reminders.js';
import { listChairs, memberKey } from '../register/committee.js';
import { openRequestsForReminders, recordReminderSent } from '../register/reminders.js';
import { postNotice } from '../services/card-messages.js';
import type { JobContext, JobDefinition, JobSummary } from './job.js';
import { sendRecipientReminders } from './recipient-reminders.js';

/**
 * Daily deadline reminders for open requests (milestones in domain/reminders.ts). Each reminder is
 * recorded in `reminders_sent` in the transaction that queues its message, so it goes out once even
 * if the job runs twice in a day (a manual run, a retried slot). Messages name references and dates
 * only, never the subject.
 */
export async function sendSlaReminders(context: JobContext, now: Date): Promise<JobSummary> {
  const today = dateInTimeZone(now, context.config.timezone);
  const [requests, chairs] = await Promise.all([openRequestsForReminders(context.db), listChairs(context.db)]);
  let sent = 0;
  let alreadySent = 0;
  for (const request of requests) {
    // A mention only means something on the platform the message goes to.
    const chairMentions = chairs.filter((chair) => chair.platform === request.platform)
      .map((chair) => mention(memberKey(chair.platform, chair.platform_user_id)));
    const reminders = remindersDue({
      reference: request.reference,
      type: request.type,
      dueOn: request.due_on,
      pausedSince: request.paused_on,
      pauseKind: request.pause_kind,
      controller: request.controller,
      forwardProposedOn: request.status === 'identity-verified' && request.action_proposed_at
        ? dateInTimeZone(request.action_proposed_at, context.config.timezone) : null,
    }, today, chairMentions);
    for (const reminder of reminders) {
      const posted = await context.db.transaction(async (trx) => {
        if (!await recordReminderSent(trx, request.reference, reminder.milestone, now)) return false;
        await postNotice(trx, request.platform, reminder.text);
        return true;
      });
      if (posted) sent += 1;
      else alreadySent += 1;
    }
  }
  const recipients = await sendRecipientReminders(context, now, today);
  return { today, open: requests.length, sent: sent + recipients.sent, already_sent: alreadySent + recipients.alreadySent };
}

export const slaRemindersJob: JobDefinition = {
  name: 'sla-reminders',
  schedule: { kind: 'daily', hour: 8, minute: 0 },
  description: 'reminds the committee of request deadlines: due in 7, 3, 1 days, due today, overdue (to the chairs)',
  // From 08:00 to midnight: a day missed while the service was down is caught up that day only,
  // since tomorrow's run covers the same windows anyway.
  catchUpMs: 16 * 3_600_000,
  run: sendSlaReminders,
};
