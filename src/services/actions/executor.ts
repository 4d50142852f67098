import type { Knex } from 'knex';
import type { Config } from '../../config.js';
import type { ActionRow } from '../../register/actions.js';
import type { RequestRow } from '../../register/requests.js';

/** What an executor needs besides the transaction: the export folder, the time zone, the pepper. */
export interface ActionEnvironment {
  readonly config: Config;
  readonly pepper: string;
}

export interface ActionInput {
  readonly action: ActionRow;
  /** Locked for the transaction and checked to be `action-approved`. */
  readonly request: RequestRow;
  /** The register rows the committee approved, from the action's params. */
  readonly contactIds: readonly number[];
  readonly now: Date;
}

export interface ActionOutcome {
  /** One line for the card, without personal data. */
  readonly summary: string;
  /** Ids, counts and hashes for the action's result and the audit event: never personal data. */
  readonly facts: Readonly<Record<string, unknown>>;
}

/**
 * Applies exactly the approved change in the caller's transaction. Completing the action, moving
 * the request, the audit event and the card are done around it, once, by `executeAction`.
 */
export type ActionExecutor = (trx: Knex.Transaction, env: ActionEnvironment, input: ActionInput) => Promise<ActionOutcome>;

/** "register records #3, #7" / "no register record": the card names rows by id only. */
export function describeRecords(ids: readonly number[]): string {
  if (ids.length === 0) return 'no register record';
  const list = ids.slice(0, 10).map((id) => `#${id}`).join(', ');
  return `${ids.length} register record${ids.length === 1 ? '' : 's'} (${list}${ids.length > 10 ? ', …' : ''})`;
}

/** The contact ids as `planAction` wrote them; anything else is a fault, not something to guess at. */
export function contactIdsOf(action: ActionRow): number[] {
  const ids = action.params.contactIds;
  if (!Array.isArray(ids) || !ids.every((id) => Number.isSafeInteger(id))) {
    throw new Error(`action ${action.id} has malformed params: contactIds must be a list of register ids`);
  }
  return ids as number[];
}
