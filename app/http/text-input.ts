/**
 * The one rule for text that comes in: Postgres can't store a NUL character (in text or jsonb),
 * and a lone UTF-16 surrogate (a JSON `\ud800` escape) is not Unicode text at all; either one
 * used to reach the database and fail the request with a 500. People's input (forms, the JSON
 * API, document saves) is refused at the boundary with a 400 that names the field. Machine
 * deliveries (webhooks) can't be corrected by a person, so their text is cleaned instead, the
 * way browsers make any string well-formed: NUL dropped, a lone surrogate becomes U+FFFD.
 */
// eslint-disable-next-line no-control-regex
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
// eslint-disable-next-line no-control-regex
const NUL = /\u0000/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export const UNSTORABLE_MESSAGE = "This holds a character that can't be saved (a NUL byte or a broken character). Remove it and try again.";

export function isStorableText(text: string): boolean {
  return !UNSTORABLE.test(text);
}

/** The path of the first field (a form key, or `a.b.0` in JSON) whose text or key can't be stored; null when all can. */
export function unstorableField(value: unknown, path: string[] = []): string | null {
  if (typeof value === "string") return isStorableText(value) ? null : path.join(".") || "_";
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = unstorableField(item, [...path, String(i)]);
      if (found !== null) return found;
    }
    return null;
  }
  if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      if (!isStorableText(key)) return [...path, key.replace(NUL, "").replace(LONE_SURROGATE, "\ufffd")].join(".");
      const found = unstorableField(item, [...path, key]);
      if (found !== null) return found;
    }
  }
  return null;
}

/** The same value with every string (and key) made storable; for machine deliveries. */
export function storableText<T>(value: T): T {
  if (typeof value === "string") return (isStorableText(value) ? value : value.replace(NUL, "").replace(LONE_SURROGATE, "\ufffd")) as T;
  if (Array.isArray(value)) return value.map((item) => storableText(item)) as T;
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [storableText(k), storableText(v)])) as T;
  }
  return value;
}
