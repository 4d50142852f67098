import type { IsoDate } from '../../domain/dates.js';
import type { RequestClock } from '../../domain/request-clock.js';
import type { RequestFilter, RequestStatus } from '../../domain/request-states.js';
import type { Channel, RequestType } from '../../domain/request-types.js';
import type { ProposalFacts, VoteFacts } from './proposal-views.js';

/**
 * What the request card, `/dsr show` and `/dsr list` are rendered from: the fields they show, named
 * as the register stores them, so a service hands over what it read without copying it. The
 * services' views (services/request-view.ts, describe-request.ts, list-requests.ts) extend these.
 */

/** A request as one line of `/dsr list` shows it. */
export interface RequestLine {
  readonly id: number;
  readonly reference: string;
  readonly type: RequestType;
  readonly subject_email: string | null;
  readonly subject_name: string | null;
  /** `maskedSubject` once the address is erased; the card reads a few more facts from here. */
  readonly details: Record<string, unknown>;
  readonly status: RequestStatus;
  readonly controller: string | null;
  readonly closed_at: Date | null;
}

/** A request as its card and `/dsr show` show it. */
export interface RequestFacts extends RequestLine {
  readonly received_on: IsoDate;
  readonly received_via: Channel;
  readonly requested_by: string;
  readonly agent_name: string | null;
  readonly status_reason: string | null;
  readonly extended: boolean;
  readonly extension_reason: string | null;
}

export interface ActionFacts {
  readonly kind: string;
  readonly status: 'queued' | 'running' | 'done' | 'failed';
  readonly last_error: string | null;
  readonly result: Record<string, unknown> | null;
}

/** What the individual must be told (Art 12(3)–(4)). */
export interface NoticeFacts {
  readonly kind: string;
  readonly owed_since: IsoDate;
  readonly due_by: IsoDate;
  readonly told_on: IsoDate | null;
}

/** A recipient of the contact data owed an Art 19 notice of one change. */
export interface RecipientFacts {
  readonly processor_id: number;
  readonly processor: string;
  readonly change: string;
  readonly owed_since: Date;
  readonly told_at: Date | null;
  readonly told_by: string | null;
}

export interface RequestCardView {
  readonly request: RequestFacts;
  readonly proposals: readonly ProposalFacts[];
  readonly votes: readonly VoteFacts[];
  readonly actions: readonly ActionFacts[];
  readonly possibleRepeatOf: string | null;
  /** Complaints about this request, e.g. `CMP-2026-001 (open)`. */
  readonly complaints?: readonly string[];
  /** The statutory clock as it stands on `today` (src/domain/request-clock.ts). */
  readonly clock: RequestClock;
  readonly notices: readonly NoticeFacts[];
  readonly today: string;
  readonly recipients: readonly RecipientFacts[];
}

/** One audit event about the request, for `/dsr show`'s timeline. */
export interface TrailEvent {
  readonly occurred_at: Date;
  readonly actor: string;
  readonly action: string;
  readonly facts: Record<string, unknown>;
}

export interface RequestDetailView {
  readonly view: RequestCardView;
  readonly identity: { readonly status: 'pending' | 'evidence-requested' | 'approved' | 'rejected'; readonly decided_at: Date | null } | null;
  /** The request's audit events, oldest first. */
  readonly trail: readonly TrailEvent[];
  readonly timezone: string;
}

export interface RequestListView {
  readonly filter: RequestFilter;
  readonly today: IsoDate;
  readonly timezone: string;
  /** The first of those that match, in the list's order. */
  readonly requests: readonly RequestLine[];
  /** Each listed request's clock, by id. */
  readonly clocks: ReadonlyMap<number, RequestClock>;
  /** How many match in all (more than `requests.length` when the list is cut short). */
  readonly total: number;
}
