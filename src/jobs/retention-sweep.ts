import { describeSweep, runRetentionSweep, type SweepOutcome, type SweepTrigger } from '../services/purge/sweep.js';
import type { JobDefinition, JobSummary } from './job.js';

/**
 * The quarterly retention sweep (DESIGN §3). The same code runs for the schedule, for
 * `govbot jobs run retention-sweep` and for a chair's `/gov purge run` (which names the chair as
 * the trigger); Postgres does the selecting, so the worker's memory stays flat however large the
 * register is.
 */
export function retentionSweepFor(trigger: SweepTrigger): JobDefinition['run'] {
  return async (context, now) => sweepSummary(await runRetentionSweep(context, now, trigger));
}

/** The job's recorded summary; `message` is the sentence chat and the CLI show. */
export function sweepSummary(outcome: SweepOutcome): JobSummary {
  const summary: JobSummary = { outcome: outcome.kind, message: describeSweep(outcome) };
  if (outcome.kind === 'proposed') return { ...summary, reference: outcome.reference, to_delete: outcome.tally.pending, kept_back: outcome.tally.keptBack };
  return 'reference' in outcome ? { ...summary, reference: outcome.reference } : summary;
}

export const retentionSweepJob: JobDefinition = {
  name: 'retention-sweep',
  schedule: { kind: 'quarterly', hour: 9, minute: 0 },
  description: 'proposes the quarterly deletion list (R1–R4 candidates, PURGE-YYYY-Qn) for the committee to approve',
  // A quarter's sweep missed while the service was down runs when it returns within a week; later
  // than that, a chair runs it with /gov purge run, knowing the date it will be as of.
  catchUpMs: 7 * 24 * 3_600_000,
  run: retentionSweepFor({ by: 'govbot', platform: null }),
};
