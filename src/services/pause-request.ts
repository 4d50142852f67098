import { ARTICLE_12A_IN_FORCE, WAIT_WORDS, isAwaitingKind, type RequestClock } from '../domain/request-clock.js';
import { formatDateWithWeekday } from '../domain/dates.js';
import { err, ok, type Result } from '../domain/result.js';
import type { Actor } from '../chat/actor.js';
import { appendAuditEvent } from '../register/audit-events.js';
import { openPause, type PauseKind } from '../register/pauses.js';
import { markIdentityEvidence } from '../register/requests.js';
import { refreshRequestCard } from './card-messages.js';
import type { ServiceContext } from './context.js';
import { clockEnv, loadClock, syncClock } from './request-clock.js';
import { lockOpenRequest } from './request-changes.js';

export type { PauseKind };

export const PAUSE_KINDS: Readonly<Record<PauseKind, string>> = {
  identity: 'identity evidence',
  authority: "the agent's proof of authority",
  clarification: 'clarification',
  fee: 'a fee',
};

/** A fee is only for a manifestly unfounded or excessive request (Art 12(5)): the finding comes first. */
export const FEE_GROUNDS = ['unfounded', 'excessive'] as const;

export interface PauseInput {
  readonly reference: string;
  readonly kind: PauseKind;
  readonly note: string | null;
}

export interface Paused {
  readonly reference: string;
  readonly kind: PauseKind;
  readonly clock: RequestClock;
}

/**
 * Records that something was asked of the individual (Art 12A, DESIGN §2). Identity, authority and a
 * fee mean the clock has not started: it starts afresh on the day the answer arrives. Clarification
 * stops a running clock, for access requests received from 5 February 2026 only. A clock that has
 * run out cannot be stopped. Every refusal names the rule and changes nothing.
 */
export async function pauseRequest(ctx: ServiceContext, by: Actor, input: PauseInput): Promise<Result<Paused>> {
  const now = ctx.clock();
  const env = clockEnv(ctx.config, now);
  const today = env.today;
  return ctx.db.transaction(async (trx): Promise<Result<Paused>> => {
    const found = await lockOpenRequest(trx, input.reference);
    if (!found.ok) return found;
    const request = found.value;
    const ref = request.reference;
    const clock = await loadClock(trx, request, env);
    const problem = refusal(request, clock, input);
    if (problem !== null) return err(problem);
    const opened = await openPause(trx, { request_id: request.id, kind: input.kind, note: input.note, paused_on: today, paused_by: by.key });
    if (!opened) return err(`${ref} is already waiting; record the arrival with /dsr resume ${ref} first.`);
    if (input.kind === 'identity' || input.kind === 'authority') await markIdentityEvidence(trx, request.id, 'pending', 'evidence-requested');
    const synced = await syncClock(trx, request, env);
    await appendAuditEvent(trx, {
      actor: by.key, action: 'request.paused', subject: ref, occurredAt: now,
      // The note is free text that may name the individual: it stays on the pause row, not in the chain.
      facts: {
        kind: input.kind, paused_on: today, note_given: input.note !== null,
        effect: isAwaitingKind(input.kind) ? 'clock not started until it arrives' : 'clock stopped',
        ...(input.kind === 'fee' ? { grounds: feeGrounds(input.note) } : {}),
      },
    });
    await refreshRequestCard(trx, request.id, env);
    return ok({ reference: ref, kind: input.kind, clock: synced.clock });
  });
}

function refusal(request: { reference: string; type: string; status: string; agent_name: string | null; controller: string | null; received_on: string }, clock: RequestClock, input: PauseInput): string | null {
  const ref = request.reference;
  if (request.controller !== null) {
    return `${ref} is about data the company processes for ${request.controller}: its clock is the controller's, and identity is theirs to check. Pass it on, then record it with /dsr forwarded ${ref}.`;
  }
  if (clock.state === 'awaiting' || clock.state === 'stopped') {
    const what = WAIT_WORDS[clock.waitingFor ?? 'identity'].awaiting;
    return `${ref} is already waiting for ${what} (since ${clock.since ?? ''}); when it arrives record it with /dsr resume ${ref} [--on YYYY-MM-DD], then ask for the next thing.`;
  }
  if (clock.state === 'overdue') {
    return `The clock of ${ref} ran out on ${formatDateWithWeekday(clock.due ?? '')}: a clock that has run out cannot be stopped or restarted (Art 12A). Respond now, and explain the delay to the individual.`;
  }
  if (input.kind === 'clarification') {
    if (clock.rule === 'pre-2026') {
      return `${ref} was received on ${request.received_on}, before Article 12A came into force on ${ARTICLE_12A_IN_FORCE}: under the old Art 12(3) its clock cannot be stopped for clarification. Ask, and answer within the period (extend with /dsr extend if it is complex).`;
    }
    if (request.type !== 'access') {
      return `Only an access request can stop the clock for clarification (Art 12A: where more information is needed to identify what an Art 15 request is about); the clock of this ${request.type} request keeps running. Ask anyway, or extend with /dsr extend if it is complex.`;
    }
  }
  if ((input.kind === 'identity' || input.kind === 'authority') && request.status !== 'received') {
    // Once the committee has accepted identity (and authority with it) there is nothing left to ask for.
    return `${ref} has its identity check decided already, so there is no ${PAUSE_KINDS[input.kind]} to wait for.`;
  }
  if (input.kind === 'authority' && request.agent_name === null) {
    return `${ref} was not made by an agent, so there is no proof of authority to ask for; ask for identity instead.`;
  }
  if (input.kind === 'fee' && feeGrounds(input.note) === null) {
    return `A fee may be charged only for a manifestly unfounded or excessive request (Art 12(5)), and the finding comes first: say which and why, e.g. /dsr pause ${ref} fee excessive "third copy of the same data this month".`;
  }
  return null;
}

function feeGrounds(note: string | null): (typeof FEE_GROUNDS)[number] | null {
  const first = note?.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
  return (FEE_GROUNDS as readonly string[]).includes(first) ? (first as (typeof FEE_GROUNDS)[number]) : null;
}
