import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Express } from 'express';

/**
 * A front answers a few hot requests on node:http itself, ahead of express: under a burst, each
 * acknowledgement then costs a fraction of the router's and the SDK's middleware. It takes a request
 * by returning true; then it either answers it or hands it on with `passOn`, once it has read the
 * body (given as `req.rawBody`, which Bolt's receiver reads in place of the stream, or with
 * `req.body` already parsed, which express's body parsers then leave alone). Anything it does not
 * take, it returns false for, untouched, and express serves it as before.
 */
export type Front = (req: IncomingMessage, res: ServerResponse, passOn: () => void) => boolean;

const frontsOf = new WeakMap<Express, Front[]>();

/** Call before the server listens (createSlackAdapter, createTeamsAdapter). */
export function addFront(app: Express, front: Front): void {
  frontsOf.set(app, [...(frontsOf.get(app) ?? []), front]);
}

/** The server's request listener: each front in turn, then express. */
export function frontThenApp(app: Express): (req: IncomingMessage, res: ServerResponse) => void {
  const fronts = frontsOf.get(app) ?? [];
  if (fronts.length === 0) return app;
  return (req, res) => {
    const passOn = () => { app(req, res); };
    for (const front of fronts) if (front(req, res, passOn)) return;
    app(req, res);
  };
}

/**
 * Reads a body of a declared length (the caller has checked it is within its limit); null when the
 * client went away first.
 */
export function readBody(req: IncomingMessage, length: number): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const body = Buffer.allocUnsafe(length);
    let at = 0;
    req.on('data', (chunk: Buffer) => {
      // Node's parser never delivers more than Content-Length; the check keeps the copy safe regardless.
      if (at + chunk.length <= length) chunk.copy(body, at);
      at += chunk.length;
    });
    req.on('end', () => resolve(at === length ? body : null));
    req.on('error', () => resolve(null));
    req.on('aborted', () => resolve(null));
  });
}
