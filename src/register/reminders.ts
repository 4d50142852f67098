import type { Knex } from 'knex';
import type { IsoDate } from '../domain/dates.js';
import type { RequestStatus } from '../domain/request-states.js';
import type { RequestType } from '../domain/request-types.js';
import type { Platform } from './committee.js';
import type { Db } from './database.js';

/** What sla-reminders needs to know about each open request, read in one query. */
export interface ReminderCandidate {
  id: number;
  reference: string;
  type: RequestType;
  status: RequestStatus;
  due_on: IsoDate;
  controller: string | null;
  /** Where the request's card lives (details.platform). */
  platform: Platform;
  /** The open pause, if the clock is stopped. */
  paused_on: IsoDate | null;
  pause_kind: string | null;
  /** When the open action proposal was made, if there is one. */
  action_proposed_at: Date | null;
}

export async function openRequestsForReminders(db: Db): Promise<ReminderCandidate[]> {
  const result = await db.raw<{ rows: ReminderCandidate[] }>(`
    select r.id, r.reference, r.type, r.status, r.due_on, r.controller,
      coalesce(r.details->>'platform', 'slack') as platform,
      p.paused_on, p.kind as pause_kind,
      (select min(pr.created_at) from proposals pr
        where pr.request_id = r.id and pr.kind = 'action' and pr.status = 'open') as action_proposed_at
    from requests r
    left join request_pauses p on p.request_id = r.id and p.resumed_on is null
    where r.closed_at is null
    order by r.due_on, r.id`);
  return result.rows;
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
