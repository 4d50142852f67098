import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { actor } from '../../src/chat/actor.js';
import { renderRequestList } from '../../src/chat/cards/request-list.js';
import { parseConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { bootstrapChairs } from '../../src/services/bootstrap-chairs.js';
import { castVote } from '../../src/services/cast-vote.js';
import type { ServiceContext } from '../../src/services/context.js';
import { listRequestsFor } from '../../src/services/list-requests.js';
import { logRequest } from '../../src/services/log-request.js';
import { setCommitteeChannel } from '../../src/services/committee-channel.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { countRoundTrips } from '../support/round-trips.js';
import { recordBenchmark, type BenchFigure } from './results.js';
import type { Activity } from 'botbuilder';
import { cardActionAnswer } from '../../src/teams/card-actions.js';
import { createTeamsDeps } from '../../src/teams/turn-kit.js';
import { cardAction, teamsUser } from '../support/teams-activities.js';

const TEAMS_CHAIR = teamsUser(1, 'Chair Ada');

/**
 * What one intake, one vote (from Slack, and as a Teams card action) and one `/dsr list` cost the
 * service itself, in-process against a real PostgreSQL: round trips (each costs the event loop about a millisecond of socket writes and
 * parsing on a small machine) and the Node CPU time per operation (process.cpuUsage, so waiting on
 * Postgres or on other processes does not count). CPU time and round trips are far steadier than
 * latency on a shared machine, so they show what a change to the services saves. The list runs
 * over BENCH_SCALE × 1,000 open requests. BENCH_PROFILE_DIR=<dir> writes a CPU profile of each
 * operation's runs there (<name>.cpuprofile, for Chrome DevTools or speedscope).
 */
const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const INTAKES = Math.max(50, Math.round(1_000 * SCALE));
const VOTES = Math.max(20, Math.round(200 * SCALE));
const LISTS = 20;

describe('service cost per intake, vote and list', () => {
  let t: TestDatabase;
  let ctx: ServiceContext;

  beforeAll(async () => {
    t = await createTestDatabase();
    const config = parseConfig({ DATA_DIR: path.join(os.tmpdir(), 'govbot-bench-services'), LOG_LEVEL: 'silent', SCHEDULER: 'off', COMMITTEE_CHAIRS: `slack:UCHAIR,slack:UCHAIR2,teams:${TEAMS_CHAIR.aadObjectId}` }, process.cwd());
    // Intakes are received over the two months before "today", so clocks differ as in a real register.
    const now = new Date('2026-03-02T10:00:00Z');
    ctx = { db: t.db, config, pepper: 'bench-pepper-0123456789abcdef', logger: createLogger({ logLevel: 'silent' }), clock: () => now, kickJob: () => {} };
    await bootstrapChairs(ctx);
    await setCommitteeChannel(t.db, { platform: 'slack', channel: 'C0COMMITTEE' }, 'slack:UCHAIR');
  });
  afterAll(async () => { await t.drop(); });

  it('measures round trips and Node CPU per operation', async () => {
    const figures: BenchFigure[] = [];
    const measure = async (name: string, count: number, one: (i: number) => Promise<unknown>) => {
      let trips = 0;
      const profiler = await startProfile();
      const cpu = process.cpuUsage();
      const started = process.hrtime.bigint();
      for (let i = 0; i < count; i += 1) trips += (await countRoundTrips(t.db, () => one(i))).statements.length;
      const wall = Number(process.hrtime.bigint() - started) / 1e6;
      const used = process.cpuUsage(cpu);
      await profiler?.stop(name);
      figures.push(
        { benchmark: `${name} (${count}, one at a time)`, metric: 'round trips each', value: trips / count, unit: '' },
        { benchmark: `${name} (${count}, one at a time)`, metric: 'Node CPU each', value: (used.user + used.system) / 1000 / count, unit: 'ms' },
        { benchmark: `${name} (${count}, one at a time)`, metric: 'wall each', value: wall / count, unit: 'ms' },
      );
    };
    await measure('intake', INTAKES, async (i) => {
      const received = new Date(Date.UTC(2026, 0, 1 + (i % 60))).toISOString().slice(0, 10);
      const logged = await logRequest(ctx, actor('slack', `UCLERK${i % 7}`, { channelId: 'C0COMMITTEE' }), {
        type: 'access', email: `bench.${i}@example.com`, fullName: 'Bench Person', receivedOn: received, via: 'email', agent: null, controller: null,
      });
      if (!logged.ok) throw new Error(logged.error);
    });
    const proposals = await t.db('proposals').where({ kind: 'identity', status: 'open' }).orderBy('id').limit(VOTES).pluck<number[]>('id');
    await measure('vote (deciding an identity check)', proposals.length, async (i) => {
      const voted = await castVote(ctx, actor('slack', 'UCHAIR', { channelId: 'C0COMMITTEE' }), { proposalId: Number(proposals[i]), decision: 'approve' });
      if (!voted.ok) throw new Error(voted.error);
    });
    // The same vote as a Teams card action, in process: the invoke's own work without HTTP (who is
    // voting, the vote, the answer), answered as the text notice, as in teams-interactions.bench.
    const teamsProposals = await t.db('proposals').where({ kind: 'identity', status: 'open' }).orderBy('id').limit(VOTES).select<{ id: number; request_id: number }[]>('id', 'request_id');
    const deps = createTeamsDeps(ctx, ctx.logger, '');
    await measure('Teams vote invoke (deciding an identity check, in process)', teamsProposals.length, async (i) => {
      const p = teamsProposals[i]!;
      const answer = await cardActionAnswer(cardAction({ serviceUrl: 'http://127.0.0.1:9/', from: TEAMS_CHAIR, verb: 'vote', replyToId: `card-${p.request_id}`, data: { proposalId: p.id, decision: 'approve', cardKey: `request:${p.request_id}` } }) as unknown as Activity, deps);
      if (typeof answer.value !== 'string' || !answer.value.startsWith('Your vote decided it')) throw new Error(JSON.stringify(answer.value).slice(0, 300));
    });
    await measure(`dsr list (${INTAKES} open)`, LISTS, async () => renderRequestList(await listRequestsFor(ctx, 'open')));
    recordBenchmark('services', figures);
  });
});

/** A CPU profile of this process while one operation runs, when BENCH_PROFILE_DIR asks for one. */
async function startProfile(): Promise<{ stop(name: string): Promise<void> } | null> {
  const dir = process.env.BENCH_PROFILE_DIR;
  if (!dir) return null;
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    async stop(name) {
      const { profile } = await session.post('Profiler.stop');
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, `${name.replace(/[^\w.-]+/g, '-')}.cpuprofile`), JSON.stringify(profile));
      session.disconnect();
    },
  };
}
