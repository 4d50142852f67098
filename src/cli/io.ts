import type { Config } from '../config.js';

export interface CliIo {
  loadConfig: () => Config;
  out: (line: string) => void;
  err: (line: string) => void;
  /** The clock; injected so tests can pin it. */
  now?: () => Date;
}

export const USAGE_ERROR = 2;

export const USAGE = [
  'usage: govbot <command>',
  '',
  '  migrate                                   apply database migrations',
  '  deadline <YYYY-MM-DD> [--region R] [--paused-days N] [--extended]',
  '                                            the statutory due date for a request received that day',
  '  import contacts <file.csv>                load or update the register from a CRM export',
  '  seed --demo [--contacts N]                a synthetic register for trying govbot',
  '  audit verify                              check the audit chain',
  '  jobs list | jobs run <name>               scheduled jobs; run one now',
  '  report [--quarter YYYY-Qn] [--out DIR]    the accountability report (HTML) and request log (CSV)',
  '  doctor                                    check configuration, database and chat set-up',
];
