/**
 * Headers on every HTTP response (security review L8). The CSP is the backstop against a future
 * XSS: the resume credentials live in sessionStorage, so injected script would be session theft.
 * The web client passes it as built (no inline script, styles set through the DOM, the favicon a
 * data: URL, WebSocket to any host because a redirect may name another node); the Playwright flows
 * fail on any CSP report (R-SEC-14).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self' ws: wss:",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export function securityHeaders(tls: boolean): Record<string, string> {
  return {
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'x-frame-options': 'DENY',
    // Only over TLS: HSTS on plain HTTP is ignored by browsers, and on localhost it would pin it.
    ...(tls ? { 'strict-transport-security': 'max-age=31536000; includeSubDomains' } : {}),
  };
}
