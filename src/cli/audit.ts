import { formatVerifyResult, verifyAudit } from '../services/verify-audit.js';
import { USAGE_ERROR, type CliIo } from './io.js';
import { withDatabase } from './with-database.js';

export async function auditCommand(args: string[], io: CliIo): Promise<number> {
  if (args.length !== 1 || args[0] !== 'verify') {
    io.err('usage: govbot audit verify');
    return USAGE_ERROR;
  }
  return withDatabase(io, async (db) => {
    const result = await verifyAudit(db);
    (result.ok ? io.out : io.err)(formatVerifyResult(result));
    return result.ok ? 0 : 1;
  });
}
