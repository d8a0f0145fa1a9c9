import { TIME_ZONE_COOKIE, timeZoneOr } from "~/domain/shared/dates";
import { readCookie } from "./session.server";

/** The reader's time zone, as their browser told it in a cookie (app/root.tsx); UTC until it has. */
export function readerTimeZone(request: Request): string {
  return timeZoneOr(readCookie(request, TIME_ZONE_COOKIE));
}
