import { describe, expect, it } from 'vitest';
import {
  approvalsNeeded, CHANNELS, parseChannel, parseRequestType, REQUEST_TYPE_NAMES, REQUEST_TYPES,
  type Channel, type RequestType,
} from '../../src/domain/request-types.js';

describe('parseRequestType', () => {
  it.each<[string, RequestType]>([
    ['access', 'access'], ['ACCESS', 'access'], ['sar', 'access'], ['DSAR', 'access'], ['subject-access', 'access'],
    ['subject access', 'access'],
    ['erasure', 'erasure'], ['delete', 'erasure'], ['erase', 'erasure'], ['forget', 'erasure'], ['rtbf', 'erasure'],
    ['do-not-contact', 'do-not-contact'], ['Do not contact', 'do-not-contact'], ['opt-out', 'do-not-contact'],
    ['unsubscribe', 'do-not-contact'],
    ['withdraw-consent', 'withdraw-consent'], ['withdraw', 'withdraw-consent'], ['consent', 'withdraw-consent'],
    ['withdraw_consent', 'withdraw-consent'],
    ['rectification', 'rectification'], ['correct', 'rectification'], ['rectify', 'rectification'],
    ['restriction', 'restriction'], ['restrict', 'restriction'],
    ['objection', 'objection'], ['object', 'objection'],
    ['portability', 'portability'], ['port', 'portability'], ['export', 'portability'],
  ])('%j → %s', (word, expected) => {
    expect(parseRequestType(word)).toEqual({ ok: true, value: expected });
  });

  it.each(['remove-me', '', 'toString', 'constructor'])('rejects %j and lists every type', (word) => {
    const result = parseRequestType(word);
    expect(result.ok).toBe(false);
    if (!result.ok) for (const type of REQUEST_TYPE_NAMES) expect(result.error).toContain(type);
  });

  it('has a label for each of the eight types', () => {
    expect(REQUEST_TYPE_NAMES).toEqual([
      'access', 'rectification', 'erasure', 'objection', 'restriction', 'portability', 'withdraw-consent', 'do-not-contact',
    ]);
    for (const type of REQUEST_TYPE_NAMES) expect(REQUEST_TYPES[type].length).toBeGreaterThan(0);
  });
});

describe('approvalsNeeded', () => {
  it.each<[RequestType, number, number]>([
    ['erasure', 2, 2],
    ['erasure', 3, 3],
    ['access', 2, 1],
    // Rectification rewrites the record of a person: a second pair of eyes, like erasure (security finding 4).
    ['rectification', 2, 2],
    ['rectification', 3, 3],
    ['objection', 2, 1],
    ['restriction', 2, 1],
    ['portability', 2, 1],
    ['withdraw-consent', 2, 1],
    ['do-not-contact', 2, 1],
  ])('%s with APPROVAL_QUORUM %i needs %i', (type, quorum, expected) => {
    expect(approvalsNeeded(type, quorum)).toBe(expected);
  });
});

describe('parseChannel', () => {
  it.each<[string, Channel]>([
    ['email', 'email'], ['E-mail', 'email'], ['phone', 'phone'], ['telephone', 'phone'], ['web', 'web'],
    ['online', 'web'], ['post', 'post'], ['letter', 'post'], ['in-person', 'in-person'], ['in person', 'in-person'],
  ])('%j → %s', (word, expected) => {
    expect(parseChannel(word)).toEqual({ ok: true, value: expected });
  });

  it.each(['fax', '', 'constructor'])('rejects %j and lists the channels', (word) => {
    const result = parseChannel(word);
    expect(result.ok).toBe(false);
    if (!result.ok) for (const channel of CHANNELS) expect(result.error).toContain(channel);
  });
});
