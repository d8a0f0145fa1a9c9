/**
 * The insights filters as a URL says them, parsed with zod. Apart from rules.ts so the page's
 * browser bundle (which imports rules.ts for formatting) doesn't carry zod.
 */
import { z } from "zod";
import { SEVERITIES } from "~/domain/incidents/rules";
import { TIER_KEYS } from "~/domain/workspaces/rules";
import { addDays, daysInRange, isoDay, LONGEST_RANGE_DAYS, parseDay, RANGE_PRESETS, type InsightsFilters } from "./rules";

const dayText = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((v) => !Number.isNaN(parseDay(v).getTime()) && isoDay(parseDay(v)) === v);

// Unknown or malformed values fall back to the defaults: a stale or hand-edited link still opens.
const Params = z.object({
  range: z.enum([...RANGE_PRESETS, "custom"]).catch("90"),
  from: dayText.optional().catch(undefined),
  to: dayText.optional().catch(undefined),
  tier: z.enum(TIER_KEYS).optional().catch(undefined),
  severity: z.enum(SEVERITIES).optional().catch(undefined),
});
const AreaSlug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,79}$/);

/**
 * The filters a URL asks for. Presets end today (UTC); a custom range needs both days, in order,
 * and at most LONGEST_RANGE_DAYS long, else it falls back to the last 90 days.
 */
export function parseInsightsFilters(params: URLSearchParams, today: string): InsightsFilters {
  const raw = Params.parse({
    range: params.get("range") ?? undefined,
    from: params.get("from") ?? undefined,
    to: params.get("to") ?? undefined,
    tier: params.get("tier") || undefined,
    severity: params.get("severity") || undefined,
  });
  const areas = [...new Set(params.getAll("area").filter((a) => AreaSlug.safeParse(a).success))].sort();
  const common = { areas, tier: raw.tier ?? null, severity: raw.severity ?? null };
  if (raw.range === "custom" && raw.from && raw.to && raw.from <= raw.to && daysInRange(raw.from, raw.to) <= LONGEST_RANGE_DAYS) {
    return { range: "custom", from: raw.from, to: raw.to, ...common };
  }
  const preset = raw.range === "custom" ? "90" : raw.range;
  return { range: preset, from: addDays(today, 1 - Number(preset)), to: today, ...common };
}

/** The URL query that asks for these filters (the inverse of parseInsightsFilters). */
export function filtersQuery(filters: InsightsFilters): URLSearchParams {
  const params = new URLSearchParams({ range: filters.range });
  if (filters.range === "custom") {
    params.set("from", filters.from);
    params.set("to", filters.to);
  }
  for (const area of filters.areas) params.append("area", area);
  if (filters.tier) params.set("tier", filters.tier);
  if (filters.severity) params.set("severity", filters.severity);
  return params;
}

