import { statutoryDueDate } from '../../src/domain/deadlines.js';
import { appendAuditEvent } from '../../src/register/audit-events.js';
import type { Db } from '../../src/register/database.js';
import { EXAMPLE_INPUT, EXAMPLE_REQUESTS } from './report-example.js';

/**
 * Seeds a real register with the story of report-example.ts, through plain inserts (each command's
 * own rules are tested elsewhere): the same requests, pauses, decisions, breaches, purge and reviews.
 * Dates in London summer time: a request closed "on 2026-08-20" is closed at 11:00 that day.
 */
export async function seedReportExample(db: Db): Promise<void> {
  const at = (day: string) => new Date(`${day}T10:00:00Z`);
  for (const r of EXAMPLE_REQUESTS) {
    const extended = r.extendedDue !== null;
    const paused = r.stoppedDays + r.awaiting.reduce((n, w) => n + (w.to ? daysInclusive(w.from, w.to) : 0), 0);
    const due = statutoryDueDate({ receivedOn: r.received, region: 'england-and-wales', pausedDays: paused, extended });
    const status = r.outcome ?? (r.closedOn ? 'completed' : 'received');
    const [row] = await db('requests').insert({
      reference: r.reference, type: r.type, subject_hmac: `hmac-${r.reference}`, received_via: r.channel,
      controller: r.processorRoute ? 'Acme Ltd' : null, received_on: r.received, due_on: due, paused_days: paused,
      extended, status, requested_by: 'slack:UM1', closed_at: r.closedOn ? at(r.closedOn) : null,
    }).returning('id');
    const id = Number((row as { id: number }).id);
    for (const w of r.awaiting) await db('request_pauses').insert({ request_id: id, kind: w.kind, paused_on: w.from, resumed_on: w.to, paused_by: 'slack:UM1' });
    for (const s of r.stops) await db('request_pauses').insert({ request_id: id, kind: 'clarification', paused_on: s.from, resumed_on: s.to, paused_by: 'slack:UM1' });
    if (r.extensionDecidedOn) await proposal(db, id, 'extension', 'approved', at(r.extensionDecidedOn), { reason: 'many systems to search' });
    if (r.extensionToldOn) await db('request_notices').insert({ request_id: id, kind: 'extension', owed_since: r.extensionDecidedOn, due_by: r.firstPeriodEnd, told_on: r.extensionToldOn, told_by: 'slack:UM1' });
    if (r.refusalGround) await proposal(db, id, 'refusal', 'approved', at(r.closedOn!), { grounds: r.refusalGround, reason: 'fourth identical request' });
    if (r.delayReasons[0]?.startsWith('register change retried')) {
      const p = await proposal(db, id, 'action', 'approved', at(r.received), {});
      await db('actions').insert({ proposal_id: p, request_id: id, kind: 'rectify', status: 'done', attempts: 3, finished_at: at(r.closedOn!) });
    }
    if (r.forwardedOn) {
      const p = await proposal(db, id, 'action', 'approved', at(r.received), {});
      await db('actions').insert({ proposal_id: p, request_id: id, kind: 'forward-to-controller', status: 'done', attempts: 1, finished_at: at(r.forwardedOn) });
    }
  }
  for (const b of EXAMPLE_INPUT.breaches) {
    await db('breaches').insert({
      reference: b.reference, summary: 'a breach', aware_at: b.awareAt, deadline_at: new Date(b.awareAt.getTime() + 72 * 3_600_000),
      reported_by: 'slack:UM1', regulator_notified_at: b.regulatorNotifiedAt, controllers_affected: b.controllersAffected,
      controllers_notified_at: b.controllersNotifiedAt, not_reportable_reason: b.notReportableReason, late_reason: b.lateReason,
    });
  }
  await seedPurge(db);
  for (const review of EXAMPLE_INPUT.reviews) {
    if (review.kind === 'notice') {
      for (const day of review.reviewedOn) await db('notice_reviews').insert({ version: `v-${day}`, reviewed_on: day, reviewed_by: 'slack:UM1' });
      continue;
    }
    const [p] = await db('processors').insert({ name: review.subject, purpose: 'service', next_review_on: '2027-01-01', created_by: 'slack:UM1', created_at: at('2024-06-01') }).returning('id');
    for (const day of review.reviewedOn) await db('processor_reviews').insert({ processor_id: (p as { id: number }).id, reviewed_on: day, reviewed_by: 'slack:UM1' });
  }
}

async function proposal(db: Db, requestId: number, kind: string, status: string, decidedAt: Date, summary: Record<string, unknown>): Promise<number> {
  const [row] = await db('proposals').insert({ kind, request_id: requestId, quorum: 1, status, proposed_by: 'slack:UM1', summary: JSON.stringify(summary), decided_at: decidedAt }).returning('id');
  return Number((row as { id: number }).id);
}

/** PURGE-2026-Q3 as of 2026-07-01: 8 candidates, 6 deleted, 1 kept back on legal hold, 1 skipped. */
async function seedPurge(db: Db): Promise<void> {
  const purge = EXAMPLE_INPUT.purges[0]!;
  const [batch] = await db('purge_batches').insert({
    reference: purge.reference, as_of: purge.asOf, status: 'done', candidate_sha256: purge.candidateFileSha256,
    started_at: new Date('2026-07-02T09:00:00Z'), finished_at: new Date('2026-07-03T09:00:00Z'),
  }).returning('id');
  const batchId = Number((batch as { id: number }).id);
  const items: { reason: string; status: string; note: string | null }[] = [
    { reason: 'R1', status: 'done', note: 'suppressed' }, { reason: 'R1', status: 'done', note: 'suppressed' },
    { reason: 'R2', status: 'done', note: null }, { reason: 'R2', status: 'done', note: null }, { reason: 'R2', status: 'done', note: null },
    { reason: 'R2', status: 'excluded', note: 'legal hold' }, { reason: 'R2', status: 'skipped', note: 'no-longer-due' },
    { reason: 'R3', status: 'done', note: null },
  ];
  await db('purge_items').insert(items.map((item, i) => ({ batch_id: batchId, contact_id: 1000 + i, ...item })));
  for (const [action, day] of [['purge.swept', '2026-07-01'], ['purge.approved', '2026-07-02'], ['purge.done', '2026-07-03']] as const) {
    await db.transaction((trx) => appendAuditEvent(trx, { actor: 'govbot', action, subject: purge.reference, occurredAt: new Date(`${day}T09:00:00Z`), facts: { batch_id: batchId } }));
  }
}

function daysInclusive(from: string, to: string): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000) + 1;
}
