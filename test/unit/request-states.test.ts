import { describe, expect, it } from 'vitest';
import {
  canTransition, describeStatus, isOpen, nextEvents, REQUEST_STATUSES, transition, type RequestEvent, type RequestStatus,
} from '../../src/domain/request-states.js';

describe('transition: every allowed move', () => {
  it.each<[RequestStatus, RequestEvent, RequestStatus]>([
    ['received', 'identity-approved', 'identity-verified'],
    ['received', 'identity-rejected', 'identity-rejected'],
    ['received', 'refusal-approved', 'refused'],
    ['received', 'withdrawn', 'withdrawn'],
    ['identity-verified', 'action-approved', 'action-approved'],
    ['identity-verified', 'refusal-approved', 'refused'],
    ['identity-verified', 'withdrawn', 'withdrawn'],
    ['identity-verified', 'closed-completed', 'completed'],
    ['action-approved', 'action-executed', 'completed'],
    ['action-approved', 'withdrawn', 'withdrawn'],
    ['action-approved', 'closed-completed', 'completed'],
    // Processor route: passed to the controller with no identity check of ours (Art 28(3)(e)).
    ['received', 'forward-approved', 'action-approved'],
    ['received', 'forwarded', 'completed'],
    ['identity-verified', 'forwarded', 'completed'],
    ['action-approved', 'forwarded', 'completed'],
  ])('%s --%s--> %s', (from, event, to) => {
    expect(transition(from, event)).toEqual({ ok: true, value: to });
    expect(canTransition(from, to)).toBe(true);
    expect(nextEvents(from)).toContain(event);
  });
});

describe('transition: disallowed moves explain themselves', () => {
  it.each<[RequestStatus, RequestEvent, string]>([
    ['received', 'action-approved', 'Cannot approve the action: the request is received, awaiting identity check. From here you can approve the identity'],
    ['received', 'action-executed', 'Cannot carry out the action'],
    ['received', 'closed-completed', 'Cannot close the request as completed'],
    ['identity-verified', 'identity-approved', 'identity verified, awaiting action approval'],
    ['identity-verified', 'action-executed', 'or withdraw the request'],
    ['action-approved', 'refusal-approved', 'Cannot refuse the request'],
    ['action-approved', 'identity-rejected', 'Cannot reject the identity'],
    ['completed', 'withdrawn', 'A closed request does not change'],
    ['withdrawn', 'identity-approved', 'closed: withdrawn'],
    ['refused', 'action-approved', 'closed: refused'],
    ['identity-rejected', 'identity-approved', 'closed: identity not verified'],
    ['completed', 'forwarded', 'A closed request does not change'],
  ])('%s --%s--> refused: %j', (from, event, says) => {
    const result = transition(from, event);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain(says);
  });

  it.each<[RequestStatus, RequestStatus]>([
    ['identity-verified', 'received'],
    ['identity-rejected', 'completed'],
    ['refused', 'action-approved'],
    ['completed', 'received'],
    ['withdrawn', 'received'],
    ['refused', 'completed'],
  ])('canTransition(%s, %s) is false', (from, to) => {
    expect(canTransition(from, to)).toBe(false);
  });
});

describe('isOpen', () => {
  it.each<[RequestStatus, boolean]>([
    ['received', true], ['identity-verified', true], ['action-approved', true],
    ['completed', false], ['identity-rejected', false], ['refused', false], ['withdrawn', false],
  ])('%s: %s', (status, open) => {
    expect(isOpen(status)).toBe(open);
    // closed requests go nowhere; open ones always can be withdrawn
    expect(nextEvents(status).length > 0).toBe(open);
  });

  it('labels every status', () => {
    expect(Object.keys(REQUEST_STATUSES)).toHaveLength(7);
  });
});

describe('describeStatus', () => {
  it('says what a processor-route request waits for: forwarding, not an identity check', () => {
    expect(describeStatus('received', true)).toBe('received, to forward to the controller');
    expect(describeStatus('completed', true)).toBe('completed: passed to the controller');
    expect(describeStatus('received', false)).toBe(REQUEST_STATUSES.received);
  });
});
