import { parseArgs } from 'node:util';
import { dateInTimeZone } from '../domain/dates.js';
import { seedDemo } from '../services/seed-demo.js';
import { USAGE_ERROR, type CliIo } from './io.js';
import { withDatabase } from './with-database.js';

const FORM = 'usage: govbot seed --demo [--contacts N]   (N from 1 to 10000000, default 200)';

export async function seedCommand(args: string[], io: CliIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args, options: { demo: { type: 'boolean' }, contacts: { type: 'string' } } }));
  } catch (error) {
    io.err(`govbot seed: ${(error as Error).message}`);
    io.err(FORM);
    return USAGE_ERROR;
  }
  const count = Number(values.contacts ?? '200');
  if (!values.demo || !Number.isInteger(count) || count < 1 || count > 10_000_000) {
    io.err(values.demo ? `govbot seed: --contacts must be a whole number from 1 to 10000000 (got "${values.contacts}")` : 'govbot seed: only --demo data can be seeded');
    io.err(FORM);
    return USAGE_ERROR;
  }
  return withDatabase(io, async (db, config) => {
    const now = io.now?.() ?? new Date();
    const result = await seedDemo(db, { count, today: dateInTimeZone(now, config.timezone), now });
    io.out(`demo register: ${result.inserted} contacts inserted, ${result.updated} updated, ${result.unchanged} unchanged; ${result.processors} service providers`);
    return 0;
  });
}
