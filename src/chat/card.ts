/**
 * The platform-neutral card: what the committee sees about one request, proposal, purge or breach.
 * Slack renders it as Block Kit and Teams as an Adaptive Card; neither adds meaning of its own.
 * Cards carry no personal data beyond a masked email (CONTRACT section 5).
 */
export interface Fact {
  readonly label: string;
  readonly value: string;
}

export type Button =
  | {
    /** Verb first: "Approve identity", "Reject purge". */
    readonly label: string;
    readonly verb: 'approve' | 'reject';
    /** The proposal the button votes on. */
    readonly proposalId: number;
    /** Whether pressing it asks for a reason first (every Reject does). */
    readonly needsReason: boolean;
  }
  | {
    readonly label: string;
    readonly verb: 'open-form';
    readonly form: 'rectification';
    readonly requestId: number;
  }
  | {
    /** Records a complaint's acknowledgement (DPA 2018 s.164A) by the member who clicks. */
    readonly label: string;
    readonly verb: 'acknowledge';
    readonly complaintId: number;
  }
  | {
    /** Records that a recipient of the contact data was told of the change (Art 19), by the member who clicks. */
    readonly label: string;
    readonly verb: 'recipient-told';
    readonly requestId: number;
    readonly processorId: number;
  };

export interface CardSection {
  readonly heading?: string;
  readonly text: string;
  readonly buttons?: readonly Button[];
}

/**
 * A picture on a card (the report's main chart). Teams shows it from `url`, which govbot serves
 * under PUBLIC_URL; Slack gets the image file itself, uploaded with the card (see ChatPort).
 */
export interface CardImage {
  readonly title: string;
  readonly altText: string;
  /** An https address the platform fetches the image from, or null when there is none to give. */
  readonly url: string | null;
}

export interface Card {
  /** Stable key of the message the card lives in, e.g. "request:42", for updates in place. */
  readonly key: string;
  readonly reference: string;
  readonly title: string;
  readonly status: string;
  readonly facts: readonly Fact[];
  readonly sections: readonly CardSection[];
  /** One-line plain-text summary, for notifications and platforms that show no blocks. */
  readonly summary: string;
  readonly image?: CardImage;
  /** A record of one moment (a quarter's report): never updated, so platforms need not ask for a fresh copy. */
  readonly fixed?: boolean;
}

export function approveButton(proposalId: number, what: string): Button {
  return { label: `Approve ${what}`, verb: 'approve', proposalId, needsReason: false };
}

export function rejectButton(proposalId: number, what: string): Button {
  return { label: `Reject ${what}`, verb: 'reject', proposalId, needsReason: true };
}

export function formButton(label: string, form: 'rectification', requestId: number): Button {
  return { label, verb: 'open-form', form, requestId };
}

/** "Told HubSpot": one per recipient still owed an Art 19 notice on a request card. */
export function recipientToldButton(requestId: number, processorId: number, processor: string): Button {
  return { label: `Told ${processor}`, verb: 'recipient-told', requestId, processorId };
}
