import { resolveQuarter } from '../services/reports/build-report.js';
import { writeReportFiles } from '../services/reports/write-report.js';
import { USAGE_ERROR, type CliIo } from './io.js';
import { withDatabase } from './with-database.js';

const USAGE = 'usage: govbot report [--quarter YYYY-Qn] [--out DIR]';

/** `govbot report`: writes the quarter's HTML report and request log, then prints where and the headline. */
export async function reportCommand(args: string[], io: CliIo): Promise<number> {
  const options: { quarter: string | null; out: string | null } = { quarter: null, out: null };
  for (let i = 0; i < args.length; i += 2) {
    const [flag, value] = [args[i], args[i + 1]];
    if ((flag !== '--quarter' && flag !== '--out') || value === undefined || value.startsWith('--')) {
      io.err(flag === '--quarter' || flag === '--out' ? `govbot report: ${flag} needs a value` : `govbot report: unknown option "${flag ?? ''}"`);
      io.err(USAGE);
      return USAGE_ERROR;
    }
    options[flag === '--quarter' ? 'quarter' : 'out'] = value;
  }
  return withDatabase(io, async (db, config) => {
    const now = io.now?.() ?? new Date();
    const quarter = await resolveQuarter({ db, config }, options.quarter, now);
    if (!quarter.ok) {
      io.err(`govbot report: ${quarter.error}`);
      return 1;
    }
    const written = await writeReportFiles({ db, config }, quarter.value, now, options.out);
    io.out(`Accountability report ${written.quarter.key} (${written.quarter.start} to ${written.quarter.end})`);
    io.out(`report: ${written.htmlPath}`);
    io.out(`request log: ${written.csvPath}`);
    for (const h of written.headline) io.out(`${h.label}: ${h.value}`);
    return 0;
  });
}
