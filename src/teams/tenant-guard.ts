import type { RequestHandler } from 'express';
import type { Logger } from '../logger.js';

/**
 * The tenant an activity comes from. The Bot Framework token proves the activity came through
 * Microsoft for this app id, not from which organisation: with a MultiTenant registration, anyone
 * in another tenant who sideloads a package with the bot's id can talk to it. So with
 * MICROSOFT_APP_TENANT_ID set, only activities of that tenant are served. The token is still
 * checked afterwards by the SDK, so a forged body claiming the right tenant gets no further.
 */
export function tenantOf(activity: unknown): string | null {
  if (typeof activity !== 'object' || activity === null) return null;
  const { conversation, channelData } = activity as { conversation?: { tenantId?: unknown }; channelData?: { tenant?: { id?: unknown } } };
  const id = channelData?.tenant?.id ?? conversation?.tenantId;
  return typeof id === 'string' && id !== '' ? id : null;
}

/** Why an activity is not from `tenantId`, or null when it is. */
export function whyNotOurTenant(activity: unknown, tenantId: string): string | null {
  const tenant = tenantOf(activity);
  if (tenant === null) return 'the activity names no tenant';
  if (tenant.toLowerCase() !== tenantId.toLowerCase()) return `the activity comes from tenant ${tenant.slice(0, 60)}, not MICROSOFT_APP_TENANT_ID`;
  return null;
}

export function ourTenantOnly(tenantId: string, logger: Logger): RequestHandler {
  return (req, res, next) => {
    const why = whyNotOurTenant(req.body, tenantId);
    if (why) {
      logger.warn(`teams: refused an activity: ${why}`);
      res.status(403).json({ error: 'forbidden', reason: 'this bot serves one organisation only' });
      return;
    }
    next();
  };
}
