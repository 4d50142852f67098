import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { createKnex, type Db } from '../../src/register/database.js';
import { withDatabase } from './global-setup.js';

export interface TestDatabase {
  readonly db: Db;
  readonly url: string;
  readonly name: string;
  drop(): Promise<void>;
}

/** A fresh, migrated database of its own for one test file (or one test), copied from the template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = inject('serverUrl');
  const template = inject('templateDatabase');
  const name = `govbot_test_${template.split('_').pop()}_${randomBytes(5).toString('hex')}`;
  const admin = createKnex(serverUrl, { min: 0, max: 1 });
  try {
    await admin.raw(`create database ${name} template ${template}`);
  } finally {
    await admin.destroy();
  }
  const url = withDatabase(serverUrl, name);
  const db = createKnex(url, { min: 0, max: 10 });
  return {
    db,
    url,
    name,
    drop: async () => {
      await db.destroy();
      const dropper = createKnex(serverUrl, { min: 0, max: 1 });
      await dropper.raw(`drop database if exists ${name} with (force)`);
      await dropper.destroy();
    },
  };
}
