import type { LoaderFunctionArgs } from "@remix-run/node";
import { CHART_IDS, type ChartId, currentInsightsReport, insightsTables, parseInsightsFilters } from "~/domain/insights/index.server";
import { isoDay, toCsv } from "~/domain/insights/rules";
import { database } from "~/http/db.server";
import { requireMember } from "~/http/session.server";

/** One chart's table as CSV, for the same filters as the page: `?chart=<id>&range=…`. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace } = await requireMember(request, params.workspace);
  const url = new URL(request.url);
  const chart = url.searchParams.get("chart") as ChartId | null;
  if (!chart || !CHART_IDS.includes(chart)) throw new Response("There is no such chart.", { status: 404 });
  const now = new Date();
  const filters = parseInsightsFilters(url.searchParams, isoDay(now));
  // The same report as the page's, kept or computed alike, so the file says what the page said.
  const { report } = await currentInsightsReport(await database(), workspace.id, filters, now);
  const table = insightsTables(report, workspace.slug)[chart];
  return new Response(toCsv(table.columns, table.rows), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${workspace.slug}-${chart}-${filters.from}-${filters.to}.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
}
