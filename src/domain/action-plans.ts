import type { RequestType } from './request-types.js';

/**
 * What the bot proposes to do for a request once identity is verified, stated exactly: which
 * register rows and which fields change. The committee votes on this text; the executor does
 * precisely what `kind` and `params` say, nothing more.
 */
export type ActionKind = 'export' | 'rectify' | 'erase' | 'restrict' | 'suppress' | 'uphold-objection' | 'forward-to-controller';

export const RECTIFIABLE_FIELDS = ['email', 'full_name', 'phone', 'address', 'company'] as const;
export type RectifiableField = (typeof RECTIFIABLE_FIELDS)[number];

export interface ActionPlan {
  readonly kind: ActionKind;
  readonly params: Record<string, unknown>;
  /** The sentence on the card, without personal data. */
  readonly description: string;
  /** Verb-first noun for the buttons: "Approve erasure". */
  readonly buttonNoun: string;
}

export interface PlanInput {
  /** The request's reference, for the commands the description names. */
  readonly reference?: string;
  readonly type: RequestType;
  readonly contactIds: readonly number[];
  readonly controller: string | null;
  readonly corrections?: Partial<Record<RectifiableField, string>>;
  /** Matched rows under legal hold: an erasure keeps them (Art 17(3)(e)) and says so. */
  readonly heldContactIds?: readonly number[];
  /** An objection to processing other than direct marketing (Art 21(1)), and whether erasure was asked too. */
  readonly objectionToOther?: { readonly erase: boolean };
}

export function planAction(input: PlanInput): ActionPlan {
  const rows = describeRows(input.contactIds);
  const contactIds = [...input.contactIds];
  if (input.controller) {
    return {
      kind: 'forward-to-controller',
      params: { controller: input.controller, contactIds },
      description: `Pass the request to ${input.controller}, the controller of this data, without undue delay (Art 28(3)(e)): identity and the answer are theirs. Approve once it is passed on (or record it with /dsr forwarded ${input.reference ?? '<ref>'} --on YYYY-MM-DD); govbot changes nothing in the register (${rows} noted for them).`,
      buttonNoun: 'forwarding',
    };
  }
  switch (input.type) {
    case 'access':
    case 'portability': {
      const format = input.type === 'access' ? 'json' : 'csv';
      return {
        kind: 'export',
        params: { format, contactIds },
        description: `Export ${rows} as ${format.toUpperCase()} into the exports folder (mode 0600) for the individual alone; only the file's name and SHA-256 appear in chat.`,
        buttonNoun: input.type === 'access' ? 'access' : 'portability',
      };
    }
    case 'rectification': {
      const fields = Object.keys(input.corrections ?? {});
      return {
        kind: 'rectify',
        params: { contactIds, corrections: input.corrections ?? {} },
        description: fields.length === 0
          ? `No corrected values yet: enter them with the button below before approving.`
          : `Set ${fields.join(', ')} on ${rows} to the corrected values given (not shown here).`,
        buttonNoun: 'rectification',
      };
    }
    case 'erasure': {
      const held = input.heldContactIds ?? [];
      const kept = held.length === 0 ? ''
        : ` Keep ${describeRows(held)} under legal hold: Art 17(3)(e) exempts data needed for legal claims; the individual must be told what was kept and why.`;
      return {
        kind: 'erase',
        params: { contactIds, suppress: true },
        description: `Delete ${describeRows(contactIds.filter((id) => !held.includes(id)))} (email, name, phone, address, company and every flag), keep a tombstone without personal data for each, and add the keyed hashes of the email and phone to the suppression list so they are never collected again.${kept}`,
        buttonNoun: 'erasure',
      };
    }
    case 'restriction':
      return {
        kind: 'restrict',
        params: { contactIds },
        description: `Set "processing restricted" on ${rows}: the data is kept but not used.`,
        buttonNoun: 'restriction',
      };
    case 'objection':
      if (input.objectionToOther) {
        const erase = input.objectionToOther.erase;
        return {
          kind: 'uphold-objection',
          params: { contactIds, erase },
          description: `Uphold the objection (Art 21(1)): no compelling legitimate grounds override the individual's interests. Processing of ${rows} stays restricted, they are tagged "Do not contact" (no referee, case-study or profiling use)${erase ? ', then erased as they asked (Art 17(1)(c))' : ''}. Reject with the compelling grounds as the reason: the individual must be told them (Art 12(4)).`,
          buttonNoun: 'objection',
        };
      }
      // Direct marketing: absolute (Art 21(3)), the same as an opt-out.
      return suppressPlan(input.type, rows, contactIds);
    case 'withdraw-consent':
    case 'do-not-contact':
      return suppressPlan(input.type, rows, contactIds);
  }
}

function suppressPlan(type: RequestType, rows: string, contactIds: number[]): ActionPlan {
  return {
    kind: 'suppress',
    params: { contactIds },
    description: `Tag ${rows} "Do not contact" (the record is kept so they are never contacted again) and add the keyed hashes of the email and phone to the suppression list.`,
    buttonNoun: type === 'objection' ? 'objection' : type === 'withdraw-consent' ? 'withdrawal' : 'do-not-contact',
  };
}

function describeRows(ids: readonly number[]): string {
  if (ids.length === 0) return 'no register record (none matches the email)';
  const list = ids.slice(0, 10).map((id) => `#${id}`).join(', ');
  return `register record${ids.length === 1 ? '' : 's'} ${list}${ids.length > 10 ? ` and ${ids.length - 10} more` : ''}`;
}
