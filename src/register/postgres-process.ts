import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/**
 * The embedded PostgreSQL server as a process: its lock file, whether it still runs, who launched
 * it, and stopping it. Split from embedded-postgres.ts, which decides what to do with these facts.
 */

export function readOwner(file: string): number {
  try {
    const pid = Number(fs.readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 && pid !== process.pid ? pid : 0;
  } catch {
    return 0;
  }
}

export interface Server { pid: number; port: number }

/** After a kill -9 of the service its postgres child lives on; take it over rather than fight it. */
export function adoptRunningServer(directory: string): Server | null {
  const lock = readLockFile(directory);
  if (!lock || !isAlive(lock.pid)) return null;
  const cmdline = readCmdline(lock.pid);
  if (!cmdline.includes('postgres')) return null;
  return lock;
}

export function removeStaleLockFile(directory: string): void {
  fs.rmSync(path.join(directory, 'postmaster.pid'), { force: true });
}

export function readLockFile(directory: string): Server | null {
  try {
    const lines = fs.readFileSync(path.join(directory, 'postmaster.pid'), 'utf8').split('\n');
    const pid = Number(lines[0]);
    const port = Number(lines[3]);
    return Number.isInteger(pid) && pid > 0 && Number.isInteger(port) && port > 0 ? { pid, port } : null;
  } catch {
    return null;
  }
}

export function readCmdline(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return 'postgres'; // no /proc (macOS): trust the lock file
  }
}

export function isAlive(pid: number): boolean {
  if (pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

export async function stopServer(pid: number): Promise<void> {
  if (!isAlive(pid)) return;
  process.kill(pid, 'SIGINT'); // "fast" shutdown: roll back open transactions, checkpoint, exit
  const deadline = Date.now() + 30_000;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  if (isAlive(pid)) process.kill(pid, 'SIGQUIT');
}
