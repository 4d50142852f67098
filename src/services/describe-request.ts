import type { RequestDetailView } from '../chat/cards/request-views.js';
import type { IsoDate } from '../domain/dates.js';
import { err, ok, type Result } from '../domain/result.js';
import { findIdentityCheck, findRequestByRef, requestAuditTrail, type IdentityCheckRow, type RequestTrailEvent } from '../register/requests.js';
import type { ServiceContext } from './context.js';
import { clockEnv } from './request-clock.js';
import { unknownRequest } from './request-changes.js';
import { loadRequestView, type RequestView } from './request-view.js';

/** Everything `/dsr show` prints about one request. */
export interface RequestDescription extends RequestDetailView {
  readonly view: RequestView;
  readonly identity: IdentityCheckRow | null;
  readonly trail: readonly RequestTrailEvent[];
  readonly today: IsoDate;
}

export async function describeRequest(ctx: ServiceContext, reference: string): Promise<Result<RequestDescription>> {
  const request = await findRequestByRef(ctx.db, reference);
  if (!request) return err(unknownRequest(reference));
  const env = clockEnv(ctx.config, ctx.clock());
  const [view, identity, trail] = await Promise.all([
    loadRequestView(ctx.db, request.id, env), findIdentityCheck(ctx.db, request.id), requestAuditTrail(ctx.db, reference),
  ]);
  return ok({ view, identity, trail, today: env.today, timezone: ctx.config.timezone });
}
