import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GovbotError } from '../errors.js';

export interface Account { uid: number; gid: number }

/**
 * PostgreSQL refuses to run as root. When the service runs as root it runs the database as the
 * system's `postgres` account instead, creating that account if the machine has none.
 */
export function postgresAccount(): Account | null {
  if (os.userInfo().uid !== 0) return null;
  const found = lookup();
  if (found) return found;
  try {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'], { stdio: 'pipe' });
  } catch (error) {
    throw new GovbotError('EMBEDDED_POSTGRES_ACCOUNT',
      `running as root, the embedded database needs a "postgres" system account and creating it failed (${String(error).split('\n')[0]}): create it with useradd, run govbot as an ordinary user, or set DATABASE_URL`);
  }
  const created = lookup();
  if (!created) throw new GovbotError('EMBEDDED_POSTGRES_ACCOUNT', 'the "postgres" account was created but cannot be found: check /etc/passwd');
  return created;
}

function lookup(): Account | null {
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { stdio: 'pipe' }).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { stdio: 'pipe' }).toString().trim());
    return { uid, gid };
  } catch {
    return null;
  }
}

/**
 * Returns a directory for the cluster that the database account can reach, creating it. As root,
 * a DATA_DIR inside a folder the postgres account cannot traverse (a checkout under /root, a mktemp
 * folder) would make initdb fail with a cryptic message, so the cluster goes to a fixed place under
 * /var/lib/govbot derived from DATA_DIR instead: it still survives restarts, and the log says where.
 */
export function placeReachableByPostgres(directory: string, account: Account | null, log: (message: string) => void): string {
  if (!account) {
    ensureOwnedDirectory(directory);
    return directory;
  }
  const blocked = firstUntraversable(path.dirname(directory), account);
  let place = directory;
  if (blocked) {
    const digest = createHash('sha256').update(directory).digest('hex').slice(0, 16);
    place = path.join('/var/lib/govbot', digest, 'postgres');
    log(`the postgres account cannot reach ${blocked} (mode ${modeOf(blocked)}), so the database for ${directory} is kept in ${place}; set DATA_DIR to a directory outside it to keep everything together`);
    fs.mkdirSync(path.dirname(place), { recursive: true, mode: 0o755 });
    fs.chmodSync('/var/lib/govbot', 0o755);
    fs.chmodSync(path.dirname(place), 0o755);
  } else {
    fs.mkdirSync(path.dirname(directory), { recursive: true });
  }
  if (fs.existsSync(place)) {
    fs.chownSync(place, account.uid, account.gid);
    fs.chmodSync(place, 0o700);
  }
  return place;
}

function ensureOwnedDirectory(directory: string): void {
  try {
    fs.mkdirSync(directory, { recursive: true, mode: 0o700 });
    fs.accessSync(directory, fs.constants.W_OK | fs.constants.X_OK);
    fs.accessSync(path.dirname(directory), fs.constants.W_OK | fs.constants.X_OK);
  } catch (error) {
    const owner = ownerOf(directory);
    throw new GovbotError('DATA_DIR_UNUSABLE',
      `cannot write to ${directory}${owner === null ? '' : ` (owned by uid ${owner})`}: ${(error as NodeJS.ErrnoException).code ?? error}. Set DATA_DIR to a directory you own, e.g. DATA_DIR=$HOME/.govbot`);
  }
  const owner = ownerOf(directory);
  if (owner !== null && owner !== os.userInfo().uid) {
    throw new GovbotError('DATA_DIR_UNUSABLE',
      `${directory} belongs to uid ${owner}, not to you (uid ${os.userInfo().uid}); PostgreSQL only runs on a data directory its user owns. Set DATA_DIR to a directory you own, e.g. DATA_DIR=$HOME/.govbot`);
  }
}

function firstUntraversable(start: string, account: Account): string | null {
  const chain: string[] = [];
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    chain.unshift(dir);
    if (dir === path.dirname(dir)) break;
  }
  for (const dir of chain) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(dir);
    } catch {
      return null; // not created yet: everything below is ours to create, world-traversable
    }
    const traversable = stat.uid === account.uid ? (stat.mode & 0o100) !== 0
      : stat.gid === account.gid ? (stat.mode & 0o010) !== 0
        : (stat.mode & 0o001) !== 0;
    if (!traversable) return dir;
  }
  return null;
}

function ownerOf(directory: string): number | null {
  try {
    return fs.statSync(directory).uid;
  } catch {
    return null;
  }
}

function modeOf(directory: string): string {
  return (fs.statSync(directory).mode & 0o777).toString(8).padStart(4, '0');
}

/**
 * The PostgreSQL binaries ship inside node_modules. As root, a checkout the postgres account cannot
 * traverse (under /root, in a mktemp folder) makes them unrunnable for it, so they are copied once
 * to /var/lib/govbot/postgres-<version>, a place it can reach.
 */
export function binariesReachableByPostgres<T extends { initdb: string; postgres: string }>(binaries: T, account: Account | null, log: (message: string) => void): T {
  if (!account) return binaries;
  const native = path.dirname(path.dirname(binaries.postgres));
  if (!firstUntraversable(native, account)) return binaries;
  const version = readVersion(path.join(native, '..', 'package.json'));
  const target = path.join('/var/lib/govbot', `postgres-${version}`);
  if (!fs.existsSync(path.join(target, '.complete'))) {
    const scratch = `${target}.copy-${process.pid}`;
    fs.rmSync(scratch, { recursive: true, force: true });
    fs.mkdirSync('/var/lib/govbot', { recursive: true, mode: 0o755 });
    fs.chmodSync('/var/lib/govbot', 0o755);
    fs.cpSync(native, scratch, { recursive: true, verbatimSymlinks: true });
    fs.chmodSync(scratch, 0o755);
    fs.writeFileSync(path.join(scratch, '.complete'), `${version}\n`);
    try {
      fs.renameSync(scratch, target);
    } catch {
      fs.rmSync(scratch, { recursive: true, force: true }); // another process copied it first
    }
    log(`copied the PostgreSQL binaries to ${target}: the postgres account cannot reach ${native}`);
  }
  const relocate = (file: string) => path.join(target, path.relative(native, file));
  return { ...binaries, initdb: relocate(binaries.initdb), postgres: relocate(binaries.postgres) };
}

function readVersion(file: string): string {
  try {
    return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
