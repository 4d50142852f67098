import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A reverse proxy on this machine, as an operator would put in front of govbot: it forwards
 * every request to the service on loopback, adding the headers proxies add (by default
 * X-Forwarded-For and X-Forwarded-Proto, and Host passed on as the public name).
 */
export interface ForwardingProxy {
  readonly url: string;
  close(): Promise<void>;
}

export async function startForwardingProxy(targetPort: number, options: { headers?: Record<string, string>; publicHost?: string } = {}): Promise<ForwardingProxy> {
  const server = http.createServer((req, res) => {
    const headers = { ...req.headers, ...(options.headers ?? { 'x-forwarded-for': '203.0.113.66', 'x-forwarded-proto': 'https' }), host: options.publicHost ?? req.headers.host ?? '' };
    const upstream = http.request({ host: '127.0.0.1', port: targetPort, path: req.url, method: req.method, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => { res.writeHead(502).end(); });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }),
  };
}
