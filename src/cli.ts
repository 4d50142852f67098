#!/usr/bin/env node
import { loadConfig } from './config.js';
import { GovbotError } from './errors.js';
import { runCommand } from './cli/dispatch.js';

/** `govbot`: the operator's command line. Exit 0 on success, 1 on failure, 2 on a usage mistake. */
runCommand(process.argv.slice(2), { loadConfig, out: (line) => process.stdout.write(`${line}\n`), err: (line) => process.stderr.write(`${line}\n`) })
  .then((code) => { process.exitCode = code; })
  .catch((error: unknown) => {
    process.stderr.write(error instanceof GovbotError ? `govbot: ${error.message}\n` : `govbot: unexpected failure: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exitCode = 1;
  });
