/**
 * The one way the app shows a time: in the reader's time zone, absolute with a relative hint
 * ("2 Dec, 09:30" and "3 hours ago"), the UTC time on hover. And the one way a date-time input
 * is read: a wall-clock time in the zone the form was shown in. Client-safe and pure: the zone
 * and "now" are always passed in (the page gets them from `app/components/when.tsx`'s context).
 */
import { TZDateMini } from "@date-fns/tz";

export { DEFAULT_TIME_ZONE, TIME_ZONE_COOKIE, isTimeZone, timeZoneOr } from "./time-zones";
import { timeZoneOr } from "./time-zones";

type Instant = Date | string | number;

function toDate(value: Instant): Date {
  return value instanceof Date ? value : new Date(value);
}

type WallClock = { year: number; month: number; day: number; hour: number; minute: number };

const partsFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar date and clock time an instant shows in `timeZone`. */
function wallClock(date: Date, timeZone: string): WallClock {
  let format = partsFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      hourCycle: "h23",
    });
    partsFormats.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(date).map((p) => [p.type, p.value]));
  return { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day), hour: Number(parts.hour) % 24, minute: Number(parts.minute) };
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;
const pad = (n: number) => String(n).padStart(2, "0");

/** A day count between two calendar dates (no time zone involved: both are already local). */
function dayNumber(year: number, month: number, day: number): number {
  return Math.floor(Date.UTC(year, month - 1, day) / 86_400_000);
}

const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto" });

/** "yesterday", "in 3 days", "2 months ago", "last year": from a calendar-day difference. */
function relativeDays(days: number): string {
  const size = Math.abs(days);
  if (size < 14) return relative.format(days, "day");
  if (size < 60) return relative.format(Math.trunc(days / 7), "week");
  if (size < 365) return relative.format(Math.sign(days) * Math.min(11, Math.round(size / 30.4)), "month");
  return relative.format(Math.sign(days) * Math.floor(size / 365.25 + 0.01), "year");
}

export type DescribedInstant = {
  /** For `<time dateTime>`: the instant in ISO 8601, UTC. */
  iso: string;
  /** The absolute time in the reader's zone: "2 Dec, 09:30", with the year when it is not this year. */
  text: string;
  /** The hint: "just now", "5 minutes ago", "in 2 hours", "yesterday", "3 weeks ago". */
  relative: string;
  /** For the hover: "2026-12-02 09:30 UTC". */
  utc: string;
};

/**
 * How an instant reads for someone in `timeZone` at `now`. Within a day the hint counts minutes
 * or hours; beyond it, calendar days in the reader's zone (so 23:50 yesterday is "yesterday" even
 * 20 minutes later), then weeks, months and years.
 */
export function describeInstant(value: Instant, { timeZone, now }: { timeZone: string; now: Instant }): DescribedInstant {
  const date = toDate(value);
  const zone = timeZoneOr(timeZone);
  const at = wallClock(date, zone);
  const today = wallClock(toDate(now), zone);
  const year = at.year === today.year ? "" : ` ${at.year}`;
  const text = `${at.day} ${MONTHS[at.month - 1]}${year}, ${pad(at.hour)}:${pad(at.minute)}`;
  const seconds = (date.getTime() - toDate(now).getTime()) / 1000;
  let hint: string;
  if (Math.abs(seconds) < 60) hint = "just now";
  else if (Math.abs(seconds) < 3600) hint = relative.format(Math.trunc(seconds / 60), "minute");
  else if (Math.abs(seconds) < 86_400) hint = relative.format(Math.trunc(seconds / 3600), "hour");
  else hint = relativeDays(dayNumber(at.year, at.month, at.day) - dayNumber(today.year, today.month, today.day));
  return { iso: date.toISOString(), text, relative: hint, utc: `${date.toISOString().slice(0, 16).replace("T", " ")} UTC` };
}

export type DescribedDay = {
  /** The day as stored: "2026-01-31". */
  iso: string;
  /** "31 Jan", or "31 Jan 2027" outside this year. */
  text: string;
  /** "today", "tomorrow", "in 3 days", "2 weeks ago": against today in the reader's zone. */
  relative: string;
};

/** A calendar day (a due date, a decision's date): no time, so no zone of its own; "today" is the reader's. */
export function describeDay(day: string, { timeZone, now }: { timeZone: string; now: Instant }): DescribedDay {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  const today = wallClock(toDate(now), timeZoneOr(timeZone));
  const year = y === today.year ? "" : ` ${y}`;
  return { iso: day, text: `${d} ${MONTHS[m - 1]}${year}`, relative: relativeDays(dayNumber(y, m, d) - dayNumber(today.year, today.month, today.day)) };
}

/** "2026-11-26T09:30": an instant as a datetime-local input shows it in `timeZone`. */
export function toZonedInput(value: Instant | null | undefined, timeZone: string): string {
  if (value === null || value === undefined || value === "") return "";
  const at = wallClock(toDate(value), timeZoneOr(timeZone));
  return `${at.year}-${pad(at.month)}-${pad(at.day)}T${pad(at.hour)}:${pad(at.minute)}`;
}

/** The instant a datetime-local value ("2026-11-26T09:30") names in `timeZone`; null when it is no such value. */
export function fromZonedInput(value: string, timeZone: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1).map((n) => Number(n ?? 0)) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return null;
  // The calendar must agree (no 31 February).
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCMonth() !== month - 1) return null;
  const zoned = new TZDateMini(year, month - 1, day, hour, minute, second, timeZoneOr(timeZone));
  const date = new Date(zoned.getTime());
  return Number.isNaN(date.getTime()) ? null : date;
}
