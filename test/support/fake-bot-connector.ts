import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLoopbackConnector, type LoopbackConnector } from '../../src/web/playground/loopback-connector.js';

export { activityText, type ConnectorCall, type ConnectorFailure, type ConnectorMember as FakeMember } from '../../src/web/playground/loopback-connector.js';

/**
 * The Bot Connector service on loopback for the tests: the playground's own connector (it records
 * every call, answers govbot's and can be told to fail) in an HTTP server of its own.
 */
export interface FakeBotConnector extends Omit<LoopbackConnector, 'handle'> {
  /** With the trailing slash Teams uses. */
  readonly serviceUrl: string;
  close(): Promise<void>;
}

export async function startFakeBotConnector(): Promise<FakeBotConnector> {
  const connector = createLoopbackConnector();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const body = text ? JSON.parse(text) as Record<string, unknown> : {};
      const path = new URL(req.url ?? '/', 'http://fake').pathname;
      const answer = connector.handle({ method: req.method ?? 'GET', path, body, ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });
      if (answer === null) return; // never answered: the client's deadline must give up
      res.writeHead(answer.status, { 'Content-Type': 'application/json; charset=utf-8', ...answer.headers });
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const { handle: _handle, ...recorded } = connector;
  return {
    ...recorded,
    serviceUrl: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
