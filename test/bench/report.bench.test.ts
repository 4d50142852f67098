import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { eventHash, GENESIS_HASH } from '../../src/domain/audit-chain.js';
import type { Db } from '../../src/register/database.js';
import { requestsByMonthChart } from '../../src/reports/charts.js';
import { quarterOf } from '../../src/reports/quarter.js';
import { chartPng } from '../../src/reports/render-chart.js';
import { loadReportInput } from '../../src/services/reports/build-report.js';
import { verifyAudit } from '../../src/services/verify-audit.js';
import { writeReportFiles } from '../../src/services/reports/write-report.js';
import { createTestDatabase } from '../support/test-database.js';
import { recordBenchmark, type BenchFigure } from './results.js';

/**
 * The accountability report over a large register: 10,000 requests over five quarters (with
 * pauses, extensions, refusals, forwarded processor-route requests), 50,000 audit events, a purge of
 * 100,000 candidates, and first 100,000 then 1,000,000 contacts. The report never reads contacts,
 * so its time and memory should not move between the two; the figures say whether they do.
 */
const REQUESTS = 10_000;
const AUDIT_EVENTS = 50_000;
const PURGE_ITEMS = 100_000;
const Q3 = quarterOf(2026, 3);
const NOW = new Date('2026-10-01T08:30:00Z');

async function addContacts(db: Db, from: number, to: number): Promise<void> {
  await db.raw(`insert into contacts (external_id, email, full_name, is_customer, first_collected_at)
    select 'BENCH-' || g, 'person.' || g || '@example.com', 'Person ' || g, g % 4 = 0, '2020-01-01'::timestamptz + (g % 2000) * interval '1 day'
    from generate_series(?::bigint, ?::bigint) as g`, [from, to]);
  await db.raw('analyze contacts');
}

async function seedActivity(db: Db): Promise<void> {
  await db.raw(`
    insert into requests (reference, type, subject_hmac, received_via, controller, received_on, due_on, paused_days, extended, status, requested_by, closed_at)
    select 'DSR-' || (2025 + (g > 5000)::int) || '-' || lpad(g::text, 5, '0'),
      (array['access','erasure','rectification','objection','restriction','portability','withdraw-consent','do-not-contact'])[1 + g % 8],
      md5(g::text), (array['email','web','phone','post','in-person'])[1 + g % 5], case when g % 50 = 0 then 'Customer ' || (g % 7) end,
      d, d + interval '1 month' + case when g % 20 = 0 then interval '2 months' else interval '0' end, case when g % 10 = 0 then 5 else 0 end,
      g % 20 = 0,
      case when g % 10 = 9 then 'received' when g % 31 = 0 then 'refused' when g % 37 = 0 then 'withdrawn' else 'completed' end,
      'slack:UBENCH',
      case when g % 10 = 9 then null else (d + ((g * 7) % 45) * interval '1 day' + interval '11 hours')::timestamptz end
    from (select g, '2025-07-01'::date + (g % 457) as d from generate_series(1, ?) as g) s`, [REQUESTS]);
  await db.raw(`insert into request_pauses (request_id, kind, paused_on, resumed_on, paused_by)
    select id, case when id % 20 = 0 then 'clarification' else 'identity' end, received_on + 1, received_on + 5, 'slack:UBENCH'
    from requests where id % 10 = 0`);
  await db.raw(`insert into proposals (kind, request_id, quorum, status, proposed_by, summary, decided_at)
    select case when status = 'refused' then 'refusal' else 'extension' end, id, 2, 'approved', 'slack:UBENCH',
      jsonb_build_object('grounds', case when id % 2 = 0 then 'excessive' else 'unfounded' end), received_on + 10
    from requests where status = 'refused' or extended`);
  await db.raw(`insert into proposals (kind, request_id, quorum, status, proposed_by, decided_at)
    select 'action', id, 1, 'approved', 'govbot', received_on + 3 from requests where controller is not null or id % 3 = 0`);
  await db.raw(`insert into actions (proposal_id, request_id, kind, status, attempts, finished_at)
    select p.id, p.request_id, case when r.controller is not null then 'forward-to-controller' else 'export' end, 'done', 1 + (p.id % 4 = 0)::int, r.received_on + 4
    from proposals p join requests r on r.id = p.request_id where p.kind = 'action'`);
  await db.raw(`insert into breaches (reference, summary, aware_at, deadline_at, reported_by, regulator_notified_at, controllers_affected, not_reportable_reason)
    select 'BR-2026-' || lpad(g::text, 3, '0'), 'bench', t, t + interval '72 hours', 'slack:UBENCH',
      case when g % 3 = 0 then null else t + (g * 11 % 100) * interval '1 hour' end, g % 4 = 0, case when g % 3 = 0 then 'no risk' end
    from (select g, '2025-07-02'::timestamptz + g * interval '11 days' as t from generate_series(1, 40) as g) s`);
  const [batch] = await db('purge_batches').insert({ reference: 'PURGE-2026-Q3', as_of: '2026-07-01', status: 'done', candidate_sha256: 'ab'.repeat(32) }).returning('id');
  await db.raw(`insert into purge_items (batch_id, contact_id, reason, status, note)
    select ?, g, 'R' || (1 + g % 4), case when g % 50 = 0 then 'excluded' when g % 97 = 0 then 'skipped' else 'done' end,
      case when g % 50 = 0 then 'legal hold' when g % 97 = 0 then 'no-longer-due' end
    from generate_series(1, ?) as g`, [(batch as { id: number }).id, PURGE_ITEMS]);
  let prevHash = GENESIS_HASH;
  const rows = [];
  for (let id = 1; id <= AUDIT_EVENTS; id += 1) {
    const content = { id, occurredAt: new Date(Date.UTC(2025, 6, 1) + id * 60_000), actor: 'slack:UBENCH', action: id % 1000 === 0 ? 'purge.chunk' : 'request.logged', subject: id % 1000 === 0 ? 'PURGE-2026-Q3' : `DSR-2026-${id}`, facts: { n: id } };
    const hash = eventHash(prevHash, content);
    rows.push({ id, occurred_at: content.occurredAt, actor: content.actor, action: content.action, subject: content.subject, facts: JSON.stringify(content.facts), prev_hash: prevHash, hash });
    prevHash = hash;
  }
  await db.batchInsert('audit_events', rows, 2000);
  await db.raw('analyze');
}

/** Wall time and the largest resident-memory rise over the baseline while `work` runs (sampled every 10 ms). */
async function measure<T>(work: () => Promise<T>): Promise<{ ms: number; peakRiseMiB: number; value: T }> {
  global.gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 10);
  const started = performance.now();
  const value = await work();
  const ms = performance.now() - started;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { ms, peakRiseMiB: (peak - baseline) / 2 ** 20, value };
}

describe('accountability report benchmark', () => {
  it(`reports ${REQUESTS.toLocaleString('en-GB')} requests over 100,000 and then 1,000,000 contacts`, async () => {
    const database = await createTestDatabase();
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-report-bench-'));
    const deps = { db: database.db, config: parseConfig({ LOG_LEVEL: 'silent', DATA_DIR: out }, process.cwd()) };
    try {
      await addContacts(database.db, 1, 100_000);
      await seedActivity(database.db);
      await writeReportFiles(deps, Q3, NOW, out); // warm: module loading, Vega's first parse
      const small = await measure(() => writeReportFiles(deps, Q3, NOW, out));
      await addContacts(database.db, 100_001, 1_000_000);
      const large = await measure(() => writeReportFiles(deps, Q3, NOW, out));
      const png = await measure(() => chartPng(requestsByMonthChart(large.value.report)));
      const load = await measure(() => loadReportInput(deps, Q3, NOW));
      const audit = await measure(() => verifyAudit(database.db));
      expect(large.value.report.requests.received).toBeGreaterThan(1500);
      expect(large.value.report.audit).toMatchObject({ ok: true, count: AUDIT_EVENTS });
      const figures: BenchFigure[] = [
        { benchmark: 'report', metric: 'govbot report, 100k contacts', value: small.ms, unit: 'ms', note: 'load, figures, 4 SVG charts, HTML, CSV' },
        { benchmark: 'report', metric: 'govbot report, 1M contacts', value: large.ms, unit: 'ms', aim: { of: 'value', max: 5000, strict: true } },
        { benchmark: 'report', metric: 'memory rise, 100k contacts', value: small.peakRiseMiB, unit: 'MiB' },
        { benchmark: 'report', metric: 'memory rise, 1M contacts', value: large.peakRiseMiB, unit: 'MiB', note: 'flat in contacts: the report never reads them' },
        { benchmark: 'report', metric: 'of which: reading the register', value: load.ms, unit: 'ms', note: 'queries and the audit chain' },
        { benchmark: 'report', metric: 'of which: verifying the audit chain', value: audit.ms, unit: 'ms', note: `${AUDIT_EVENTS.toLocaleString('en-GB')} events` },
        { benchmark: 'report', metric: 'main chart PNG', value: png.ms, unit: 'ms', note: `${png.value.length} bytes` },
      ];
      recordBenchmark('report', figures);
      expect(large.ms).toBeLessThan(60_000);
    } finally {
      await database.drop();
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});
