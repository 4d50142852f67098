import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mention } from '../../src/chat/mention.js';
import * as migration from '../../migrations/20261206164000_display_names.js';
import { displayNames, namesFor } from '../../src/services/display-names.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

/**
 * The names people go by, kept per chat identity: written when new or changed, read for the member
 * tokens of what is about to be shown. Names are staff's personal data and stay out of the audit chain.
 */
let t: TestDatabase;
beforeAll(async () => { t = await createTestDatabase(); });
afterAll(async () => { await t.drop(); });

const ADA = 'teams:aaaaaaaa-0000-4000-8000-000000000001';
const updatedAt = async (identity: string) => (await t.db('display_names').where({ identity }).first<{ updated_at: Date }>('updated_at'))!.updated_at;

describe('display names', () => {
  it('keeps a name, writes it again only when it changes, and a new name replaces the old', async () => {
    const names = displayNames(t.db);
    await names.remember([{ identity: ADA, name: 'Ada Lovelace' }, { identity: 'slack:U0BEN1', name: '  Ben\nJones ' }]);
    expect(await t.db('display_names').orderBy('identity').select('identity', 'name')).toEqual([
      { identity: 'slack:U0BEN1', name: 'Ben Jones' },
      { identity: ADA, name: 'Ada Lovelace' },
    ]);
    const first = await updatedAt(ADA);
    // Another process (no cache) repeating the same name leaves the row as it was.
    await displayNames(t.db).remember([{ identity: ADA, name: 'Ada Lovelace' }]);
    expect(await updatedAt(ADA)).toEqual(first);
    await names.remember([{ identity: ADA, name: 'Ada King' }, { identity: ADA, name: 'Ada King' }]);
    expect(await t.db('display_names').where({ identity: ADA }).first()).toMatchObject({ name: 'Ada King' });
  });

  it('drops names that are empty once cleaned, and changes nothing for them', async () => {
    await displayNames(t.db).remember([{ identity: 'teams:29:1nobody', name: ' \u0000 ' }, { identity: 'teams:29:1none', name: undefined }]);
    expect(await t.db('display_names').whereIn('identity', ['teams:29:1nobody', 'teams:29:1none']).select()).toEqual([]);
  });

  it('names the members a text or a card mentions, with one query, and none at all when it mentions nobody', async () => {
    const card = { key: 'request:1', facts: [{ label: 'Logged by', value: mention(ADA) }] };
    const nameOf = await namesFor(t.db, `approved by ${mention('slack:U0BEN1')}`, card);
    expect(nameOf(ADA)).toBe('Ada King');
    expect(nameOf('slack:U0BEN1')).toBe('Ben Jones');
    expect(nameOf('teams:29:1unknown')).toBeUndefined();
  });

  it('migrates down and up again, moving names kept on committee rows', async () => {
    await t.db('committee_members').insert({ platform: 'teams', platform_user_id: 'aaaaaaaa-0000-4000-8000-0000000000c1', role: 'member', added_by: 'test', display_name: 'Cleo (playground member)' });
    await migration.down(t.db);
    expect(await t.db.schema.hasTable('display_names')).toBe(false);
    await migration.up(t.db);
    expect(await t.db('display_names').where({ identity: 'teams:aaaaaaaa-0000-4000-8000-0000000000c1' }).first()).toMatchObject({ name: 'Cleo (playground member)' });
  });
});
