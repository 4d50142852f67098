import { mention } from '../chat/mention.js';
import { complaintRemindersDue } from '../domain/complaints.js';
import { dateInTimeZone } from '../domain/dates.js';
import { listChairs, memberKey } from '../register/committee.js';
import { openComplaints } from '../register/complaints.js';
import { recordReminderSent } from '../register/reminders.js';
import { postNotice } from '../services/card-messages.js';
import type { JobContext, JobDefinition, JobSummary } from './job.js';

/**
 * Daily complaint reminders (DPA 2018 s.164A): the acknowledgement, then the outcome, 7, 3 and 1
 * days before, on the day and overdue (naming the chairs); milestones in domain/complaints.ts. Each
 * is recorded in `reminders_sent` with its message, so it goes out once however often the job runs.
 * Messages name the reference and dates only, never the complainant.
 */
export async function sendComplaintReminders(context: JobContext, now: Date): Promise<JobSummary> {
  const today = dateInTimeZone(now, context.config.timezone);
  const [complaints, chairs] = await Promise.all([openComplaints(context.db), listChairs(context.db)]);
  let sent = 0;
  let alreadySent = 0;
  for (const complaint of complaints) {
    const chairMentions = chairs.filter((chair) => chair.platform === complaint.platform)
      .map((chair) => mention(memberKey(chair.platform, chair.platform_user_id)));
    const reminders = complaintRemindersDue({
      reference: complaint.reference, status: complaint.status, ackDueOn: complaint.ack_due_on, outcomeDueOn: complaint.outcome_due_on,
    }, today, chairMentions);
    for (const reminder of reminders) {
      const posted = await context.db.transaction(async (trx) => {
        if (!await recordReminderSent(trx, complaint.reference, reminder.milestone, now)) return false;
        await postNotice(trx, complaint.platform, reminder.text);
        return true;
      });
      if (posted) sent += 1;
      else alreadySent += 1;
    }
  }
  return { today, open: complaints.length, sent, already_sent: alreadySent };
}

export const complaintRemindersJob: JobDefinition = {
  name: 'complaint-reminders',
  schedule: { kind: 'daily', hour: 8, minute: 5 },
  description: 'reminds the committee to acknowledge complaints within 30 days and to tell the outcome: 7, 3, 1 days before, on the day, overdue (to the chairs)',
  catchUpMs: 16 * 3_600_000,
  run: sendComplaintReminders,
};
