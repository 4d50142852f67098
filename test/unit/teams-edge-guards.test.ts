import { describe, expect, it } from 'vitest';
import { hostOfHeader, isLoopbackAddress, isLoopbackUrl } from '../../src/domain/loopback.js';
import { whyNotLocal, whyNotLocalServiceUrl } from '../../src/teams/local-guard.js';
import { tenantOf, whyNotOurTenant } from '../../src/teams/tenant-guard.js';

/**
 * The edge of Teams local mode (security finding 1): only a caller on this machine, not through a
 * proxy, addressed to a loopback Host, naming a loopback serviceUrl; and the tenant check
 * (finding 3) for an authenticated bot.
 */
const direct = { host: '127.0.0.1:3978', 'content-type': 'application/json' };

describe('Teams local mode serves this machine only', () => {
  it('lets a direct loopback caller in (the Emulator, the tests, a playground page on this machine)', () => {
    for (const remoteAddress of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) expect(whyNotLocal({ remoteAddress, headers: direct }), remoteAddress).toBeNull();
    for (const host of ['localhost:3978', '[::1]:3978', '127.0.0.1', 'LOCALHOST']) expect(whyNotLocal({ remoteAddress: '127.0.0.1', headers: { host } }), host).toBeNull();
  });

  it('refuses a caller on another machine', () => {
    expect(whyNotLocal({ remoteAddress: '10.0.0.7', headers: direct })).toMatch(/10\.0\.0\.7 is not a loopback address/);
    expect(whyNotLocal({ remoteAddress: '::ffff:192.168.1.9', headers: direct })).toMatch(/not a loopback address/);
    expect(whyNotLocal({ remoteAddress: undefined, headers: direct })).toMatch(/not a loopback address/);
  });

  it('refuses anything a reverse proxy on this machine forwarded, by its headers', () => {
    for (const name of ['x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'forwarded', 'via', 'x-real-ip']) {
      expect(whyNotLocal({ remoteAddress: '127.0.0.1', headers: { ...direct, [name]: '203.0.113.9' } }), name).toContain(`carries a ${name} header`);
    }
  });

  it('refuses a request addressed to a public name (a proxy passing Host on, or DNS rebinding from a web page)', () => {
    for (const host of ['govbot.example.com', 'evil.localhost:3978', '0.0.0.0:3978', '10.0.0.5']) {
      expect(whyNotLocal({ remoteAddress: '127.0.0.1', headers: { host } }), host).toMatch(/not a loopback address/);
    }
    expect(whyNotLocal({ remoteAddress: '127.0.0.1', headers: {} })).toMatch(/no Host/);
  });

  it('posts replies only to a loopback serviceUrl, never one the caller points elsewhere', () => {
    for (const url of ['http://127.0.0.1:4000/', 'http://localhost:53226/', 'http://[::1]:9/x/']) expect(whyNotLocalServiceUrl(url), url).toBeNull();
    for (const url of ['https://smba.trafficmanager.net/uk/', 'http://169.254.169.254/latest/', 'http://evil.localhost/', 'http://127.0.0.1.nip.io/', 'file:///etc/passwd', 'http://user:pw@127.0.0.1/', 'not a url']) {
      expect(whyNotLocalServiceUrl(url), url).toMatch(/not on a loopback address/);
    }
    expect(whyNotLocalServiceUrl(undefined)).toMatch(/no serviceUrl/);
  });

  it('reads literal addresses only, including the forms new URL() writes', () => {
    expect(isLoopbackUrl('http://[::ffff:127.0.0.1]:80/')).toBe(true);
    expect(isLoopbackUrl('http://[::ffff:10.0.0.1]:80/')).toBe(false);
    expect(isLoopbackAddress('127.255.255.254')).toBe(true);
    expect(isLoopbackAddress('localhost')).toBe(false);
    expect(hostOfHeader('[::1]:3978')).toBe('::1');
    expect(hostOfHeader('example.com:80')).toBe('example.com');
  });
});

describe('Teams tenant check', () => {
  const ours = '72f988bf-0000-0000-0000-000000000001';
  it('serves activities of MICROSOFT_APP_TENANT_ID and refuses any other tenant, or none', () => {
    expect(whyNotOurTenant({ channelData: { tenant: { id: ours } } }, ours)).toBeNull();
    expect(whyNotOurTenant({ conversation: { tenantId: ours.toUpperCase() } }, ours)).toBeNull();
    expect(whyNotOurTenant({ channelData: { tenant: { id: 'ffffffff-0000-0000-0000-000000000009' } } }, ours)).toMatch(/from tenant ffffffff-.*not MICROSOFT_APP_TENANT_ID/);
    expect(whyNotOurTenant({ type: 'message' }, ours)).toMatch(/names no tenant/);
    expect(tenantOf(null)).toBeNull();
  });
});
