/**
 * The headers every answer carries. The Content-Security-Policy allows scripts only from this
 * site and inline scripts carrying this response's nonce (Remix's hydration scripts get it in
 * entry.server.tsx and root.tsx); 'strict-dynamic' lets those load the route modules. Style
 * attributes stay allowed: rendered documents (tables) and the editor set them, and they can't
 * run code. Vite's dev server injects its own scripts and a websocket, so development gets a
 * looser policy; production is strict. HSTS only when the request really came over https
 * (Express's req.secure, which trusts X-Forwarded-Proto only with TRUST_PROXY=1).
 */
export function securityHeaders(input: { nonce: string; https: boolean; development: boolean }): Record<string, string> {
  const script = input.development ? "script-src 'self' 'unsafe-inline' 'unsafe-eval'" : `script-src 'nonce-${input.nonce}' 'strict-dynamic' 'self'`;
  const policy = [
    "default-src 'self'",
    script,
    input.development ? "style-src 'self' 'unsafe-inline'" : `style-src 'self' 'nonce-${input.nonce}'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    input.development ? "connect-src 'self' ws: wss:" : "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(input.https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
  const headers: Record<string, string> = {
    "Content-Security-Policy": policy,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
  };
  if (input.https) headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains";
  return headers;
}
