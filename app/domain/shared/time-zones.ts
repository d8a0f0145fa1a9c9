/**
 * The reader's time zone: its cookie, and which names are zones. Apart from dates.ts, which
 * formats with @date-fns/tz, so that the page shell (root, the clock) loads no date library on
 * pages that show no times.
 */

export const DEFAULT_TIME_ZONE = "UTC";

/** The cookie a small script in the page sets from the browser's time zone (`app/root.tsx`). */
export const TIME_ZONE_COOKIE = "hindsight-tz";

const zoneCheck = new Map<string, boolean>();

/** An IANA zone name the runtime knows ("Europe/Berlin", "UTC"); anything else is refused. */
export function isTimeZone(value: unknown): value is string {
  if (typeof value !== "string" || value.length === 0 || value.length > 64 || !/^[A-Za-z0-9_+\-/]+$/.test(value)) return false;
  let known = zoneCheck.get(value);
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat("en", { timeZone: value });
      known = true;
    } catch {
      known = false;
    }
    if (zoneCheck.size < 500) zoneCheck.set(value, known);
  }
  return known;
}

/** The zone to use: `value` when it is a real zone, UTC otherwise. */
export function timeZoneOr(value: unknown): string {
  return isTimeZone(value) ? value : DEFAULT_TIME_ZONE;
}
