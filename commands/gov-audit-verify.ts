import { privateReply } from '../src/chat/reply.js';
import { formatVerifyResult, verifyAudit } from '../src/services/verify-audit.js';
import { mistake } from './arguments.js';
import type { ChatCommand } from './command.js';

const USAGE = '/gov audit verify';

/** Members only: the result says how much the committee has done, which is its own business. */
export const govAuditVerify: ChatCommand = {
  name: 'gov audit verify',
  usage: USAGE,
  summary: 'verify the audit chain and report the result',
  access: 'member',
  async run(ctx, args) {
    if (args.length > 0) return mistake(USAGE, `"${args.join(' ')}" is not needed`);
    const result = await verifyAudit(ctx.services.db);
    const advice = result.ok
      ? ' Keep this count somewhere else too: it is how removal of the latest events would be noticed.'
      : ' Stop and tell the chairs: the record has been changed outside govbot. Restore from a backup and compare.';
    return privateReply(`${formatVerifyResult(result)}.${advice}`);
  },
};
