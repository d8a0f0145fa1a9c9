import type { LoaderFunctionArgs } from "@remix-run/node";
import { postmortemMarkdown, postmortemSummary } from "~/domain/postmortems/index.server";
import { incidentReference } from "~/domain/incidents/rules";
import { notFoundJson, numberParam, requireApiCaller } from "~/http/api.server";
import { database } from "~/http/db.server";
import { jsonOk, methodNotAllowed } from "~/http/machine.server";

/**
 * GET /api/v1/:workspace/postmortems/:number — the postmortem of incident :number as Markdown:
 * inside JSON by default, or the Markdown file itself with `Accept: text/markdown`.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const caller = await requireApiCaller(request, params.workspace, "workspace.view");
  const number = numberParam(params.number);
  const db = await database();
  const [summary, exported] = await Promise.all([postmortemSummary(db, caller.workspaceId, number), postmortemMarkdown(db, caller.workspaceId, number)]);
  if (!summary || !exported) return notFoundJson("Postmortem not found.");
  if (request.headers.get("accept")?.includes("text/markdown")) {
    return new Response(exported.markdown, {
      headers: { "Content-Type": "text/markdown; charset=utf-8", "Content-Disposition": `inline; filename="${exported.filename}"`, "Cache-Control": "no-store" },
    });
  }
  return jsonOk({
    postmortem: {
      incidentNumber: number,
      incidentRef: incidentReference(number),
      title: summary.title,
      status: summary.status,
      version: summary.version,
      updatedAt: summary.updated_at.toISOString(),
      filename: exported.filename,
      markdown: exported.markdown,
    },
  });
}

export const action = () => methodNotAllowed(["GET"]);
