import type { ServiceContext } from '../context.js';
import { latestPurgeBatch, openPurgeProposal } from '../../register/purges.js';
import { loadPurgeView, type PurgeView } from './purge-view.js';

/** What `/gov purge` shows: the proposal awaiting votes, else the latest batch whatever its state. */
export async function currentPurge(ctx: ServiceContext): Promise<PurgeView | null> {
  const open = await openPurgeProposal(ctx.db);
  const batchId = open?.purge_batch_id ?? (await latestPurgeBatch(ctx.db))?.id ?? null;
  return batchId === null ? null : loadPurgeView(ctx.db, batchId, ctx.config.retentionYears);
}
