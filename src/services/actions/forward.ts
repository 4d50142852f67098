import { dateInTimeZone } from '../../domain/dates.js';
import { updateRequest } from '../../register/requests.js';
import type { ActionExecutor } from './executor.js';

/**
 * For data the company processes for a customer, the customer decides: govbot records that the
 * committee passed the request on, and changes nothing in the register.
 */
export const forwardToController: ActionExecutor = async (trx, env, { action, request, contactIds, now }) => {
  const controller = typeof action.params.controller === 'string' ? action.params.controller : request.controller;
  if (!controller) throw new Error(`action ${action.id} names no controller to pass the request to`);
  const on = dateInTimeZone(now, env.config.timezone);
  // The forwarding day stops the processor-route clock (see domain/request-clock.ts).
  await updateRequest(trx, request.id, { forwarded_on: on });
  return {
    summary: `Recorded as passed to ${controller}, the controller of this data, on ${on}; nothing was changed in the register. Assist them as they ask.`,
    facts: { forwarded_on: on, contact_ids: [...contactIds] },
  };
};
