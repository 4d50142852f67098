import { ChainVerifier } from '../domain/audit-chain.js';
import type { Db } from '../register/database.js';
import { streamAuditEventBatches } from '../register/audit-events.js';

/**
 * `govbot audit verify` and its chat twin: walks the whole chain from the genesis hash, in batches so
 * millions of events never sit in memory at once, and stops at the first broken event.
 *
 * What it cannot see: events removed from the end of the chain leave no broken link behind. Keep
 * the head (`ok <n> events`) somewhere else, such as the committee channel, to notice that.
 */
export type VerifyAuditResult =
  /** `headHash`: the hash of the last event (null for an empty chain), the value to keep elsewhere. */
  | { readonly ok: true; readonly count: number; readonly headHash: string | null }
  /** `count`: events found intact before the broken one. */
  | { readonly ok: false; readonly brokenAt: number; readonly reason: string; readonly count: number };

export async function verifyAudit(db: Db, options: { batchSize?: number } = {}): Promise<VerifyAuditResult> {
  const verifier = new ChainVerifier();
  for await (const batch of streamAuditEventBatches(db, options.batchSize ?? 5000)) {
    if (!verifier.feed(batch)) break;
  }
  const result = verifier.result();
  return result.ok ? { ...result, headHash: result.count === 0 ? null : verifier.lastHash } : { ...result, count: verifier.count };
}

/** One line: the CLI prints it (exit 0 when ok, 1 otherwise) and the chat command replies with it. */
export function formatVerifyResult(result: VerifyAuditResult): string {
  return result.ok ? `ok ${result.count} events` : `audit chain broken at event ${result.brokenAt}: ${result.reason}`;
}
