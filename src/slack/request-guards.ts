import type { RequestHandler } from 'express';

/**
 * Two checks Bolt's receiver leaves out, run before it reads the body:
 * - Bolt buffers the whole body before checking the signature, with no size limit, so anyone could
 *   make it hold a huge upload in memory. Slack's payloads are a few kilobytes.
 * - Bolt refuses timestamps more than 5 minutes old but accepts any in the future; the contract's
 *   window is 5 minutes either way.
 * Wrong requests get the same bare 401 as a bad signature.
 */
export const MAX_SLACK_BODY_BYTES = 1024 * 1024;
export const SIGNATURE_WINDOW_SECONDS = 5 * 60;

export function slackRequestGuards(now: () => number = Date.now): RequestHandler {
  return (req, res, next) => {
    if (req.method !== 'POST') { next(); return; }
    const length = Number(req.headers['content-length'] ?? '0');
    if (!Number.isFinite(length) || length > MAX_SLACK_BODY_BYTES) {
      res.status(413).end();
      return;
    }
    const timestamp = Number(req.headers['x-slack-request-timestamp']);
    if (Number.isFinite(timestamp) && timestamp > now() / 1000 + SIGNATURE_WINDOW_SECONDS) {
      res.status(401).end();
      return;
    }
    next();
  };
}
