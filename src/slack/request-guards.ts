import type { NextFunction, Request, RequestHandler, Response } from 'express';

/**
 * Three checks Bolt's receiver leaves out, run before it reads the body:
 * - Bolt buffers the whole body before checking the signature, with no size limit, so anyone could
 *   make it hold a huge upload in memory. Slack's payloads are a few kilobytes.
 * - Bolt refuses timestamps more than 5 minutes old but accepts any in the future (and "Infinity");
 *   the contract's window is 5 minutes either way.
 * - Bolt reads the signature header by splitting on `=` and ignores anything after a second one,
 *   so `v0=<hex>=1` verifies like `v0=<hex>` while looking new to a replay check keyed on the
 *   header. Only the exact form Slack sends, `v0=` and 64 lowercase hex digits, is let through.
 * A chunked body declares no length, so it is read here instead, up to the limit, and handed to Bolt
 * as `req.rawBody` (which Bolt's receiver takes in place of reading the stream itself).
 * Wrong requests get the same bare 401 as a bad signature.
 */
export const MAX_SLACK_BODY_BYTES = 1024 * 1024;
export const SIGNATURE_WINDOW_SECONDS = 5 * 60;
export const SIGNATURE_FORM = /^v0=([0-9a-f]{64})$/;

/** The hex digest of a well-formed signature header, or null. The replay table is keyed on it. */
export function signatureDigest(header: unknown): string | null {
  return typeof header === 'string' ? SIGNATURE_FORM.exec(header)?.[1] ?? null : null;
}

export function slackRequestGuards(now: () => number = Date.now): RequestHandler {
  return (req, res, next) => {
    if (req.method !== 'POST') { next(); return; }
    const declared = req.headers['content-length'];
    const length = Number(declared ?? '0');
    if (!Number.isFinite(length) || length > MAX_SLACK_BODY_BYTES) {
      res.status(413).end();
      return;
    }
    // Bolt takes any number, "Infinity" included, that is not too old: a request signed with that
    // timestamp would verify for ever. Only a finite time within the window either way is accepted.
    const timestamp = Number(req.headers['x-slack-request-timestamp']);
    if (!Number.isFinite(timestamp) || Math.abs(timestamp - now() / 1000) > SIGNATURE_WINDOW_SECONDS) {
      res.status(401).end();
      return;
    }
    if (signatureDigest(req.headers['x-slack-signature']) === null) {
      res.status(401).end();
      return;
    }
    if (declared === undefined && req.headers['transfer-encoding'] !== undefined) {
      readWithLimit(req, res, next);
      return;
    }
    next();
  };
}

function readWithLimit(req: Request, res: Response, next: NextFunction): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let refused = false;
  req.on('data', (chunk: Buffer) => {
    if (refused) return; // the rest is read and dropped until the client gives up
    size += chunk.length;
    if (size <= MAX_SLACK_BODY_BYTES) {
      chunks.push(chunk);
      return;
    }
    refused = true;
    chunks.length = 0;
    res.status(413).set('Connection', 'close').end();
  });
  req.on('end', () => {
    if (refused) return;
    Object.assign(req, { rawBody: Buffer.concat(chunks) });
    next();
  });
  req.on('error', (error) => {
    if (!refused) next(error);
  });
}
