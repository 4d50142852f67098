import type { Knex } from 'knex';
import { renderPurgeCard, renderPurgeReport } from '../../chat/cards/purge-card.js';
import type { Config } from '../../config.js';
import type { PurgeItemCount } from '../../register/purge-items.js';
import { postCard, updateCard } from '../card-messages.js';
import { loadPurgeView, type PurgeView } from './purge-view.js';

/**
 * The purge card reaches chat through the outbox, in the transaction of the change it shows: the
 * sweep posts it, exclusions, votes and the purge's end update it in place, and the end of the
 * purge posts the report. A Slack or Teams outage delays these messages, never the purge.
 */
/** `counts`: the sweep has them already, and counting a million-contact batch again costs a scan. */
export async function postPurgeCard(trx: Knex.Transaction, config: Config, batchId: number, counts?: readonly PurgeItemCount[]): Promise<PurgeView> {
  const view = await loadPurgeView(trx, batchId, config.retentionYears, counts);
  await postCard(trx, view.platform, renderPurgeCard(view));
  return view;
}

export async function refreshPurgeCard(trx: Knex.Transaction, config: Config, batchId: number, counts?: readonly PurgeItemCount[]): Promise<PurgeView> {
  const view = await loadPurgeView(trx, batchId, config.retentionYears, counts);
  await updateCard(trx, view.platform, renderPurgeCard(view));
  return view;
}

/** `counts`: the purge's end has just counted them. */
export async function postPurgeReport(trx: Knex.Transaction, config: Config, batchId: number, counts?: readonly PurgeItemCount[]): Promise<void> {
  const view = await refreshPurgeCard(trx, config, batchId, counts);
  await postCard(trx, view.platform, renderPurgeReport(view));
}

/** The report in place, as recipients are recorded told. */
export async function refreshPurgeReport(trx: Knex.Transaction, config: Config, batchId: number): Promise<void> {
  const view = await loadPurgeView(trx, batchId, config.retentionYears);
  await updateCard(trx, view.platform, renderPurgeReport(view));
}
