import type { Actor } from '../../chat/actor.js';
import { PURGE_BATCH_STATUSES, type ContactName } from '../../domain/purge.js';
import { err, ok, type Result } from '../../domain/result.js';
import { RETENTION_EXCLUSIONS, type RetentionExclusion } from '../../domain/retention.js';
import { appendAuditEvent } from '../../register/audit-events.js';
import { contactsNamed, excludePurgeItem, insertRetentionExclusion, lockPurgeItem } from '../../register/purge-items.js';
import { latestPurgeBatch, lockPurgeBatch, openPurgeProposal, updatePurgeBatch } from '../../register/purges.js';
import { lockProposal } from '../../register/proposals.js';
import type { ServiceContext } from '../context.js';
import { writeCandidateFile } from './candidates-file.js';
import { refreshPurgeCard } from './purge-cards.js';

export interface ExcludeInput {
  readonly contact: ContactName;
  /** As typed, for the message: `CRM-0042` or `#1234`. */
  readonly contactWord: string;
  /** Why (a legal hold, a dispute…): kept with the exclusion in the register, not in the audit trail. */
  readonly reason: string;
}

export interface Excluded {
  readonly reference: string;
  readonly contactId: number;
  readonly file: string;
  readonly sha256: string;
}

/**
 * `/gov purge exclude`: keeps one candidate out of the proposed purge, before approval only. The
 * item is marked excluded and a standing exclusion is recorded (so later sweeps leave the contact
 * alone too), audited by ids, and the card and candidate list are updated in the same transaction.
 * Votes already cast stand: an exclusion only narrows what they approve. The proposal row is locked
 * first, as a vote locks it, so an exclusion and a deciding vote cannot interleave.
 */
export async function excludeCandidate(ctx: ServiceContext, by: Actor, input: ExcludeInput): Promise<Result<Excluded>> {
  const now = ctx.clock();
  return ctx.db.transaction(async (trx): Promise<Result<Excluded>> => {
    const found = await openPurgeProposal(trx);
    const proposal = found ? await lockProposal(trx, found.id) : null;
    if (!proposal || proposal.status !== 'open' || proposal.purge_batch_id === null) {
      const latest = await latestPurgeBatch(trx);
      return err(latest && latest.status !== 'proposed'
        ? `${latest.reference} is ${PURGE_BATCH_STATUSES[latest.status]}, so its candidates can no longer change; exclusions come before approval. Nothing was changed.`
        : 'There is no purge proposal awaiting the committee, so there is nothing to exclude from; a chair can run the sweep with /gov purge run.');
    }
    const batch = await lockPurgeBatch(trx, proposal.purge_batch_id);
    if (!batch) throw new Error(`purge proposal ${proposal.id} names a missing batch`);
    const matches = await contactsNamed(trx, input.contact);
    const listName = batch.candidate_file ?? 'the candidate list';
    if (matches.length === 0) return err(`No contact in the register has the external_id or register id "${input.contactWord}"; use the contact_id or external_id column of ${listName}.`);
    if (matches.length > 1) return err(`"${input.contactWord}" is both an external_id and a register id (${matches.map((m) => `#${m.id}`).join(', ')}); write #<id> for the register id.`);
    const contactId = matches[0]!.id;
    const item = await lockPurgeItem(trx, batch.id, contactId);
    if (!item) return err(`Contact #${contactId} is not a candidate in ${batch.reference}; nothing was changed.`);
    if (item.status === 'excluded') {
      const why = RETENTION_EXCLUSIONS[item.note as RetentionExclusion] ?? item.note ?? 'excluded';
      return err(`Contact #${contactId} is already kept back from ${batch.reference} (${why}); nothing was changed.`);
    }
    await excludePurgeItem(trx, batch.id, contactId, now);
    const exclusionId = await insertRetentionExclusion(trx, { contact_id: contactId, reason: input.reason, excluded_by: by.key, purge_batch_id: batch.id, created_at: now });
    await appendAuditEvent(trx, {
      actor: by.key, action: 'purge.candidate_excluded', subject: batch.reference, occurredAt: now,
      facts: { batch_id: batch.id, proposal_id: proposal.id, contact_id: contactId, exclusion_id: exclusionId, retention_reason: item.reason },
    });
    const file = await writeCandidateFile(trx, ctx.config.dataDir, batch);
    await updatePurgeBatch(trx, batch.id, { candidate_file: file.name, candidate_sha256: file.sha256 });
    await refreshPurgeCard(trx, ctx.config, batch.id);
    return ok({ reference: batch.reference, contactId, file: file.name, sha256: file.sha256 });
  });
}
