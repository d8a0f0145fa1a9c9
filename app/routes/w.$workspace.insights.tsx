import type { HeadersFunction, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { ChartFigure, type FigureData } from "~/components/insights/chart-figure";
import { renderInsightsCharts } from "~/components/insights/render.server";
import { PageHead } from "~/components/page-head";
import { WorkspaceRouteError } from "~/components/route-error";
import { DateRangeFilter, FilterSelect } from "~/components/filters";
import { listAreas } from "~/domain/workspaces/index.server";
import { SEVERITY_LABELS } from "~/domain/incidents/rules";
import { CHART_IDS, type ChartId, currentInsightsReport, filtersQuery, insightsTables, parseInsightsFilters } from "~/domain/insights/index.server";
import { formatDays, formatShare, isoDay, periodLabel, RANGE_PRESETS, share } from "~/domain/insights/rules";
import { TIER_KEYS } from "~/domain/workspaces/rules";
import { database } from "~/http/db.server";
import { requireMember } from "~/http/session.server";
import insightsStyles from "~/styles/insights.css?url";

export const meta: MetaFunction = () => [{ title: "Insights · Hindsight" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: insightsStyles }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace } = await requireMember(request, params.workspace);
  const now = new Date();
  const filters = parseInsightsFilters(new URL(request.url).searchParams, isoDay(now));
  const db = await database();
  const started = performance.now();
  const [{ report, cached }, areas] = await Promise.all([currentInsightsReport(db, workspace.id, filters, now), listAreas(db, workspace.id)]);
  const ms = performance.now() - started;
  const drawing = performance.now();
  const tables = insightsTables(report, workspace.slug);
  const svgs = renderInsightsCharts(report, tables, workspace.slug);
  const drawMs = performance.now() - drawing;
  const query = filtersQuery(filters);
  const charts = Object.fromEntries(
    CHART_IDS.map((id) => {
      const csv = new URLSearchParams(query);
      csv.set("chart", id);
      const figure: FigureData = { ...tables[id], csvHref: `/w/${workspace.slug}/insights.csv?${csv.toString()}`, svg: svgs[id]?.svg ?? null, legend: svgs[id]?.legend ?? [] };
      return [id, figure];
    }),
  ) as Record<ChartId, FigureData>;
  const backlogNow = report.flow.backlog.at(-1);
  return data(
    {
      slug: workspace.slug,
      filters,
      grain: report.bounds.grain,
      areas: areas.map((a) => ({ slug: a.slug, name: a.name })),
      charts,
      headline: {
        medianDaysToVerified: report.flow.medianDaysToVerified,
        verifiedByGate: share(report.flow.verifiedByGate, report.flow.verified),
        open: backlogNow?.open ?? 0,
        overdue: backlogNow?.overdue ?? 0,
      },
    },
    // Server-Timing: what the report's queries and drawing its charts cost, for the network panel and bench/insights.
    { headers: { "Server-Timing": `insights;dur=${ms.toFixed(2)};desc="${cached ? "kept" : "computed"}", charts;dur=${drawMs.toFixed(2)}` } },
  );
}

export const headers: HeadersFunction = ({ loaderHeaders }) => {
  const headers = new Headers();
  const timing = loaderHeaders.get("Server-Timing");
  if (timing) headers.set("Server-Timing", timing);
  return headers;
};

const RANGE_LABELS: Record<(typeof RANGE_PRESETS)[number], string> = { "30": "Last 30 days", "90": "Last 90 days", "365": "Last 365 days" };

function dayLabel(day: string) {
  return periodLabel(day, "week");
}

export default function Insights() {
  const { slug, filters, grain, areas, charts, headline } = useLoaderData<typeof loader>();
  const busy = useNavigation().state === "loading";
  return (
    <>
      <PageHead
        title="Insights"
        description="Whether the lessons land: response times, postmortems, recurring factors and guardrails that are verified, not just ticked."
      />
      <Form method="get" className="filters card insights-filters" aria-label="Choose what the charts count" preventScrollReset>
        <div className="field">
          <label htmlFor="insights-range">Range</label>
          <select id="insights-range" name="range" defaultValue={filters.range}>
            {RANGE_PRESETS.map((r) => (
              <option key={r} value={r}>
                {RANGE_LABELS[r]}
              </option>
            ))}
            <option value="custom">Custom (from – to)</option>
          </select>
        </div>
        <DateRangeFilter idPrefix="insights" from={filters.from} to={filters.to} labels={["From", "To"]} />
        <FilterSelect idPrefix="insights" name="tier" label="Tier" value={filters.tier} options={TIER_KEYS} />
        <FilterSelect
          idPrefix="insights"
          name="severity"
          label="Severity"
          value={filters.severity}
          options={Object.entries(SEVERITY_LABELS).map(([value, label]) => ({ value, label }))}
        />
        <fieldset className="fieldset insights-areas">
          <legend>Areas</legend>
          {areas.map((a) => (
            <label key={a.slug} className="checkbox">
              <input type="checkbox" name="area" value={a.slug} defaultChecked={filters.areas.includes(a.slug)} /> {a.name}
            </label>
          ))}
        </fieldset>
        <button type="submit" className="button secondary">
          Show
        </button>
        <Link to={`/w/${slug}/insights`}>Reset</Link>
      </Form>
      <p className="insights-scope" role="status" aria-busy={busy}>
        {dayLabel(filters.from)} – {dayLabel(filters.to)}, per {grain}
        {filters.tier ? `, tier ${filters.tier}` : ""}
        {filters.severity ? `, ${filters.severity}` : ""}
        {filters.areas.length ? `, ${filters.areas.length === 1 ? "1 area" : `${filters.areas.length} areas`}` : ""}. A custom range uses From and To.
      </p>

      <section aria-labelledby="follow-through" className="insights-section">
        <h2 id="follow-through">Follow-through</h2>
        <dl className="stats" aria-label="Guardrail follow-through in this range">
          <div className="stat">
            <dt>Median days to verified</dt>
            <dd>{formatDays(headline.medianDaysToVerified)}</dd>
          </div>
          <div className="stat">
            <dt>Verified by a gate</dt>
            <dd>{formatShare(headline.verifiedByGate)}</dd>
          </div>
          <div className="stat">
            <dt>Open actions at the end</dt>
            <dd>{headline.open}</dd>
          </div>
          <div className={headline.overdue > 0 ? "stat stat-danger" : "stat"}>
            <dt>Overdue at the end</dt>
            <dd>{headline.overdue}</dd>
          </div>
        </dl>
        <div className="chart-grid">
          <ChartFigure chart={charts.flow} />
          <ChartFigure chart={charts.backlog} />
          <ChartFigure chart={charts.verification} />
        </div>
      </section>

      <section aria-labelledby="response" className="insights-section">
        <h2 id="response">Response</h2>
        <div className="chart-grid">
          <ChartFigure chart={charts.incidents} />
          <ChartFigure chart={charts["response-tier"]} />
          <ChartFigure chart={charts["response-area"]} />
        </div>
      </section>

      <section aria-labelledby="learning" className="insights-section">
        <h2 id="learning">Learning</h2>
        <div className="chart-grid">
          <ChartFigure chart={charts.timeliness} />
          <ChartFigure chart={charts.factors} />
        </div>
      </section>

      <section aria-labelledby="gates" className="insights-section">
        <h2 id="gates">Gates</h2>
        <div className="chart-grid">
          <ChartFigure chart={charts.gates} />
        </div>
      </section>

      <section aria-labelledby="ai-era" className="insights-section">
        <h2 id="ai-era">Model-assisted changes</h2>
        <div className="chart-grid">
          <ChartFigure chart={charts.assisted} />
          <ChartFigure chart={charts["assisted-factors"]} />
        </div>
      </section>

      <section aria-labelledby="area-health" className="insights-section">
        <h2 id="area-health">Area health</h2>
        <ChartFigure chart={charts.areas} />
      </section>
    </>
  );
}

export const ErrorBoundary = WorkspaceRouteError;
