import type { Config } from '../../config.js';
import { addDays, dateInTimeZone } from '../../domain/dates.js';
import { tallyPurge } from '../../domain/purge-tally.js';
import { nextReviewDue } from '../../domain/review-schedule.js';
import { fromWallClock } from '../../domain/schedules.js';
import type { Result } from '../../domain/result.js';
import type { Db } from '../../register/database.js';
import {
  firstRecordDay, reportAuditEventsAbout, reportBreaches, reportComplaints, reportPauses, reportPurgeItemCounts, reportPurges, reportRequests, reportReviews,
} from '../../register/report-data.js';
import { quarterReport, type QuarterReport } from '../../reports/figures.js';
import { lastCompleteQuarter, parseQuarter, trendQuarters, type Quarter } from '../../reports/quarter.js';
import type { ReportInput, ReportPurge, ReportReview } from '../../reports/rows.js';
import { verifyAudit } from '../verify-audit.js';
import { pausesByRequest, toReportRequest } from './report-rows.js';

export interface ReportDeps {
  readonly db: Db;
  readonly config: Config;
}

/**
 * The quarter a person asked for (`2026-Q3`), or the last complete one when they named none;
 * a quarter not yet ended, one that cannot exist or one before any data gets a clear answer.
 */
export async function resolveQuarter(deps: ReportDeps, text: string | null, now: Date): Promise<Result<Quarter>> {
  const today = dateInTimeZone(now, deps.config.timezone);
  const first = await firstRecordDay(deps.db, deps.config.timezone);
  return parseQuarter(text ?? lastCompleteQuarter(today).key, today, first);
}

/** Reads the register for the quarter and the four before it, then computes the figures. */
export async function buildQuarterReport(deps: ReportDeps, quarter: Quarter, now: Date): Promise<QuarterReport> {
  const input = await loadReportInput(deps, quarter, now);
  return quarterReport(input, quarter, (instant) => dateInTimeZone(instant, deps.config.timezone));
}

export async function loadReportInput(deps: ReportDeps, quarter: Quarter, now: Date): Promise<ReportInput> {
  const { db, config } = deps;
  const tz = config.timezone;
  const since = trendQuarters(quarter)[0]!.start;
  const [requests, pauses, breaches, purges, reviews, first, audit, complaints] = await Promise.all([
    reportRequests(db, since, quarter.end, tz),
    reportPauses(db, since, quarter.end, tz),
    reportBreaches(db, fromWallClock(since, 0, 0, tz), fromWallClock(addDays(quarter.end, 1), 0, 0, tz)),
    reportPurges(db, since, quarter.end, tz),
    reportReviews(db, tz),
    firstRecordDay(db, tz),
    verifyAudit(db),
    reportComplaints(db, since, quarter.end),
  ]);
  const pausesOf = pausesByRequest(pauses);
  return {
    requests: requests.map((row) => toReportRequest(row, pausesOf.get(row.id) ?? [], { region: config.bankHolidayRegion, forwardWithinDays: config.forwardWithinDays, today: dateInTimeZone(now, tz) })),
    complaints: complaints.map((c) => ({ reference: c.reference, received: c.received_on, acknowledgedOn: c.acknowledged_on, outcomeOn: c.outcome_on })),
    breaches: breaches.map((b) => ({
      reference: b.reference, awareAt: b.aware_at, regulatorNotifiedAt: b.regulator_notified_at, controllersAffected: b.controllers_affected,
      controllersNotifiedAt: b.controllers_notified_at, notReportableReason: b.not_reportable_reason, lateReason: b.late_reason,
    })),
    purges: await purgeRows(db, purges, tz),
    reviews: reviews.map((r): ReportReview => ({
      subject: r.subject, kind: r.kind, reviewedOn: r.reviewed_on,
      // A provider is first due a year after it was added; a notice never reviewed is due from the first record.
      firstDue: r.added_on !== null ? nextReviewDue(r.added_on) : (first ?? quarter.start),
    })),
    audit: audit.ok
      ? { ok: true, count: audit.count, headHash: audit.headHash, brokenAt: null, verifiedAt: now }
      : { ok: false, count: audit.count, headHash: null, brokenAt: audit.brokenAt, verifiedAt: now },
  };
}

async function purgeRows(db: Db, purges: Awaited<ReturnType<typeof reportPurges>>, tz: string): Promise<ReportPurge[]> {
  const [counts, events] = await Promise.all([
    reportPurgeItemCounts(db, purges.map((p) => p.id)),
    reportAuditEventsAbout(db, purges.map((p) => p.reference), tz),
  ]);
  return purges.map((p) => {
    const mine = counts.filter((c) => c.batch_id === p.id);
    const tally = tallyPurge(mine.map((c) => ({ reason: c.reason, status: c.status as 'pending', note: c.note, count: c.count })));
    const candidates: Record<string, number> = {};
    for (const c of mine) candidates[c.reason] = (candidates[c.reason] ?? 0) + c.count;
    return {
      reference: p.reference, asOf: p.as_of, status: p.status, finishedOn: p.finished_on,
      candidatesByReason: candidates, keptBackByReason: tally.keptBack, deletedByReason: tally.deleted, skippedByReason: tally.skipped,
      candidateFileSha256: p.candidate_sha256,
      auditEvents: events.filter((e) => e.subject === p.reference).map((e) => ({ id: e.id, action: e.action, on: e.on, hash: e.hash })),
    };
  });
}

