import { mention } from '../chat/mention.js';
import { NOTICE_KINDS, noticeReminderDue, type NoticeKind } from '../domain/notices-owed.js';
import { formatDateWithWeekday } from '../domain/dates.js';
import { remindersDue } from '../domain/reminders.js';
import { listChairs, memberKey, type Platform } from '../register/committee.js';
import { openRequestsForReminders, recordReminderSent } from '../register/reminders.js';
import { untoldNotices } from '../register/request-notices.js';
import { lockRequest } from '../register/requests.js';
import { postNotice, refreshRequestCard } from '../services/card-messages.js';
import { clockEnv, clocksFor, syncClock } from '../services/request-clock.js';
import type { JobContext, JobDefinition, JobSummary } from './job.js';
import { sendRecipientReminders } from './recipient-reminders.js';

/**
 * Daily deadline reminders for open requests (milestones in domain/reminders.ts, from each request's
 * clock) and for notices the individual is still owed (domain/notices-owed.ts). Each reminder is
 * recorded in `reminders_sent` in the transaction that queues its message, so it goes out once even
 * if the job runs twice in a day. Messages name references and dates only, never the subject.
 *
 * The run also brings each request's stored copy of its clock up to date: a clock can change with
 * the calendar alone (an extension not told by the end of the first period stops being valid), and
 * the card is re-rendered when it does.
 */
export async function sendSlaReminders(context: JobContext, now: Date): Promise<JobSummary> {
  const env = clockEnv(context.config, now);
  const today = env.today;
  const [requests, chairs] = await Promise.all([openRequestsForReminders(context.db), listChairs(context.db)]);
  const clocks = await clocksFor(context.db, requests, env);
  const chairsOn = (platform: Platform) => chairs.filter((chair) => chair.platform === platform)
    .map((chair) => mention(memberKey(chair.platform, chair.platform_user_id)));
  let sent = 0;
  let alreadySent = 0;
  let recomputed = 0;
  const send = async (ref: string, platform: Platform, milestone: string, text: string) => {
    const posted = await context.db.transaction(async (trx) => {
      if (!await recordReminderSent(trx, ref, milestone, now)) return false;
      await postNotice(trx, platform, text);
      return true;
    });
    if (posted) sent += 1;
    else alreadySent += 1;
  };
  for (const request of requests) {
    const clock = clocks.get(request.id)!;
    if (clock.due !== request.due_on || clock.relevantDay !== request.relevant_on || clock.stoppedDays !== request.paused_days) {
      await context.db.transaction(async (trx) => {
        const synced = await syncClock(trx, await lockRequest(trx, request.id), env);
        if (synced.changed) await refreshRequestCard(trx, request.id, env);
      });
      recomputed += 1;
    }
    const reminders = remindersDue({ reference: request.reference, type: request.type, clock, controller: request.controller }, today, chairsOn(request.platform));
    for (const reminder of reminders) await send(request.reference, request.platform, reminder.milestone, reminder.text);
  }
  const notices = await untoldNotices(context.db);
  for (const notice of notices) {
    const milestone = noticeReminderDue({ kind: notice.kind, owedSince: notice.owed_since, dueBy: notice.due_by, toldOn: notice.told_on }, today);
    if (milestone === null) continue;
    const rule = Object.hasOwn(NOTICE_KINDS, notice.kind) ? NOTICE_KINDS[notice.kind as NoticeKind] : null;
    const late = today > notice.due_by;
    const text = `${notice.reference}: the individual is ${late ? 'still ' : ''}owed a notice of the ${rule?.label ?? notice.kind}, due ${formatDateWithWeekday(notice.due_by)}${late ? ' (overdue)' : ''}: ${rule ? `tell them ${rule.tell}` : 'tell them'}${rule?.complaintRights ? ', with their right to complain to the ICO and to a judicial remedy' : ''}. Once told: /dsr told ${notice.reference} ${notice.kind} --on YYYY-MM-DD.`;
    await send(notice.reference, notice.platform, milestone, text);
  }
  const recipients = await sendRecipientReminders(context, now, today);
  return { today, open: requests.length, sent: sent + recipients.sent, already_sent: alreadySent + recipients.alreadySent, clocks_recomputed: recomputed, notices_owed: notices.length };
}

export const slaRemindersJob: JobDefinition = {
  name: 'sla-reminders',
  schedule: { kind: 'daily', hour: 8, minute: 0 },
  description: 'reminds the committee of request deadlines (due in 7, 3, 1 days, due today, overdue to the chairs), clocks not started, forwarding owed and notices owed to individuals',
  // From 08:00 to midnight: a day missed while the service was down is caught up that day only,
  // since tomorrow's run covers the same windows anyway.
  catchUpMs: 16 * 3_600_000,
  run: sendSlaReminders,
};
