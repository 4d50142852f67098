import { describe, expect, it } from 'vitest';
import { castVote, tally, type Decision, type Proposal, type Vote, type VoteInput } from '../../src/domain/approvals.js';

const open: Proposal = { status: 'open', quorum: 2, requestedBy: 'slack:UASKER' };
const member = (memberId: string) => ({ memberId, isMember: true });
const approve = (memberId: string): Vote => ({ memberId, decision: 'approve' });
const reject = (memberId: string): Vote => ({ memberId, decision: 'reject' });

type Overrides = Partial<VoteInput> & { decision: Decision };

function vote(overrides: Overrides): ReturnType<typeof castVote> {
  return castVote({ proposal: open, votes: [], voter: member('slack:UALICE'), ...overrides });
}

describe('castVote: accepted votes', () => {
  it.each<[string, Overrides, string, string[], string[], string]>([
    ['first approval of two', { decision: 'approve' }, 'pending', ['slack:UALICE'], [], '1 of 2 approvals'],
    ['second approval of two', { decision: 'approve', votes: [approve('slack:UBOB')] }, 'approved', ['slack:UBOB', 'slack:UALICE'], [], '2 of 2 approvals'],
    ['a quorum of one', { decision: 'approve', proposal: { ...open, quorum: 1 } }, 'approved', ['slack:UALICE'], [], '1 of 1 approval'],
    ['one rejection with a reason decides', { decision: 'reject', reason: 'ID expired', votes: [approve('slack:UBOB')] }, 'rejected', ['slack:UBOB'], ['slack:UALICE'], '1 of 2 approvals'],
    ['the requester may reject their own proposal', { decision: 'reject', reason: 'logged in error', voter: member('slack:UASKER') }, 'rejected', [], ['slack:UASKER'], '0 of 2 approvals'],
    ['a sweep nobody asked for can be approved by anyone', { decision: 'approve', proposal: { ...open, requestedBy: null } }, 'pending', ['slack:UALICE'], [], '1 of 2 approvals'],
  ])('%s', (_what, input, outcome, approvals, rejections, summary) => {
    const result = vote(input);
    expect(result).toMatchObject({ ok: true, outcome, approvals, rejections, needed: input.proposal?.quorum ?? 2, summary });
  });
});

describe('castVote: refused votes', () => {
  it.each<[string, string, Overrides, string]>([
    ['a non-member', 'not-member', { decision: 'approve', voter: { memberId: 'slack:UEVE', isMember: false } }, '/gov members add'],
    ['approving what you asked for', 'self-approval', { decision: 'approve', voter: member('slack:UASKER') }, 'another committee member'],
    ['a second click', 'already-voted', { decision: 'approve', votes: [approve('slack:UALICE')] }, 'already voted to approve'],
    ['changing your mind', 'already-voted', { decision: 'reject', reason: 'second thoughts', votes: [approve('slack:UALICE')] }, 'vote stands'],
    ['a rejection without a reason', 'reason-required', { decision: 'reject' }, 'say why'],
    ['a rejection with a blank reason', 'reason-required', { decision: 'reject', reason: '   ' }, 'say why'],
    ['voting on an approved proposal', 'decided', { decision: 'approve', proposal: { ...open, status: 'approved' } }, 'already been approved'],
    ['rejecting an approved proposal', 'decided', { decision: 'reject', reason: 'late', proposal: { ...open, status: 'approved' } }, 'already been approved'],
    ['voting on a rejected proposal', 'decided', { decision: 'approve', proposal: { ...open, status: 'rejected' } }, 'new proposal'],
    ['voting on a superseded proposal', 'decided', { decision: 'approve', proposal: { ...open, status: 'superseded' } }, 'latest card'],
    ['voting on a cancelled proposal', 'decided', { decision: 'approve', proposal: { ...open, status: 'cancelled' } }, 'cancelled'],
    ['the deciding voter clicking again after approval', 'already-voted', { decision: 'approve', proposal: { ...open, status: 'approved' }, votes: [approve('slack:UBOB'), approve('slack:UALICE')] }, 'already voted'],
    ['the requester on a decided proposal', 'decided', { decision: 'approve', voter: member('slack:UASKER'), proposal: { ...open, status: 'rejected' } }, 'rejected'],
  ])('%s → %s', (_what, code, input, says) => {
    const result = vote(input);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.code).toBe(code);
      expect(result.message).toContain(says);
    }
  });
});

describe('tally', () => {
  it.each([
    [[], 2, 'pending', 0, 2, '0 of 2 approvals'],
    [[approve('a')], 2, 'pending', 1, 1, '1 of 2 approvals'],
    [[approve('a'), approve('a')], 2, 'pending', 1, 1, '1 of 2 approvals'], // a retried delivery counts once
    [[approve('a'), approve('b')], 2, 'approved', 2, 0, '2 of 2 approvals'],
    [[approve('a'), approve('b'), approve('c')], 2, 'approved', 3, 0, '3 of 2 approvals'],
    [[approve('a'), reject('b')], 2, 'rejected', 1, 1, '1 of 2 approvals'],
    [[reject('a'), approve('a')], 1, 'rejected', 0, 1, '0 of 1 approval'], // first vote per member counts
  ])('%j with quorum %i → %s, %i approvals, %i remaining', (votes, quorum, outcome, count, remaining, summary) => {
    const result = tally(votes, quorum);
    expect(result).toMatchObject({ outcome, needed: quorum, remaining, summary });
    expect(result.approvals).toHaveLength(count);
  });

  it.each([0, -1, 1.5])('refuses a quorum of %d as a fault', (quorum) => {
    expect(() => tally([], quorum)).toThrow(RangeError);
  });
});
