/**
 * The one check for every `redirectTo`: where someone may be sent after logging in or signing
 * up. Only a path on this site survives. Browsers normalise a Location before following it (they
 * drop tabs and newlines, read `\` as `/`, resolve dot segments), so the target is judged after
 * the same normalisation, and anything a browser could read as another host goes to the fallback.
 * The answer is the URL parser's serialisation, so it is plain ASCII and always a valid header.
 */
const ORIGIN = "http://hindsight.invalid";
const MAX_LENGTH = 2048;

export function safeRedirectTarget(target: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (typeof target !== "string" || target.length === 0 || target.length > MAX_LENGTH) return fallback;
  // Control characters (tab, CR, LF, NUL…) are stripped or refused by browsers: refuse them, don't guess.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(target)) return fallback;
  if (!target.startsWith("/") || target.includes("\\")) return fallback;
  let url: URL;
  try {
    url = new URL(target, ORIGIN);
  } catch {
    return fallback;
  }
  if (url.origin !== ORIGIN) return fallback;
  // Dot segments can leave `//host`; encoded slashes or backslashes can become one if decoded later.
  let decoded: string;
  try {
    decoded = decodeURIComponent(url.pathname);
  } catch {
    return fallback;
  }
  if (/^\/[/\\]/.test(url.pathname) || /^\/\//.test(decoded) || decoded.includes("\\")) return fallback;
  return url.pathname + url.search + url.hash;
}
