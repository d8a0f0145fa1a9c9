/**
 * Each chart's numbers as one table: the page's <table>, its CSV and the links into the list
 * behind each row come from here, so the three can't disagree. Pure: no database, no React.
 */
import type { FactorCategory, Severity } from "#db/schema";
import { boardHref, type BoardView, FACTOR_CATEGORIES, GATE_STATES, GATE_STATUSES } from "~/domain/guardrails/rules";
import { SEVERITIES } from "~/domain/incidents/rules";
import type { InsightsReport } from "./index.server";
import {
  addDays,
  formatDays,
  GATE_STATE_ORDER,
  formatMinutes,
  formatShare,
  formatTrend,
  isFlaggedRecurrence,
  isRecurring,
  nextPeriod,
  periodLabel,
  periodsBetween,
  share,
  TIMELINESS_BUCKETS,
  trend,
  type Grain,
  type InsightsFilters,
} from "./rules";

export type Cell = string | number;
export type ChartId =
  | "incidents"
  | "response-tier"
  | "response-area"
  | "timeliness"
  | "factors"
  | "flow"
  | "verification"
  | "backlog"
  | "gates"
  | "assisted"
  | "assisted-factors"
  | "areas";

export const CHART_IDS: readonly ChartId[] = [
  "incidents",
  "response-tier",
  "response-area",
  "timeliness",
  "factors",
  "flow",
  "verification",
  "backlog",
  "gates",
  "assisted",
  "assisted-factors",
  "areas",
];

export type ChartTable = {
  id: ChartId;
  title: string;
  meaning: string;
  columns: string[];
  rows: Cell[][];
  /** Where each row's records are listed (null: nowhere narrower than `list`). */
  rowLinks: (string | null)[];
  /** Where each bar or point of a series leads, when it is narrower than its row's link (series key → one link per row). */
  seriesLinks?: Record<string, (string | null)[]>;
  /** The list behind the whole chart, and what it can't filter by yet. */
  list: { href: string; label: string; note?: string };
};

type Where = { slug: string; filters: InsightsFilters };

/** The incident list understands from/to (started, inclusive days), severity, tier and one area. */
export function incidentListHref({ slug, filters }: Where, narrower: { from?: string; to?: string; severity?: Severity; tier?: string; area?: string } = {}) {
  const params = new URLSearchParams();
  params.set("from", narrower.from ?? filters.from);
  params.set("to", narrower.to ?? filters.to);
  const severity = narrower.severity ?? filters.severity;
  const tier = narrower.tier ?? filters.tier;
  const area = narrower.area ?? (filters.areas.length === 1 ? filters.areas[0] : undefined);
  if (severity) params.set("severity", severity);
  if (tier) params.set("tier", tier);
  if (area) params.set("area", area);
  return `/w/${slug}/incidents?${params.toString()}`;
}

/** The guardrails board, narrowed to the actions of the chosen areas, tier and severity (as the charts scope them). */
function boardLink({ slug, filters }: Where, view: Partial<BoardView>) {
  return boardHref(slug, { areas: filters.areas, tier: filters.tier ?? undefined, severity: filters.severity ?? undefined, ...view });
}

/** The whole range, as the board's inclusive days. */
function rangeDays(filters: InsightsFilters) {
  return { from: filters.from, to: filters.to };
}

/** A period's days inside the range, for the incident list's from/to. */
export function periodDays(period: string, grain: Grain, filters: InsightsFilters) {
  const from = period < filters.from ? filters.from : period;
  const last = addDays(nextPeriod(period, grain), -1);
  return { from, to: last > filters.to ? filters.to : last };
}

const AREA_NOTE = "The list filters by one area at a time; with several areas chosen it shows them all.";

export function insightsTables(report: InsightsReport, slug: string): Record<ChartId, ChartTable> {
  const where = { slug, filters: report.filters };
  const { grain, start, end } = report.bounds;
  const periods = periodsBetween(start, end, grain);
  const multiArea = report.filters.areas.length > 1 ? AREA_NOTE : undefined;

  // 1. Incidents over time
  const bySeverity = new Map(report.incidents.map((r) => [`${r.period}|${r.severity}`, r.incidents]));
  const incidents: ChartTable = {
    id: "incidents",
    title: "Incidents over time",
    meaning: `Incidents that started in each ${grain}, by severity: is the rate rising, and are the bad ones rarer?`,
    columns: [grain === "week" ? "Week of" : "Month", ...SEVERITIES, "Total"],
    rows: periods.map((p) => {
      const counts = SEVERITIES.map((s) => bySeverity.get(`${p}|${s}`) ?? 0);
      return [periodLabel(p, grain), ...counts, counts.reduce((a, b) => a + b, 0)];
    }),
    rowLinks: periods.map((p) => incidentListHref(where, periodDays(p, grain, report.filters))),
    list: { href: incidentListHref(where), label: "Incidents in this range", note: multiArea },
  };

  // 2. Response times
  const responseTable = (id: "response-tier" | "response-area", key: string, rows: InsightsReport["response"]["byTier"]): ChartTable => ({
    id,
    title: id === "response-tier" ? "Time to detect and mitigate, by tier" : "Time to detect and mitigate, by area",
    meaning: `Median and slowest tenth (p90) from start to detection and to mitigation; the trend compares the median with the ${report.bounds.days} days before.`,
    columns: [key, "Incidents", "Detect median", "Detect p90", "Detect trend", "Mitigate median", "Mitigate p90", "Mitigate trend"],
    rows: rows.map((r) => [
      r.label,
      r.incidents,
      formatMinutes(r.detectMedian),
      formatMinutes(r.detectP90),
      formatTrend(trend(r.detectMedian, r.previousDetectMedian)),
      formatMinutes(r.mitigateMedian),
      formatMinutes(r.mitigateP90),
      formatTrend(trend(r.mitigateMedian, r.previousMitigateMedian)),
    ]),
    rowLinks: rows.map((r) => incidentListHref(where, id === "response-tier" ? { tier: r.key } : { area: r.key })),
    list: { href: incidentListHref(where), label: "Incidents in this range", note: multiArea },
  });

  // 3. Postmortem timeliness
  const t = report.timeliness;
  const bucketLabels = new Map<string, string>([...TIMELINESS_BUCKETS.map((b) => [b.key, b.label] as [string, string]), ["unpublished", "Not published yet"]]);
  const timeliness: ChartTable = {
    id: "timeliness",
    title: "Postmortem timeliness",
    meaning: `Days from an incident resolved to its postmortem published. Still unpublished 7 days after: ${formatShare(share(t.unpublished7, t.eligible7))} (${t.unpublished7} of ${t.eligible7}); after 30 days: ${formatShare(share(t.unpublished30, t.eligible30))} (${t.unpublished30} of ${t.eligible30}).`,
    columns: ["Resolved to published", "Postmortems", "Share"],
    rows: t.buckets.map((b) => [bucketLabels.get(b.key)!, b.postmortems, formatShare(share(b.postmortems, t.resolved))]),
    rowLinks: t.buckets.map(() => null),
    list: { href: `/w/${slug}/postmortems`, label: "All postmortems", note: "The postmortem list has no filters yet: it lists every postmortem, most recently edited first." },
  };

  // 4. Factors by category over time, recurrence marked
  const categoryFacts = new Map(report.factors.categories.map((c) => [c.category, c]));
  const categories = (Object.keys(FACTOR_CATEGORIES) as FactorCategory[]).filter((c) => categoryFacts.has(c));
  const factorCounts = new Map(report.factors.byPeriod.map((r) => [`${r.period}|${r.category}`, r.factors]));
  const recurrenceMark = (c: FactorCategory) => {
    const f = categoryFacts.get(c)!;
    return isFlaggedRecurrence(f.incidents, f.verifiedActions) ? "recurring, no verified action" : isRecurring(f.incidents) ? "recurring" : "";
  };
  const factors: ChartTable = {
    id: "factors",
    title: "Contributing factors by category",
    meaning: "What let changes through, per period. A category named in more than one incident is recurring; it is flagged while none of its actions is verified.",
    columns: ["Category", "Incidents", "Verified actions", "Recurrence", ...periods.map((p) => periodLabel(p, grain)), "Total"],
    rows: categories.map((c) => {
      const counts = periods.map((p) => factorCounts.get(`${p}|${c}`) ?? 0);
      const f = categoryFacts.get(c)!;
      return [FACTOR_CATEGORIES[c], f.incidents, f.verifiedActions, recurrenceMark(c), ...counts, counts.reduce((a, b) => a + b, 0)];
    }),
    rowLinks: categories.map(() => null),
    list: {
      href: `/w/${slug}/guardrails?status=all`,
      label: "Recurring factors on the guardrails board",
      note: "The board lists recurrences over all time; no list filters factors by category yet.",
    },
  };

  // 5. Follow-through
  const flow: ChartTable = {
    id: "flow",
    title: "Guardrail actions: opened, done, verified",
    meaning: `Actions opened, marked done and verified in each ${grain}. Verified means a gate was seen enforced or someone recorded evidence; done alone is a promise.`,
    columns: [grain === "week" ? "Week of" : "Month", "Opened", "Done", "Verified"],
    rows: report.flow.byPeriod.map((r) => [periodLabel(r.period, grain), r.opened, r.done, r.verified]),
    rowLinks: report.flow.byPeriod.map((r) => boardLink(where, { status: "all", dates: "opened", ...periodDays(r.period, grain, report.filters) })),
    seriesLinks: {
      opened: report.flow.byPeriod.map((r) => boardLink(where, { status: "all", dates: "opened", ...periodDays(r.period, grain, report.filters) })),
      done: report.flow.byPeriod.map((r) => boardLink(where, { status: "all", dates: "done", ...periodDays(r.period, grain, report.filters) })),
      verified: report.flow.byPeriod.map((r) => boardLink(where, { status: "verified", dates: "verified", ...periodDays(r.period, grain, report.filters) })),
    },
    list: { href: boardLink(where, { status: "all", dates: "opened", ...rangeDays(report.filters) }), label: "Actions opened in this range, on the board" },
  };
  const f = report.flow;
  const verifiedIn = (verifiedBy?: "gate" | "person") => boardLink(where, { status: "verified", dates: "verified", ...rangeDays(report.filters), verifiedBy });
  const verification: ChartTable = {
    id: "verification",
    title: "How actions were verified",
    meaning: `Of ${f.verified} actions verified in this range, by a gate's check run or by a person's evidence. Median time from opened to verified: ${formatDays(f.medianDaysToVerified)}.`,
    columns: ["Verified by", "Actions", "Share"],
    rows: [
      ["A gate's check run", f.verifiedByGate, formatShare(share(f.verifiedByGate, f.verified))],
      ["A person's evidence", f.verifiedByPerson, formatShare(share(f.verifiedByPerson, f.verified))],
    ],
    rowLinks: [verifiedIn("gate"), verifiedIn("person")],
    list: { href: verifiedIn(), label: "Actions verified in this range, on the board" },
  };
  // Only the last reading is today's: the board lists actions as they are now, not as they were.
  const endsToday = report.filters.to === report.today;
  const backlogNow = (status: "open" | "overdue") => (endsToday ? boardLink(where, { status }) : null);
  const backlog: ChartTable = {
    id: "backlog",
    title: "Open and overdue actions",
    meaning: "The backlog at the end of each period: open (not yet done, verified or won't do) and overdue (open past its due date). Is it shrinking?",
    columns: ["At the end of", "Open", "Overdue"],
    rows: f.backlog.map((r) => [periodLabel(r.period, grain), r.open, r.overdue]),
    rowLinks: f.backlog.map((_, i) => (i === f.backlog.length - 1 ? backlogNow("open") : null)),
    seriesLinks: {
      open: f.backlog.map((_, i) => (i === f.backlog.length - 1 ? backlogNow("open") : null)),
      overdue: f.backlog.map((_, i) => (i === f.backlog.length - 1 ? backlogNow("overdue") : null)),
    },
    list: {
      href: boardLink(where, { status: endsToday ? "overdue" : "open" }),
      label: endsToday ? "Overdue actions today, on the board" : "Open actions today, on the board",
      note: "The board lists actions as they are today, so it matches the last reading of a range that ends today.",
    },
  };

  // 6. Gates, by evidence
  const tierQuery = report.filters.tier ? `&tier=${report.filters.tier}` : "";
  const gateRows: [string, string, number][] = [
    ...GATE_STATE_ORDER.map((state): [string, string, number] => [`state=${state}`, state === "proposed" ? "Proposed, no evidence yet" : GATE_STATES[state], report.gates.byState[state]]),
    ["status=retired", GATE_STATUSES.retired, report.gates.retired],
  ];
  const gates: ChartTable = {
    id: "gates",
    title: "Gates today",
    meaning: "What the evidence says about each gate: enforced (GitHub requires its check and it was seen passing), required but not yet seen, seen but not required, stale (not seen lately), regressed (no longer required).",
    columns: ["Evidence", "Gates"],
    rows: gateRows.map(([, label, n]) => [label, n]),
    rowLinks: gateRows.map(([query]) => `/w/${slug}/gates?${query}${tierQuery}`),
    list: { href: `/w/${slug}/gates${tierQuery ? `?${tierQuery.slice(1)}` : ""}`, label: report.filters.tier ? `Gates for tier ${report.filters.tier}` : "All gates" },
  };

  // 7. Assisted changes
  const assisted: ChartTable = {
    id: "assisted",
    title: "Model-assisted changes in incidents, by tier",
    meaning: "Share of incidents whose trigger pull request was assisted by a model, against the share of all pull requests linked to those incidents that were. A higher first share means assisted changes fail more often than their share of changes.",
    columns: ["Tier", "Incidents", "With a trigger PR", "Assisted trigger", "Share of incidents", "Linked PRs", "Assisted PRs", "Share of PRs"],
    rows: report.assisted.map((r) => [
      r.tier,
      r.incidents,
      r.withTrigger,
      r.assistedTrigger,
      formatShare(share(r.assistedTrigger, r.withTrigger)),
      r.linkedPullRequests,
      r.assistedPullRequests,
      formatShare(share(r.assistedPullRequests, r.linkedPullRequests)),
    ]),
    rowLinks: report.assisted.map((r) => incidentListHref(where, { tier: r.tier })),
    list: { href: incidentListHref(where), label: "Incidents in this range", note: "The incident list doesn't filter by assisted pull requests yet." },
  };
  const assistedCounts = periods.map((p) => factorCounts.get(`${p}|assisted_change_unverified`) ?? 0);
  const assistedFactors: ChartTable = {
    id: "assisted-factors",
    title: "Factors: assisted change unverified",
    meaning: "Contributing factors where a model-assisted change went out without the verification its tier asks for, per period.",
    columns: [grain === "week" ? "Week of" : "Month", "Factors"],
    rows: periods.map((p, i) => [periodLabel(p, grain), assistedCounts[i]!]),
    rowLinks: periods.map((p) => incidentListHref(where, periodDays(p, grain, report.filters))),
    list: { href: incidentListHref(where), label: "Incidents in this range", note: "No list filters factors by category yet; this opens the incidents of the range." },
  };

  // 9. Area health
  const areas: ChartTable = {
    id: "areas",
    title: "Area health",
    meaning: "Could each area safely take twice as many changes next month? Open and overdue actions, flagged recurrences and gates not seen enforced say no; so does an area with no maintainer.",
    columns: ["Area", "Incidents", "Open actions", "Overdue actions", "Recurring factors", "Unverified gates", "Maintainers"],
    rows: report.areas.map((a) => [a.name, a.incidents, a.openActions, a.overdueActions, a.recurringFactors, a.unverifiedGates, a.maintainers === 0 ? "0 (none)" : a.maintainers]),
    rowLinks: report.areas.map((a) => boardHref(slug, { areas: [a.slug] })),
    list: { href: `/w/${slug}/settings#catalog`, label: "Areas and their maintainers in Settings" },
  };

  return {
    incidents,
    "response-tier": responseTable("response-tier", "Tier", report.response.byTier),
    "response-area": responseTable("response-area", "Area", report.response.byArea),
    timeliness,
    factors,
    flow,
    verification,
    backlog,
    gates,
    assisted,
    "assisted-factors": assistedFactors,
    areas,
  };
}
