/**
 * CSRF defence in depth beside SameSite=Lax cookies: a state-changing request from a browser
 * must say it came from this site. Browsers send Origin on every POST; when a client sends
 * neither Origin nor Referer we refuse too, since a form on this site always has one.
 * Machine endpoints that authenticate each request themselves (webhooks, token API) opt out.
 */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const MACHINE_PATHS = [/^\/webhooks\//, /^\/api\//, /^\/healthz$/];

export type OriginVerdict = { allowed: true } | { allowed: false; reason: string };

export function checkSameOrigin(input: {
  method: string;
  path: string;
  host: string | undefined;
  origin: string | undefined;
  referer: string | undefined;
}): OriginVerdict {
  if (SAFE_METHODS.has(input.method.toUpperCase())) return { allowed: true };
  if (MACHINE_PATHS.some((p) => p.test(input.path))) return { allowed: true };
  if (!input.host) return { allowed: false, reason: "Request has no Host header." };
  const source = input.origin && input.origin !== "null" ? input.origin : input.referer;
  if (!source) return { allowed: false, reason: "Form submissions must come from this site (no Origin header)." };
  let sourceHost: string;
  try {
    sourceHost = new URL(source).host;
  } catch {
    return { allowed: false, reason: "The Origin header is not a URL." };
  }
  if (sourceHost !== input.host) return { allowed: false, reason: `Cross-site form submission from ${sourceHost} refused.` };
  return { allowed: true };
}
