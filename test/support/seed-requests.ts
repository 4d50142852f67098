import { planAction } from '../../src/domain/action-plans.js';
import { suppressionHash } from '../../src/domain/suppression.js';
import type { Db } from '../../src/register/database.js';

/**
 * Requests whose action the committee has already approved, each with its own register record:
 * `count` erasures ready for execute-actions, written in one transaction per 500 for speed.
 */
export async function seedApprovedErasures(db: Db, pepper: string, count: number): Promise<void> {
  for (let start = 0; start < count; start += 500) {
    await db.transaction(async (trx) => {
      for (let i = start; i < Math.min(count, start + 500); i += 1) {
        const email = `erase.me.${i}@example.com`;
        const [contact] = await trx('contacts').insert({ external_id: `KILL-${i}`, email, full_name: `Erase Me ${i}` }).returning('id');
        const plan = planAction({ type: 'erasure', contactIds: [contact.id], controller: null });
        const [request] = await trx('requests').insert({
          reference: `DSR-2026-${String(i + 1).padStart(4, '0')}`, type: 'erasure', subject_email: email, subject_name: `Erase Me ${i}`,
          subject_hmac: suppressionHash(pepper, email), contact_id: contact.id, received_via: 'email', received_on: '2026-11-20',
          due_on: '2026-12-21', requested_by: 'slack:U0CLERK01', status: 'action-approved',
          details: JSON.stringify({ platform: 'slack', matchedContactIds: [contact.id], maskedSubject: 'e***@example.com' }),
        }).returning('id');
        const [proposal] = await trx('proposals').insert({
          kind: 'action', request_id: request.id, quorum: 1, status: 'approved', proposed_by: 'govbot', requested_by: 'slack:U0CLERK01',
          summary: JSON.stringify({ reference: `DSR-2026-${String(i + 1).padStart(4, '0')}` }),
        }).returning('id');
        await trx('actions').insert({ proposal_id: proposal.id, request_id: request.id, kind: plan.kind, params: JSON.stringify(plan.params) });
      }
    });
  }
}
