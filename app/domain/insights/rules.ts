/**
 * What the insights page measures, as pure definitions: the filters and their date range, the
 * periods a chart is bucketed into, median and p90, recurrence and the postmortem timeliness
 * buckets. The SQL in queries.server.ts computes the same numbers in the database; the tests hold
 * the two together. No database, no React: safe to import on the client.
 */
import type { FactorCategory, GateState, Severity, TierKey } from "#db/schema";

export const RANGE_PRESETS = ["30", "90", "365"] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number] | "custom";

const DAY_MS = 24 * 60 * 60 * 1000;
/** Ranges longer than this are charted per month, shorter ones per week. */
const WEEKLY_UP_TO_DAYS = 120;
/** A custom range is capped, so a hand-edited URL can't ask for a century of weeks. */
export const LONGEST_RANGE_DAYS = 5 * 366;

export type Grain = "week" | "month";

export type InsightsFilters = {
  range: RangePreset;
  /** First day of the range, "YYYY-MM-DD" (UTC). */
  from: string;
  /** Last day of the range, inclusive, "YYYY-MM-DD" (UTC). */
  to: string;
  areas: string[];
  tier: TierKey | null;
  severity: Severity | null;
};

export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function parseDay(day: string): Date {
  return new Date(`${day}T00:00:00Z`);
}

export function addDays(day: string, days: number): string {
  return isoDay(new Date(parseDay(day).getTime() + days * DAY_MS));
}

/** Days in an inclusive range of calendar days. */
export function daysInRange(from: string, to: string): number {
  return Math.round((parseDay(to).getTime() - parseDay(from).getTime()) / DAY_MS) + 1;
}

export type RangeBounds = {
  /** Inclusive start, midnight UTC of `from`. */
  start: Date;
  /** Exclusive end, midnight UTC after `to`. */
  end: Date;
  /** The period of equal length just before, for trends. */
  previousStart: Date;
  days: number;
  grain: Grain;
};

export function rangeBounds(filters: Pick<InsightsFilters, "from" | "to">): RangeBounds {
  const days = daysInRange(filters.from, filters.to);
  const start = parseDay(filters.from);
  return {
    start,
    end: parseDay(addDays(filters.to, 1)),
    previousStart: new Date(start.getTime() - days * DAY_MS),
    days,
    grain: days <= WEEKLY_UP_TO_DAYS ? "week" : "month",
  };
}

/**
 * The first day of the period holding `date`: the ISO week's Monday, or the month's first day,
 * in UTC. Postgres's date_trunc('week' | 'month', t at time zone 'UTC') gives the same day.
 */
export function periodStart(date: Date, grain: Grain): string {
  if (grain === "month") return `${date.toISOString().slice(0, 7)}-01`;
  const midnight = parseDay(isoDay(date));
  const sinceMonday = (midnight.getUTCDay() + 6) % 7;
  return isoDay(new Date(midnight.getTime() - sinceMonday * DAY_MS));
}

export function nextPeriod(period: string, grain: Grain): string {
  if (grain === "week") return addDays(period, 7);
  const d = parseDay(period);
  return isoDay(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)));
}

/** Every period that overlaps [start, end), in order; the first and last may be partial. */
export function periodsBetween(start: Date, end: Date, grain: Grain): string[] {
  if (end <= start) return [];
  const periods: string[] = [];
  const last = isoDay(new Date(end.getTime() - 1));
  for (let p = periodStart(start, grain); p <= last; p = nextPeriod(p, grain)) periods.push(p);
  return periods;
}

/**
 * The instants a backlog is read at: the end of each period, clipped to the range's end, so the
 * last reading is "now" for a range ending today.
 */
export function periodEnds(start: Date, end: Date, grain: Grain): { period: string; at: Date }[] {
  return periodsBetween(start, end, grain).map((period) => {
    const next = parseDay(nextPeriod(period, grain));
    return { period, at: next < end ? next : end };
  });
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "2026-03" → "Mar 2026"; a week → "29 Dec 2025" (its Monday). */
export function periodLabel(period: string, grain: Grain): string {
  const [y, m, d] = period.split("-").map(Number) as [number, number, number];
  return grain === "month" ? `${MONTHS[m - 1]} ${y}` : `${d} ${MONTHS[m - 1]} ${y}`;
}

/**
 * The p-th percentile (0..1) with linear interpolation between the closest ranks: what
 * Postgres's percentile_cont computes. Null for no values.
 */
function percentile(values: readonly number[], p: number): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = p * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (rank - low);
}

export function median(values: readonly number[]): number | null {
  return percentile(values, 0.5);
}

export function p90(values: readonly number[]): number | null {
  return percentile(values, 0.9);
}

/** A share in 0..1, or null when there is nothing to share out. */
export function share(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}

/** The change from the previous period, as a signed fraction; null when either side is missing. */
export function trend(current: number | null, previous: number | null): number | null {
  if (current === null || previous === null || previous === 0) return null;
  return (current - previous) / previous;
}

export function daysBetween(from: Date, to: Date): number {
  return (to.getTime() - from.getTime()) / DAY_MS;
}

/** Time to verified: from the action's creation to its verification, in days. */
export function daysToVerified(action: { created_at: Date; verified_at: Date | null; status: string }): number | null {
  return action.status === "verified" && action.verified_at ? daysBetween(action.created_at, action.verified_at) : null;
}

/**
 * Recurrence: a factor category (or gate) named in more than one incident is recurring; it is
 * flagged while none of its guardrail actions is verified (the lesson hasn't landed).
 */
export function isRecurring(incidents: number): boolean {
  return incidents > 1;
}

export function isFlaggedRecurrence(incidents: number, verifiedActions: number): boolean {
  return isRecurring(incidents) && verifiedActions === 0;
}

export type FactorFact = { category: FactorCategory; incidentId: string; actionStatuses: string[] };

/** The recurring categories among some factors, each with whether it is flagged. */
export function recurringCategories(factors: readonly FactorFact[]): { category: FactorCategory; incidents: number; verifiedActions: number; flagged: boolean }[] {
  const by = new Map<FactorCategory, { incidents: Set<string>; verified: number }>();
  for (const f of factors) {
    const entry = by.get(f.category) ?? { incidents: new Set(), verified: 0 };
    entry.incidents.add(f.incidentId);
    entry.verified += f.actionStatuses.filter((s) => s === "verified").length;
    by.set(f.category, entry);
  }
  return [...by]
    .filter(([, e]) => isRecurring(e.incidents.size))
    .map(([category, e]) => ({ category, incidents: e.incidents.size, verifiedActions: e.verified, flagged: isFlaggedRecurrence(e.incidents.size, e.verified) }))
    .sort((a, b) => b.incidents - a.incidents || a.category.localeCompare(b.category));
}

/**
 * Postmortem timeliness, days from the incident resolved to its postmortem published: each
 * bucket holds up to `upTo` days (inclusive), after the bucket before it.
 */
/**
 * The gate chart's order of evidence states: the good news first, then what is promised but not
 * shown, then what went wrong, then what has no evidence at all.
 */
export const GATE_STATE_ORDER: readonly GateState[] = ["enforced", "required_not_seen", "seen_not_required", "stale", "regressed", "proposed"];

export const TIMELINESS_BUCKETS = [
  { key: "1d", label: "Within a day", upTo: 1 },
  { key: "3d", label: "1–3 days", upTo: 3 },
  { key: "7d", label: "3–7 days", upTo: 7 },
  { key: "14d", label: "1–2 weeks", upTo: 14 },
  { key: "30d", label: "2–4 weeks", upTo: 30 },
  { key: "later", label: "Over 30 days", upTo: Infinity },
] as const;
export type TimelinessKey = (typeof TIMELINESS_BUCKETS)[number]["key"] | "unpublished";

export function timelinessBucket(days: number | null): TimelinessKey {
  if (days === null) return "unpublished";
  return TIMELINESS_BUCKETS.find((b) => days <= b.upTo)!.key;
}

/** Still unpublished N days after resolution: counted only once N days have passed. */
export function unpublishedAfter(resolvedAt: Date, publishedAt: Date | null, days: number, now: Date): boolean | null {
  const deadline = resolvedAt.getTime() + days * DAY_MS;
  if (deadline > now.getTime()) return null;
  return publishedAt === null || publishedAt.getTime() > deadline;
}

// ---------------------------------------------------------------------------------------------
// Formatting, shared by the tables, the CSV and the charts' labels

export function formatMinutes(minutes: number | null): string {
  if (minutes === null) return "–";
  if (minutes < 90) return `${Math.round(minutes)} min`;
  if (minutes < 48 * 60) return `${(minutes / 60).toFixed(1)} h`;
  return `${(minutes / 1440).toFixed(1)} d`;
}

export function formatDays(days: number | null): string {
  return days === null ? "–" : `${days.toFixed(1)} d`;
}

export function formatShare(value: number | null): string {
  return value === null ? "–" : `${Math.round(value * 100)}%`;
}

export function formatTrend(value: number | null): string {
  if (value === null) return "–";
  const pct = Math.round(value * 100);
  return pct === 0 ? "±0%" : `${pct > 0 ? "+" : "−"}${Math.abs(pct)}%`;
}

/** RFC 4180: quote fields holding a comma, a quote or a line break; lines end in CRLF. */
export function toCsv(columns: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  const field = (value: string | number) => {
    const text = String(value);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [columns, ...rows].map((row) => row.map(field).join(",")).join("\r\n") + "\r\n";
}
