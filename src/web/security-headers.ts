import type { NextFunction, Request, Response } from 'express';

/**
 * Headers for the public pages: a content security policy that allows our one stylesheet and
 * nothing else (no script at all, no framing, forms posting only to us), no caching of pages that
 * may hold what someone typed, and no referrer leaking the path elsewhere.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'", "style-src 'self'", "img-src 'self'", "form-action 'self'", "base-uri 'none'", "frame-ancestors 'none'",
].join('; ');

export function securityHeaders(req: Request, res: Response, next: NextFunction): void {
  res.set({
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
    'Cache-Control': 'no-store',
  });
  if (req.secure) res.set('Strict-Transport-Security', 'max-age=31536000');
  next();
}
