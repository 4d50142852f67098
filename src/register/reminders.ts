import type { Knex } from 'knex';
import type { Platform } from './committee.js';
import type { Db } from './database.js';
import type { RequestRow } from './requests.js';

/** An open request and the platform its card lives on (details.platform), for sla-reminders. */
export type ReminderCandidate = RequestRow & { platform: Platform };

export async function openRequestsForReminders(db: Db): Promise<ReminderCandidate[]> {
  const result = await db.raw<{ rows: ReminderCandidate[] }>(`
    select r.*, coalesce(r.details->>'platform', 'slack') as platform
    from requests r
    where r.closed_at is null
    order by r.due_on nulls last, r.id`);
  return result.rows.map((row) => ({ ...row, id: Number(row.id) }));
}

/**
 * Records that a reminder went out; false if it already had. Called in the transaction that queues
 * the message, so the reminder is sent once: both commit, or neither does.
 */
export async function recordReminderSent(trx: Knex.Transaction, subjectRef: string, milestone: string, at: Date): Promise<boolean> {
  const rows = await trx('reminders_sent').insert({ subject_ref: subjectRef, milestone, sent_at: at })
    .onConflict(['subject_ref', 'milestone']).ignore().returning('milestone');
  return rows.length > 0;
}
