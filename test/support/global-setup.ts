import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { createKnex } from '../../src/register/database.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/register/embedded-postgres.js';
import { migrateToLatest } from '../../src/register/migrations.js';

/**
 * One PostgreSQL for the whole run: DATABASE_URL when set, otherwise an embedded cluster in a
 * scratch directory. Migrations run once into a template database; each test file then works in its
 * own copy (see test-database.ts), so files run in parallel without seeing each other's rows.
 */
declare module 'vitest' {
  export interface ProvidedContext {
    serverUrl: string;
    templateDatabase: string;
  }
}

let embedded: EmbeddedPostgres | null = null;
let scratch: string | null = null;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let serverUrl: string;
  if (process.env.DATABASE_URL) {
    serverUrl = process.env.DATABASE_URL;
  } else {
    // Under /tmp and world-traversable, so that as root the postgres account can reach it.
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-test-'));
    fs.chmodSync(scratch, 0o755);
    embedded = await startEmbeddedPostgres({
      dataDir: scratch,
      database: 'postgres',
      log: () => undefined,
      settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off', max_connections: '300' },
    });
    serverUrl = embedded.url;
  }
  const templateDatabase = `govbot_template_${process.pid}`;
  const admin = createKnex(serverUrl, { min: 0, max: 1 });
  await admin.raw(`drop database if exists ${templateDatabase}`);
  await admin.raw(`create database ${templateDatabase}`);
  const template = createKnex(withDatabase(serverUrl, templateDatabase), { min: 0, max: 1 });
  await migrateToLatest(template);
  await template.destroy();
  await admin.destroy();

  project.provide('serverUrl', serverUrl);
  project.provide('templateDatabase', templateDatabase);

  return async () => {
    const cleanup = createKnex(serverUrl, { min: 0, max: 1 });
    const leftovers = await cleanup.raw<{ rows: { datname: string }[] }>(
      `select datname from pg_database where datname like 'govbot_test_${process.pid}_%' or datname = ?`, [templateDatabase]);
    for (const { datname } of leftovers.rows) await cleanup.raw(`drop database if exists "${datname}" with (force)`);
    await cleanup.destroy();
    await embedded?.stop();
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  };
}

export function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}
