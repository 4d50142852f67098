import http from 'node:http';

/**
 * The benches' HTTP client: plain node:http with kept-alive connections, one per simulated client.
 * The load (which requests, how many clients, each waiting for its answer) is the benches' own;
 * this only keeps the client's own CPU small. The service shares the machine's cores with it, and
 * fetch() costs several times the CPU per request of node:http, which a real Slack or Teams does
 * not spend on the service's machine.
 */
export interface BenchClient {
  post(url: string, headers: Record<string, string>, body: string): Promise<{ status: number; text: string }>;
  close(): void;
}

export function benchClient(clients: number): BenchClient {
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  return {
    post: (url, headers, body) => new Promise((resolve, reject) => {
      const request = http.request(url, { method: 'POST', agent, headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) } }, (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => { text += chunk; });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
        response.on('error', reject);
      });
      request.on('error', reject);
      request.end(body);
    }),
    close: () => agent.destroy(),
  };
}
