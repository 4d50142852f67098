import type { Activity } from 'botbuilder';
import { mentionsOf } from './message-text.js';
import type { TeamsDeps } from './turn-kit.js';
import { errorSummary } from '../errors.js';

/**
 * Every Teams activity names its sender (`from.name`) and each person @mentioned in it. Those
 * names are kept under both ids Teams gives a person (the Entra object id and the Bot Framework
 * `29:` id), since either can be the one govbot records (see actorFor). The bot's own name is not
 * kept. Pure.
 */
export function namesInActivity(activity: Pick<Activity, 'from' | 'recipient' | 'entities'>): { identity: string; name: unknown }[] {
  const names: { identity: string; name: unknown }[] = [];
  const add = (ids: readonly (string | undefined)[], name: unknown) => {
    for (const id of new Set(ids)) if (id) names.push({ identity: `teams:${id}`, name });
  };
  const from = activity.from as Partial<Activity['from']> | undefined;
  if (from?.id && from.id !== activity.recipient?.id) add([from.aadObjectId, from.id], from.name);
  for (const mention of mentionsOf(activity.entities)) {
    if (mention.id !== activity.recipient?.id) add([mention.aadObjectId, mention.id], mention.name);
  }
  return names;
}

/**
 * Keeps the names an activity carries before it is handled, so the reply already shows them. A
 * failure here costs a name, never the turn: it is logged (the reason only, no name) and the
 * activity goes on.
 */
export function rememberActivityNames(deps: TeamsDeps, activity: Pick<Activity, 'from' | 'recipient' | 'entities'>): Promise<void> {
  return rememberNames(deps, namesInActivity(activity));
}

export async function rememberNames(deps: TeamsDeps, names: readonly { identity: string; name: unknown }[]): Promise<void> {
  try {
    await deps.names.remember(names);
  } catch (error) {
    deps.logger.warn({ err: errorSummary(error) }, 'teams: could not keep display names; ids are shown until the next message');
  }
}
