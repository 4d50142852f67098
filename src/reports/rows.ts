import type { IsoDate } from '../domain/dates.js';
import type { Channel, RequestType } from '../domain/request-types.js';

/**
 * What the figures are computed from: plain rows, one per thing counted, holding references,
 * dates and counts only (no names, emails or free text about a person). The register's loader
 * fills them; the clock fields come from the request clock, so the figures follow whatever the
 * clock says the law is.
 */

export type RequestOutcome = 'completed' | 'refused' | 'withdrawn' | 'identity-rejected';
export type RefusalGround = 'unfounded' | 'excessive';
export type AwaitingKind = 'identity' | 'authority' | 'fee';

/** One span of days: `to` null while it is still open. Both ends are calendar days. */
export interface Span {
  readonly from: IsoDate;
  readonly to: IsoDate | null;
}

export interface ReportRequest {
  readonly reference: string;
  readonly type: RequestType;
  readonly channel: Channel;
  readonly received: IsoDate;
  /** The day the statutory period starts (Art 12A: latest of receipt, identity/authority, fee). */
  readonly relevantDay: IsoDate;
  /** The end of the first period (one month), stops included, rolled to a working day. */
  readonly due: IsoDate;
  /** Where extended: the extended date. */
  readonly extendedDue: IsoDate | null;
  /** The last day on which an extension could validly be told (end of the first period). */
  readonly firstPeriodEnd: IsoDate;
  readonly extensionDecidedOn: IsoDate | null;
  /** When the individual was told of the extension, if recorded. */
  readonly extensionToldOn: IsoDate | null;
  /** Days the clock stood stopped (clarification, Art 12A). */
  readonly stoppedDays: number;
  readonly closedOn: IsoDate | null;
  readonly outcome: RequestOutcome | null;
  readonly refusalGround: RefusalGround | null;
  /** Processor route (Art 28(3)(e)): passed to the controller, no Art 12 clock of ours. */
  readonly processorRoute: boolean;
  readonly forwardedOn: IsoDate | null;
  /** Waits for identity, an agent's authority or a fee: the clock had not started. */
  readonly awaiting: readonly (Span & { readonly kind: AwaitingKind })[];
  /** Clarification stops. */
  readonly stops: readonly Span[];
  /** Why it was late, from a fixed vocabulary (see DELAY_REASONS), never free text. */
  readonly delayReasons: readonly string[];
}

export interface ReportComplaint {
  readonly reference: string;
  readonly received: IsoDate;
  readonly acknowledgedOn: IsoDate | null;
  readonly outcomeOn: IsoDate | null;
}

export interface ReportBreach {
  readonly reference: string;
  readonly awareAt: Date;
  readonly regulatorNotifiedAt: Date | null;
  /** Customers' data was affected: the controllers are to be told (Art 33(2)). */
  readonly controllersAffected: boolean;
  readonly controllersNotifiedAt: Date | null;
  readonly notReportableReason: string | null;
  readonly lateReason: string | null;
}

export interface ReportPurge {
  readonly reference: string;
  readonly asOf: IsoDate;
  readonly status: string;
  readonly finishedOn: IsoDate | null;
  readonly candidatesByReason: Readonly<Record<string, number>>;
  readonly keptBackByReason: Readonly<Record<string, number>>;
  readonly deletedByReason: Readonly<Record<string, number>>;
  readonly skippedByReason: Readonly<Record<string, number>>;
  readonly candidateFileSha256: string | null;
  /** The audit events that record it: id, action and hash, so anyone can check them in the chain. */
  readonly auditEvents: readonly { readonly id: number; readonly action: string; readonly on: IsoDate; readonly hash: string }[];
}

export interface ReportReview {
  /** "privacy notice" or the service provider's name (a company, not a person). */
  readonly subject: string;
  readonly kind: 'notice' | 'processor';
  readonly reviewedOn: readonly IsoDate[];
  /** When it fell due if never reviewed (a provider: the day it was added; the notice: at once). */
  readonly firstDue: IsoDate;
}

export interface ReportAuditHead {
  readonly ok: boolean;
  readonly count: number;
  readonly headHash: string | null;
  readonly brokenAt: number | null;
  readonly verifiedAt: Date;
}

/** Everything one report is computed from. `complaints` is null where there is no register of them. */
export interface ReportInput {
  readonly requests: readonly ReportRequest[];
  readonly complaints: readonly ReportComplaint[] | null;
  readonly breaches: readonly ReportBreach[];
  readonly purges: readonly ReportPurge[];
  readonly reviews: readonly ReportReview[];
  readonly audit: ReportAuditHead;
}
