import { privateReply } from '../src/chat/reply.js';
import { retentionSweepFor, retentionSweepJob } from '../src/jobs/retention-sweep.js';
import { runJobNow } from '../src/jobs/run-job.js';
import { mistake } from './arguments.js';
import type { ChatCommand } from './command.js';

const USAGE = '/gov purge run';

/**
 * Chairs only: a sweep outside the quarterly schedule, through the job's own code and recorded in
 * its run history like `govbot jobs run retention-sweep`. The proposal is requested by nobody (it is
 * the policy's, not the chair's), so the chair who ran it may vote on it too.
 */
export const govPurgeRun: ChatCommand = {
  name: 'gov purge run',
  usage: USAGE,
  summary: 'run the retention sweep now and propose the deletion list',
  access: 'chair',
  async run(ctx, args) {
    if (args.length > 0) return mistake(USAGE, `"${args.join(' ')}" is not needed: the sweep is always as of today`);
    const services = ctx.services;
    const job = { ...retentionSweepJob, run: retentionSweepFor({ by: ctx.actor.key, platform: ctx.actor.platform }) };
    const outcome = await runJobNow(job, services, services.clock());
    if (outcome.status === 'done') return privateReply(String(outcome.summary.message));
    if (outcome.status === 'skipped') return privateReply('A sweep is already running; its card or reminder will appear in the committee channel shortly. Nothing else was started.');
    return privateReply(`The sweep failed and changed nothing: ${outcome.error.split('\n')[0] ?? ''}. Try again, or tell the operator.`);
  },
};
