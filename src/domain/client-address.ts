import net from 'node:net';

/**
 * Which address a public request came from, for the per-client rate limit. The socket's peer is the
 * only fact nobody can forge; X-Forwarded-For is believed only when that peer is one of the
 * operator's own proxies (TRUSTED_PROXY), and then read from the right: each proxy appends the
 * address it saw, so the rightmost entry not itself a trusted proxy is the client. Anything to its
 * left was written by the client and is ignored.
 */

/** `::ffff:10.0.0.5` (how Node reports IPv4 on a dual-stack socket) → `10.0.0.5`. */
export function normaliseAddress(address: string): string {
  return address.trim().toLowerCase().replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1');
}

export function clientAddress(peer: string | undefined, forwardedFor: string | string[] | undefined, trustedProxies: readonly string[]): string {
  const socket = normaliseAddress(peer ?? 'unknown');
  if (!trustedProxies.includes(socket)) return socket;
  const header = Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor ?? '';
  const hops = header.split(',').map(normaliseAddress).filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i -= 1) {
    const hop = hops[i]!;
    if (net.isIP(hop) === 0) return socket; // garbage: fall back to the proxy itself, never to the client's word
    if (!trustedProxies.includes(hop)) return hop;
  }
  return socket;
}
