import { USAGE, USAGE_ERROR, type CliIo } from './io.js';

type Command = (args: string[], io: CliIo) => Promise<number>;

/**
 * Each command's module is loaded when that command runs: together they pull in the chat SDKs,
 * the report renderer and the job scheduler, about a second of start-up that `govbot import`
 * or `govbot deadline` has no use for.
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  migrate: async () => (await import('./migrate.js')).migrateCommand,
  deadline: async () => (await import('./deadline.js')).deadlineCommand,
  import: async () => (await import('./import.js')).importCommand,
  seed: async () => (await import('./seed.js')).seedCommand,
  audit: async () => (await import('./audit.js')).auditCommand,
  jobs: async () => (await import('./jobs.js')).jobsCommand,
  doctor: async () => (await import('./doctor.js')).doctorCommand,
  report: async () => (await import('./report.js')).reportCommand,
};

export async function runCommand(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    USAGE.forEach((line) => io.out(line));
    return name === undefined ? USAGE_ERROR : 0;
  }
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!load) {
    io.err(`govbot: unknown command "${name}"`);
    USAGE.forEach((line) => io.err(line));
    return USAGE_ERROR;
  }
  return (await load())(rest, io);
}
