import net from 'node:net';

/**
 * Which addresses only this machine can reach. Literal addresses only: 127.0.0.0/8 and ::1
 * (also written in full, or IPv4-mapped). The one name accepted is `localhost` itself, which
 * the operator's own hosts file resolves; `*.localhost` and every other name are not loopback,
 * because a name is only as trustworthy as whoever answers for it.
 */
export function isLoopbackAddress(address: string): boolean {
  const bare = address.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (net.isIPv4(bare)) return bare.split('.')[0] === '127';
  if (net.isIPv6(bare)) {
    if (bare === '::1' || /^(0{1,4}:){7}0{0,3}1$/.test(bare)) return true;
    const mapped = /^(?:0{0,4}:){0,5}:?ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(bare);
    if (mapped) return isLoopbackAddress(mapped[1]!);
    // new URL() writes ::ffff:127.0.0.1 as ::ffff:7f00:1.
    return /^(?:0{0,4}:){0,5}:?ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.test(bare);
  }
  return false;
}

/** A literal loopback address, or the name `localhost` exactly (no trailing dot, no subdomain). */
export function isLoopbackName(host: string): boolean {
  return host.trim().toLowerCase() === 'localhost' || isLoopbackAddress(host);
}

/** The host part of a `Host` header ("127.0.0.1:3978", "[::1]:3978", "localhost"). */
export function hostOfHeader(header: string): string {
  const trimmed = header.trim();
  const bracketed = /^\[([^\]]*)\](?::\d+)?$/.exec(trimmed);
  if (bracketed) return bracketed[1]!;
  const withPort = /^([^:]*)(?::\d+)?$/.exec(trimmed);
  return withPort ? withPort[1]! : trimmed;
}

/** Whether `url` is an http(s) URL on a loopback host. */
export function isLoopbackUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.username === '' && parsed.password === '' && isLoopbackName(parsed.hostname);
  } catch {
    return false;
  }
}

/**
 * Headers reverse proxies add. A request carrying one came through a proxy, whatever its peer
 * address says (a proxy on this machine connects from loopback).
 */
const PROXY_HEADERS = ['forwarded', 'via', 'x-real-ip', 'x-client-ip', 'true-client-ip', 'cf-connecting-ip', 'fastly-client-ip', 'x-cluster-client-ip'];

/**
 * Why a request is not from this machine directly, or null when it is: its peer is a loopback
 * address, it carries no proxy header, and it was addressed to a loopback Host (which also stops
 * a web page reaching it by DNS rebinding). What unauthenticated local endpoints require.
 */
export function whyNotLocal(request: { remoteAddress: string | undefined; headers: Readonly<Record<string, string | string[] | undefined>> }): string | null {
  if (!request.remoteAddress || !isLoopbackAddress(request.remoteAddress)) return `the caller ${request.remoteAddress ?? '(unknown)'} is not a loopback address`;
  const proxied = Object.keys(request.headers).find((name) => name.startsWith('x-forwarded-') || PROXY_HEADERS.includes(name));
  if (proxied) return `the request came through a proxy (it carries a ${proxied} header)`;
  const host = request.headers.host;
  if (typeof host !== 'string' || !isLoopbackName(hostOfHeader(host))) return `the request was addressed to ${typeof host === 'string' ? `Host ${host.slice(0, 100)}` : 'no Host'}, not a loopback address`;
  return null;
}
