import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from '../../src/errors.js';

/**
 * Which failures mean "the database is away, wait and retry quietly" and which are real faults to
 * report with their stack. PostgreSQL's SQLSTATE classes: 08 connection exception, 57P01–57P03
 * operator intervention (admin or crash shutdown, cannot connect now).
 */
const socket = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code, syscall: 'connect' });
const sqlstate = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
  it.each([
    ['server not listening (pg connect)', socket('ECONNREFUSED'), true],
    ['connection reset under a query', socket('ECONNRESET'), true],
    ['57P01 terminating connection due to administrator command', sqlstate('57P01', 'terminating connection due to administrator command'), true],
    ['57P03 the database system is starting up', sqlstate('57P03', 'the database system is starting up'), true],
    ['08006 connection failure', sqlstate('08006', 'connection failure'), true],
    ['pg: a client whose socket broke mid-transaction', new Error('COMMIT; - Client has encountered a connection error and is not queryable'), true],
    ['pg: the server went away', new Error('Connection terminated unexpectedly'), true],
    ['knex: no connection within acquireConnectionTimeout', Object.assign(new Error('Knex: Timeout acquiring a connection. The pool is probably full.'), { name: 'KnexTimeoutError' }), true],
    ['23505 unique violation: a real fault', sqlstate('23505', 'duplicate key value violates unique constraint'), false],
    ['42P01 undefined table: a real fault', sqlstate('42P01', 'relation "nope" does not exist'), false],
    ['an HTTP client\'s ECONNRESET (no syscall): the chat platform, not the database', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), false],
    ['a plain bug', new TypeError('cannot read properties of undefined'), false],
    ['not an error at all', 'ECONNREFUSED', false],
  ])('%s → %s', (_what, error, expected) => {
    expect(isDatabaseUnavailable(error)).toBe(expected);
  });
});
