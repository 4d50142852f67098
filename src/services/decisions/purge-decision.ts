import { appendAuditEvent } from '../../register/audit-events.js';
import { sendStatements } from '../../register/proposals.js';
import { lockPurgeBatch, updatePurgeBatch } from '../../register/purges.js';
import { removeCandidateFile } from '../purge/candidates-file.js';
import { refreshPurgeCard } from '../purge/purge-cards.js';
import type { DecisionHandler } from './handler.js';

const none: readonly string[] = [];

/**
 * A vote on a quarterly purge. Pending: the card shows the new tally. Approved: the batch is queued
 * (its status is the purge's queue) and execute-actions is started at once. Rejected: nothing is
 * deleted, and the candidate list, which names people by CRM id, is removed.
 *
 * The vote and the proposal's decision are written first (cast-vote.ts); a batch no longer proposed
 * throws, and the vote's transaction, decision included, rolls back.
 *
 * Votes on a decided, superseded or already-run purge never get here: castVote refuses them with
 * the reason, and changes nothing.
 */
export const purgeDecision: DecisionHandler = async (trx, ctx, input) => {
  await sendStatements(trx, [input.voteWrite]);
  const batchId = input.proposal.purge_batch_id;
  const batch = batchId === null ? null : await lockPurgeBatch(trx, batchId);
  if (!batch) throw new Error(`purge proposal ${input.proposal.id} names no purge batch`);
  if (input.outcome === 'pending') {
    await refreshPurgeCard(trx, ctx.config, batch.id);
    return { decidedMessage: '', kickJobs: none };
  }
  if (batch.status !== 'proposed') throw new Error(`${batch.reference} is ${batch.status}, yet its proposal was open`);
  await updatePurgeBatch(trx, batch.id, { status: input.outcome });
  await appendAuditEvent(trx, {
    actor: input.by.key, action: `purge.${input.outcome}`, subject: batch.reference, occurredAt: input.now,
    facts: { batch_id: batch.id, proposal_id: input.proposal.id },
  });
  await refreshPurgeCard(trx, ctx.config, batch.id);
  if (input.outcome === 'rejected') {
    await removeCandidateFile(ctx.config.dataDir, batch.candidate_file);
    return { decidedMessage: `${batch.reference} rejected; nothing will be deleted. A chair can run a fresh sweep with /gov purge run.`, kickJobs: none };
  }
  return { decidedMessage: `${batch.reference} approved; govbot is deleting in chunks now, re-checking each contact first, and will post a report.`, kickJobs: ['execute-actions'] };
};
