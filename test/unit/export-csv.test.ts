import { describe, expect, it } from 'vitest';
import facts from '../../src/domain/notice-facts.json' with { type: 'json' };
import { missingFacts, supplementaryInformation } from '../../src/domain/notice-facts.js';
import { csvLine, formulaSafe } from '../../src/services/actions/export-file.js';

/** OWASP, CSV injection: a cell starting with =, +, -, @, tab or carriage return is run as a formula. */
describe('formula-safe CSV cells', () => {
  it.each([
    ['=HYPERLINK("http://evil.example","x")', `'=HYPERLINK("http://evil.example","x")`],
    ['+44 7700 900123', `'+44 7700 900123`],
    ['-2+3', `'-2+3`],
    ['@SUM(A1:A2)', `'@SUM(A1:A2)`],
    ['\t=1', `'\t=1`],
    ['\r=1', `'\r=1`],
    ['Jane = Doe', 'Jane = Doe'],
    ['', ''],
  ])('%j → %j', (value, expected) => {
    expect(formulaSafe(value)).toBe(expected);
  });

  it('leaves numbers, booleans and nulls alone, and still quotes per RFC 4180', () => {
    expect(csvLine([-5, true, null, '=1+1', 'a,"b"', '=x,y'])).toBe(`-5,true,,'=1+1,"a,""b""","'=x,y"`);
  });
});

describe('notice facts (src/domain/notice-facts.json)', () => {
  it('holds every item of Art 15(1)(a)-(h) and 15(2)', () => {
    expect(missingFacts(facts)).toEqual([]);
  });

  it('names a missing item', () => {
    const { transfers: _t, ...withoutTransfers } = facts;
    expect(missingFacts({ ...withoutTransfers, purposes: [] })).toEqual(['purposes', 'transfers']);
  });

  it('names recipients from the Article 30 register when it has any, the notice\'s examples otherwise', () => {
    expect(supplementaryInformation(facts, [{ name: 'HubSpot', purpose: 'CRM' }]).recipients).toMatchObject({ names: ['HubSpot (CRM)'] });
    expect(supplementaryInformation(facts, []).recipients).toMatchObject({ names: facts.recipients.examples });
    expect(JSON.stringify(supplementaryInformation(facts, []))).not.toContain('"source"');
  });
});
