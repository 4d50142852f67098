import type { Request, RequestHandler, Response } from 'express';
import { isLoopbackUrl, whyNotLocal } from '../domain/loopback.js';
import type { Logger } from '../logger.js';

export { whyNotLocal };

/**
 * Local mode (no MICROSOFT_APP_ID) authenticates nobody, so it must serve this machine alone.
 * Listening on 127.0.0.1 is not enough: a reverse proxy on the same host forwards the world to
 * that address. So each request must itself come from here: its peer is a loopback address, it
 * went through no proxy (proxies add Forwarded, X-Forwarded-For, Via and the like), and it was
 * addressed to a loopback Host (which also stops a web page reaching it by DNS rebinding). And the
 * serviceUrl the activity names, where replies are POSTed, must be loopback too: otherwise the
 * caller would choose where govbot sends cards (a server-side request forgery).
 */
export const LOCAL_ONLY_HINT = 'Teams local mode serves this machine only; set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD to receive Teams through a proxy or from other machines';

/** Why an activity's serviceUrl may not be used in local mode, or null when it may. */
export function whyNotLocalServiceUrl(serviceUrl: unknown): string | null {
  if (typeof serviceUrl !== 'string') return 'the activity names no serviceUrl';
  if (!isLoopbackUrl(serviceUrl)) return `its serviceUrl ${serviceUrl.slice(0, 100)} is not on a loopback address`;
  return null;
}

/** Before the body is read: peer, proxy headers, Host. */
export function localCallerOnly(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const why = whyNotLocal({ remoteAddress: req.socket.remoteAddress, headers: req.headers });
    if (why) return refuse(req, res, logger, why);
    next();
  };
}

/** After the body is parsed: the serviceUrl replies would go to. */
export function localServiceUrlOnly(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const body: unknown = req.body;
    const why = whyNotLocalServiceUrl(typeof body === 'object' && body !== null ? (body as { serviceUrl?: unknown }).serviceUrl : undefined);
    if (why) return refuse(req, res, logger, why);
    next();
  };
}

function refuse(req: Request, res: Response, logger: Logger, why: string): void {
  logger.warn({ peer: req.socket.remoteAddress }, `teams: refused an activity in local mode: ${why}. ${LOCAL_ONLY_HINT}`);
  // The caller learns only that it may not; the log says why, for the operator.
  res.status(403).json({ error: 'forbidden', reason: LOCAL_ONLY_HINT });
}
