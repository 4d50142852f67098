import { describe, expect, it } from 'vitest';
import { cleanName, MAX_NAME } from '../../src/services/display-names.js';
import { namesInActivity } from '../../src/teams/activity-names.js';
import { usersIn } from '../../src/slack/user-names.js';

describe('cleanName: a name as a platform gave it, safe to keep and show', () => {
  it.each([
    ['Ada Lovelace', 'Ada Lovelace'],
    ['  Ada \n\t Lovelace  ', 'Ada Lovelace'],
    ['Ada\u0000\u202eLovelace', 'Ada Lovelace'], // control and bidi override characters
    ['⟨member:slack:U1⟩', 'member:slack:U1'], // cannot become a mention token on a card
    ['', null],
    ['   ', null],
    [42, null],
    [undefined, null],
  ])('%j → %j', (raw, expected) => {
    expect(cleanName(raw)).toBe(expected);
  });

  it(`keeps at most ${MAX_NAME} characters, never splitting one`, () => {
    const name = cleanName('😀'.repeat(150))!;
    expect([...name]).toHaveLength(MAX_NAME);
    expect(name.endsWith('😀')).toBe(true);
  });
});

describe('namesInActivity: whom a Teams activity names', () => {
  const bot = { id: '28:bot', name: 'govbot' };
  it('names the sender under both of their ids, and each person mentioned, but not the bot', () => {
    expect(namesInActivity({
      from: { id: '29:1ada', aadObjectId: 'aaaa-1', name: 'Ada Lovelace' },
      recipient: bot,
      entities: [
        { type: 'mention', text: '<at>govbot</at>', mentioned: bot },
        { type: 'mention', text: '<at>Ben Jones</at>', mentioned: { id: '29:1ben' } },
        { type: 'mention', text: '<at>Cleo</at>', mentioned: { id: '29:1cleo', aadObjectId: 'aaaa-3', name: 'Cleo Smith' } },
      ],
    })).toEqual([
      { identity: 'teams:aaaa-1', name: 'Ada Lovelace' },
      { identity: 'teams:29:1ada', name: 'Ada Lovelace' },
      { identity: 'teams:29:1ben', name: 'Ben Jones' },
      { identity: 'teams:aaaa-3', name: 'Cleo Smith' },
      { identity: 'teams:29:1cleo', name: 'Cleo Smith' },
    ]);
  });

  it('names the Emulator\'s user, who has no Entra id, once', () => {
    expect(namesInActivity({ from: { id: 'user-1', name: 'User' }, recipient: bot })).toEqual([{ identity: 'teams:user-1', name: 'User' }]);
  });
});

describe('usersIn: whose Slack names to look up', () => {
  it.each([
    [{ user_id: 'U0AAA1', text: 'members add <@U0BBB2|ben> chair' }, ['U0AAA1', 'U0BBB2']],
    [{ user: { id: 'U0AAA1' }, actions: [] }, ['U0AAA1']],
    [{ event: { type: 'app_home_opened', user: 'W0AAA1' } }, ['W0AAA1']],
    [{ user_id: 'not-an-id' }, []],
    [null, []],
  ])('%j → %j', (body, ids) => {
    expect(usersIn(body)).toEqual(ids);
  });
});
