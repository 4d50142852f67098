import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The compiled service and CLI, run as real processes the way an operator runs them. */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const MAIN = path.join(root, 'dist/src/main.js');
export const CLI = path.join(root, 'dist/src/cli.js');

export function requireBuild(): void {
  if (!fs.existsSync(MAIN) || !fs.existsSync(CLI)) throw new Error('dist/ is missing: run npm run build (npm test does it first)');
}

/** A scratch directory the embedded database can live in (as root, reachable by postgres). */
export function scratchDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.chmodSync(dir, 0o755);
  return dir;
}

/** The variables a test process gets: nothing from the developer's own shell that could leak in. */
export function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'info', ...extra };
}

export interface RunningService {
  readonly child: ChildProcess;
  readonly port: number;
  output(): string;
  /** Resolves with the exit code (or the signal name). */
  exited: Promise<number | string>;
}

/** `nodeArgs`: flags for node itself, e.g. `--cpu-prof` (which NODE_OPTIONS refuses). */
export async function startServiceProcess(env: NodeJS.ProcessEnv, cwd: string, timeoutMs = 60_000, nodeArgs: readonly string[] = []): Promise<RunningService> {
  const child = spawn(process.execPath, [...nodeArgs, MAIN], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  child.stderr!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`service did not start within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    // Once ready, the output is only kept: searched on every chunk, a service logging a line per
    // request cost the bench process (beside the service, on the same cores) 0.6 s per 1,000.
    const check = () => {
      const match = /listening on http:\/\/[^:]+:(\d+)/.exec(output);
      if (match && output.includes('govbot is ready')) {
        clearTimeout(timer);
        child.stdout!.off('data', check);
        child.stderr!.off('data', check);
        resolve(Number(match[1]));
      }
    };
    child.stdout!.on('data', check);
    child.stderr!.on('data', check);
    void exited.then((code) => { clearTimeout(timer); reject(new Error(`service exited (${code}) before it was ready:\n${output}`)); });
  });
  return { child, port, output: () => output, exited };
}

export interface CliResult { code: number; stdout: string; stderr: string }

export function runCli(args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<CliResult> {
  return runNode(CLI, args, env, cwd);
}

export function runNode(script: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, ...args], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
