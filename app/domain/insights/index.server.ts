/**
 * Insights: the entry point for routes. One report per request, its queries run side by side;
 * the report's tables (tables.ts) are what the page shows, charts and CSV alike.
 */
import type { Db } from "#db/connection";
import { actionFlow, areaHealth, assistedChanges, factorsOverTime, gateCounts, headline, incidentsOverTime, postmortemTimeliness, responseTimes } from "./queries.server";
import { cachedReport } from "./cache.server";
import { isoDay, rangeBounds, type InsightsFilters } from "./rules";

export { clearInsightsCache, insightsCacheEnabled } from "./cache.server";

export type { Headline } from "./queries.server";
export { filtersQuery, parseInsightsFilters } from "./filters";
export * from "./tables.server";
export type { InsightsFilters } from "./rules";

export async function insightsReport(db: Db, workspaceId: string, filters: InsightsFilters, now = new Date()) {
  const bounds = rangeBounds(filters);
  const today = isoDay(now);
  const [incidents, response, timeliness, factors, flow, gates, assisted, areas] = await Promise.all([
    incidentsOverTime(db, workspaceId, filters, bounds),
    responseTimes(db, workspaceId, filters, bounds),
    postmortemTimeliness(db, workspaceId, filters, now, bounds),
    factorsOverTime(db, workspaceId, filters, bounds),
    actionFlow(db, workspaceId, filters, bounds),
    gateCounts(db, workspaceId, filters.tier),
    assistedChanges(db, workspaceId, filters, bounds),
    areaHealth(db, workspaceId, filters, today, bounds),
  ]);
  return { filters, bounds, today, incidents, response, timeliness, factors, flow, gates, assisted, areas };
}

export type InsightsReport = Awaited<ReturnType<typeof insightsReport>>;

/** The report, kept while nothing in the workspace changed (cache.server.ts); `cached` says whether it was. */
export async function currentInsightsReport(db: Db, workspaceId: string, filters: InsightsFilters, now = new Date()) {
  const { value, hit } = await cachedReport(db, workspaceId, filters, now, () => insightsReport(db, workspaceId, filters, now));
  return { report: value, cached: hit };
}

/** The overview strip: overdue actions today, median days to verified over 90 days, flagged recurrences. */
export async function overviewHeadline(db: Db, workspaceId: string, now = new Date()) {
  return headline(db, workspaceId, isoDay(now), new Date(now.getTime() - 90 * 24 * 60 * 60 * 1000));
}
