/**
 * The insights charts as SVG markup, rendered once on the server. The page embeds the markup
 * as is, so the chart library never ships to the browser: a read page stays light, and the
 * charts read the same with JavaScript off and on paper.
 */
import { renderToStaticMarkup } from "react-dom/server";
import { BarChart, type Series } from "~/components/charts/bar-chart";
import { LineChart } from "~/components/charts/line-chart";
import { FACTOR_CATEGORIES } from "~/domain/guardrails/rules";
import { type ChartId, type ChartTable, incidentListHref, type InsightsReport, periodDays } from "~/domain/insights/index.server";
import { SEVERITIES } from "~/domain/incidents/rules";
import { formatMinutes, periodsBetween, share, type Grain } from "~/domain/insights/rules";
import type { FactorCategory } from "#db/schema";

export type LegendEntry = { label: string; color: string; dashed?: boolean };
export type RenderedChart = { svg: string; legend: LegendEntry[] };

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
function shortLabel(period: string, grain: Grain): string {
  const [y, m, d] = period.split("-").map(Number) as [number, number, number];
  return grain === "month" ? `${MONTHS[m - 1]} ${String(y).slice(2)}` : `${d} ${MONTHS[m - 1]}`;
}

const SEVERITY_COLORS = { SEV1: "#b42318", SEV2: "#d9480f", SEV3: "#8a5a00", SEV4: "#848e9d" } as const;
const CATEGORY_COLORS = ["#2f5bd3", "#1d6b3a", "#b42318", "#8a5a00", "#6941c6", "#0e7490", "#c11574", "#4f5b6b", "#d9480f", "#3f6212", "#848e9d"];
const BLUE = "#2f5bd3";
const GREEN = "#1d6b3a";
const GREY = "#848e9d";
const RED = "#b42318";
const VIOLET = "#6941c6";

const percent = (v: number) => `${Math.round(v * 100)}%`;
const legendOf = (series: Series[], dashed: number[] = []): LegendEntry[] => series.map((s, i) => ({ label: s.label, color: s.color, dashed: dashed.includes(i) }));

export function renderInsightsCharts(report: InsightsReport, tables: Record<ChartId, ChartTable>, slug: string): Partial<Record<ChartId, RenderedChart>> {
  const { grain, start, end } = report.bounds;
  const periods = periodsBetween(start, end, grain);
  const labels = periods.map((p) => shortLabel(p, grain));
  const labelEvery = Math.max(1, Math.ceil(periods.length / 8));
  const charts: Partial<Record<ChartId, RenderedChart>> = {};
  const bars = (id: ChartId, props: Parameters<typeof BarChart>[0], legend = legendOf(props.series)) => {
    charts[id] = { svg: renderToStaticMarkup(<BarChart {...props} />), legend };
  };

  // Incidents, stacked by severity; each segment opens the incident list for its period and severity.
  const incidentRows = tables.incidents.rows;
  bars("incidents", {
    labels,
    labelEvery,
    mode: "stacked",
    series: SEVERITIES.map((severity, si) => ({
      key: severity,
      label: severity,
      color: SEVERITY_COLORS[severity],
      values: incidentRows.map((r) => Number(r[si + 1])),
      hrefs: periods.map((p) => incidentListHref({ slug, filters: report.filters }, { ...periodDays(p, grain, report.filters), severity })),
    })),
  });

  for (const [id, rows] of [
    ["response-tier", report.response.byTier],
    ["response-area", report.response.byArea],
  ] as const) {
    bars(id, {
      labels: rows.map((r) => r.label),
      mode: "grouped",
      formatValue: (v) => formatMinutes(v),
      series: [
        { key: "detect", label: "Median time to detect", color: BLUE, values: rows.map((r) => r.detectMedian ?? 0), hrefs: tables[id].rowLinks },
        { key: "mitigate", label: "Median time to mitigate", color: GREEN, values: rows.map((r) => r.mitigateMedian ?? 0), hrefs: tables[id].rowLinks },
      ],
    });
  }

  bars("timeliness", {
    labels: tables.timeliness.rows.map((r) => String(r[0])),
    mode: "grouped",
    series: [{ key: "postmortems", label: "Postmortems", color: BLUE, values: report.timeliness.buckets.map((b) => b.postmortems) }],
  });

  const categoryFacts = new Map(report.factors.categories.map((c) => [c.category, c]));
  const categories = (Object.keys(FACTOR_CATEGORIES) as FactorCategory[]).filter((c) => categoryFacts.has(c));
  const factorCounts = new Map(report.factors.byPeriod.map((r) => [`${r.period}|${r.category}`, r.factors]));
  const factorSeries: Series[] = categories.map((c) => {
    const f = categoryFacts.get(c)!;
    const mark = f.incidents > 1 ? (f.verifiedActions === 0 ? " ⟳ recurring, none verified" : " ⟳ recurring") : "";
    return {
      key: c,
      label: `${FACTOR_CATEGORIES[c]}${mark}`,
      color: CATEGORY_COLORS[(Object.keys(FACTOR_CATEGORIES) as FactorCategory[]).indexOf(c) % CATEGORY_COLORS.length]!,
      values: periods.map((p) => factorCounts.get(`${p}|${c}`) ?? 0),
    };
  });
  bars("factors", { labels, labelEvery, mode: "stacked", series: factorSeries });

  const flowLinks = tables.flow.seriesLinks!;
  bars("flow", {
    labels,
    labelEvery,
    mode: "grouped",
    series: [
      { key: "opened", label: "Opened", color: GREY, values: report.flow.byPeriod.map((r) => r.opened), hrefs: flowLinks.opened },
      { key: "done", label: "Done", color: BLUE, values: report.flow.byPeriod.map((r) => r.done), hrefs: flowLinks.done },
      { key: "verified", label: "Verified", color: GREEN, values: report.flow.byPeriod.map((r) => r.verified), hrefs: flowLinks.verified },
    ],
  });

  bars("verification", {
    labels: tables.verification.rows.map((r) => String(r[0])),
    mode: "grouped",
    series: [{ key: "actions", label: "Actions verified", color: GREEN, values: [report.flow.verifiedByGate, report.flow.verifiedByPerson], hrefs: tables.verification.rowLinks }],
  });

  const backlogLinks = tables.backlog.seriesLinks!;
  const backlogSeries: Series[] = [
    { key: "open", label: "Open", color: BLUE, values: report.flow.backlog.map((r) => r.open), hrefs: backlogLinks.open },
    { key: "overdue", label: "Overdue", color: RED, values: report.flow.backlog.map((r) => r.overdue), hrefs: backlogLinks.overdue },
  ];
  charts.backlog = { svg: renderToStaticMarkup(<LineChart labels={labels} labelEvery={labelEvery} series={backlogSeries} />), legend: legendOf(backlogSeries, [1]) };

  bars("gates", {
    labels: tables.gates.rows.map((r) => String(r[0]).replace(", not yet seen", ", not seen").replace(", no evidence yet", "")),
    mode: "grouped",
    series: [{ key: "gates", label: "Gates", color: BLUE, values: tables.gates.rows.map((r) => Number(r[1])), hrefs: tables.gates.rowLinks }],
  });

  bars("assisted", {
    labels: report.assisted.map((r) => r.tier),
    mode: "grouped",
    formatValue: percent,
    series: [
      { key: "incidents", label: "Incidents with an assisted trigger PR", color: VIOLET, values: report.assisted.map((r) => share(r.assistedTrigger, r.withTrigger) ?? 0), hrefs: tables.assisted.rowLinks },
      { key: "prs", label: "Linked PRs that were assisted", color: GREY, values: report.assisted.map((r) => share(r.assistedPullRequests, r.linkedPullRequests) ?? 0), hrefs: tables.assisted.rowLinks },
    ],
  });

  bars("assisted-factors", {
    labels,
    labelEvery,
    mode: "grouped",
    series: [{ key: "factors", label: "Assisted change unverified", color: VIOLET, values: tables["assisted-factors"].rows.map((r) => Number(r[1])), hrefs: tables["assisted-factors"].rowLinks }],
  });

  return charts;
}
