import type { Knex } from 'knex';
import type { Config } from '../../config.js';
import { dateInTimeZone, type IsoDate } from '../../domain/dates.js';
import { candidateFileName, planSweep, purgeBatchRef, retentionBounds } from '../../domain/purge.js';
import { sumOf, tallyPurge, type PurgeTally } from '../../domain/purge-tally.js';
import { purgeRef } from '../../domain/references.js';
import { appendAuditEvent } from '../../register/audit-events.js';
import type { Platform } from '../../register/committee.js';
import type { Db } from '../../register/database.js';
import {
  batchesToPurge, closePurgeProposal, countBatchesOfQuarter, deletePurgeBatch, getPurgeBatch, insertPurgeBatch,
  lockPurgeSweeps, openPurgeProposal, updatePurgeBatch, type PurgeBatchRow,
} from '../../register/purges.js';
import { insertProposal, type ProposalRow } from '../../register/proposals.js';
import { liveCandidateLists } from '../../register/candidate-lists.js';
import { dropBatchItems } from '../../register/purge-item-partitions.js';
import { sweptCounts } from '../../register/purge-sweep.js';
import { postNotice } from '../card-messages.js';
import { channelSetHint, hasCommitteeChannel, platformForNewCard } from '../committee-channel.js';
import { removeCandidateFile, removeOrphanLists, sweepIntoCandidateFile } from './candidates-file.js';
import { postPurgeCard, refreshPurgeCard } from './purge-cards.js';

/** What a sweep needs: a JobContext or a ServiceContext both fit. */
export interface SweepEnvironment {
  readonly db: Db;
  readonly config: Config;
}

export interface SweepTrigger {
  /** `govbot` for the schedule and the CLI, the chair's member key for `/gov purge run`. */
  readonly by: string;
  /** The platform the chair typed on; the card goes to its committee channel where there is one. */
  readonly platform: Platform | null;
}

export type SweepOutcome =
  | { readonly kind: 'proposed'; readonly reference: string; readonly batchId: number; readonly proposalId: number; readonly asOf: IsoDate; readonly tally: PurgeTally; readonly superseded: string | null; readonly file: string; readonly sha256: string; readonly waitsForChannel: string | null }
  | { readonly kind: 'nothing'; readonly asOf: IsoDate; readonly tally: PurgeTally }
  | { readonly kind: 'reminded' | 'busy'; readonly reference: string };

/**
 * The quarterly sweep (DESIGN §3): in one transaction, under a lock that serialises sweeps across
 * processes, decide (planSweep), select every candidate into a new batch with one statement, write
 * the candidate list, open the purge proposal (requested by nobody, so any member may approve it),
 * audit, and post the card. Nothing is deleted here: that waits for APPROVAL_QUORUM votes.
 */
export async function runRetentionSweep(env: SweepEnvironment, now: Date, trigger: SweepTrigger): Promise<SweepOutcome> {
  const { config } = env;
  const asOf = dateInTimeZone(now, config.timezone);
  const stale: (string | null)[] = [];
  let listed: string | null = null;
  const sweepIn = async (trx: Knex.Transaction): Promise<SweepOutcome> => {
    await lockPurgeSweeps(trx);
    await removeOrphans(trx, config.dataDir, now);
    const open = await openPurgeProposal(trx);
    const openBatch = open?.purge_batch_id ? await getPurgeBatch(trx, open.purge_batch_id) : null;
    const active = (await batchesToPurge(trx))[0] ?? null;
    const plan = planSweep({ open: openBatch, active }, asOf);
    const platform = await platformForNewCard(trx, config, trigger.platform);
    if (plan.kind === 'remind') {
      // Beside the card it is about.
      await postNotice(trx, (open?.summary.platform as Platform | undefined) ?? platform, `${plan.reference} still awaits the committee's votes, so no second proposal was made: vote on its card (or see it with /gov purge).`);
      return { kind: 'reminded', reference: plan.reference };
    }
    if (plan.kind === 'busy') {
      await postNotice(trx, platform, `${plan.reference} was approved and its deletion is still running, so no new sweep was made; its report will follow.`);
      return { kind: 'busy', reference: plan.reference };
    }
    if (open && openBatch && plan.supersede) stale.push(await supersede(trx, env.config, open, openBatch, now));
    const reference = purgeBatchRef(asOf, (await countBatchesOfQuarter(trx, purgeRef(asOf))) + 1);
    const batch = await insertPurgeBatch(trx, { reference, as_of: asOf, created_at: now });
    // One statement selects, stores, counts and lists the candidates; the counts wait on the batch.
    listed = candidateFileName(reference);
    const file = await sweepIntoCandidateFile(trx, config.dataDir, batch, retentionBounds(asOf, config.retentionYears, config.timezone));
    const counts = await sweptCounts(trx, batch.id);
    const tally = tallyPurge(counts);
    const facts = { as_of: asOf, retention_years: config.retentionYears, by_reason: tally.pending, kept_back: tally.keptBack, triggered_by: trigger.by };
    if (sumOf(tally.pending) === 0) {
      stale.push(file.name);
      await dropBatchItems(trx, batch.id);
      await deletePurgeBatch(trx, batch.id);
      await appendAuditEvent(trx, { actor: trigger.by, action: 'purge.swept', subject: purgeRef(asOf), occurredAt: now, facts: { ...facts, proposed: false } });
      const kept = sumOf(tally.keptBack);
      await postNotice(trx, platform, `Retention sweep of ${asOf}: no contact is due for deletion${kept > 0 ? ` (${kept} would be, but are kept back by a legal hold, an open request or the committee)` : ''}. Nothing to approve.`);
      return { kind: 'nothing', asOf, tally };
    }
    await updatePurgeBatch(trx, batch.id, { candidate_file: file.name, candidate_sha256: file.sha256 });
    const proposal = await insertProposal(trx, {
      kind: 'purge', purge_batch_id: batch.id, quorum: config.approvalQuorum, proposed_by: trigger.by, requested_by: null,
      summary: { reference, heading: 'Proposed quarterly deletion', buttonNoun: 'purge', platform, asOf, proposedAt: now.toISOString() },
    });
    await appendAuditEvent(trx, {
      actor: trigger.by, action: 'purge.proposed', subject: reference, occurredAt: now,
      facts: { ...facts, proposed: true, batch_id: batch.id, proposal_id: proposal.id, quorum: proposal.quorum, candidate_list_sha256: file.sha256 },
    });
    await postPurgeCard(trx, config, batch.id, counts);
    const waitsForChannel = await hasCommitteeChannel(trx, config) ? null : channelSetHint(config, trigger.platform);
    return { kind: 'proposed', reference, batchId: batch.id, proposalId: proposal.id, asOf, tally, superseded: plan.supersede, file: file.name, sha256: file.sha256, waitsForChannel };
  };
  let committing = false;
  const outcome = await env.db.transaction(async (trx) => {
    const done = await sweepIn(trx);
    committing = true;
    return done;
  }).catch(async (error: unknown) => {
    // Failed before its commit was asked for (an error, or the connection lost), so its batch
    // never was: the list names people by CRM id and must not stay on disk. Its name is the
    // batch's reference, unique, so it can be no other batch's list.
    if (!committing) await removeCandidateFile(config.dataDir, listed).catch(() => undefined);
    throw error;
  });
  // After commit: a rolled-back supersession must keep its list.
  for (const name of stale) await removeCandidateFile(config.dataDir, name);
  return outcome;
}

/**
 * Lists no batch needs any more, left on disk by a process that died before it could remove them,
 * go before anything else (they name people by CRM id), and the audit trail says which.
 */
async function removeOrphans(trx: Knex.Transaction, dataDir: string, now: Date): Promise<void> {
  const removed = await removeOrphanLists(dataDir, await liveCandidateLists(trx));
  if (removed.length > 0) await appendAuditEvent(trx, { actor: 'govbot', action: 'purge.lists_removed', subject: null, occurredAt: now, facts: { files: removed, why: 'no batch to be decided or carried out has this list' } });
}

/** An earlier quarter's proposal nobody decided: closed unvoted, its card saying so. Returns its list's name. */
async function supersede(trx: Knex.Transaction, config: Config, proposal: ProposalRow, batch: PurgeBatchRow, now: Date): Promise<string | null> {
  await closePurgeProposal(trx, proposal.id, 'superseded', 'a later quarter\'s sweep replaced it', now);
  await updatePurgeBatch(trx, batch.id, { status: 'superseded' });
  await appendAuditEvent(trx, { actor: 'govbot', action: 'purge.superseded', subject: batch.reference, occurredAt: now, facts: { batch_id: batch.id, proposal_id: proposal.id } });
  await refreshPurgeCard(trx, config, batch.id);
  return batch.candidate_file;
}

/** One or two sentences for chat and the CLI. */
export function describeSweep(outcome: SweepOutcome): string {
  switch (outcome.kind) {
    case 'proposed': {
      const kept = sumOf(outcome.tally.keptBack);
      return `${outcome.reference} proposed: ${sumOf(outcome.tally.pending)} contact(s) to delete as of ${outcome.asOf}${kept > 0 ? `, ${kept} kept back` : ''}. ${outcome.waitsForChannel === null ? 'The card is in the committee channel' : `Its card waits for a committee channel: ${outcome.waitsForChannel}`}; the full list is ${outcome.file} (sha256 ${outcome.sha256}).${outcome.superseded ? ` It replaces ${outcome.superseded}, which nobody decided.` : ''}`;
    }
    case 'nothing': return `No contact is due for deletion as of ${outcome.asOf}; no proposal was made.`;
    case 'reminded': return `${outcome.reference} still awaits the committee's votes, so no second proposal was made; a reminder went to the committee channel.`;
    case 'busy': return `${outcome.reference} was approved and is still being carried out; run the sweep again after its report.`;
  }
}
