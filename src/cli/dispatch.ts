import { auditCommand } from './audit.js';
import { deadlineCommand } from './deadline.js';
import { doctorCommand } from './doctor.js';
import { importCommand } from './import.js';
import { USAGE, USAGE_ERROR, type CliIo } from './io.js';
import { jobsCommand } from './jobs.js';
import { migrateCommand } from './migrate.js';
import { reportCommand } from './report.js';
import { seedCommand } from './seed.js';

const COMMANDS: Record<string, (args: string[], io: CliIo) => Promise<number>> = {
  migrate: migrateCommand,
  deadline: deadlineCommand,
  import: importCommand,
  seed: seedCommand,
  audit: auditCommand,
  jobs: jobsCommand,
  doctor: doctorCommand,
  report: reportCommand,
};

export async function runCommand(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    USAGE.forEach((line) => io.out(line));
    return name === undefined ? USAGE_ERROR : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`govbot: unknown command "${name}"`);
    USAGE.forEach((line) => io.err(line));
    return USAGE_ERROR;
  }
  return command(rest, io);
}
