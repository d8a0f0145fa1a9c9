import type { LoaderFunctionArgs } from "@remix-run/node";
import { listDecisions } from "~/domain/decisions/index.server";
import { DecisionQuery } from "~/http/api-inputs";
import { readQuery, requireApiCaller } from "~/http/api.server";
import { decisionSummaryView } from "~/http/api-views.server";
import { database } from "~/http/db.server";
import { jsonOk, methodNotAllowed } from "~/http/machine.server";

/** GET /api/v1/:workspace/decisions — the decision log (ADRs and RFCs). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const caller = await requireApiCaller(request, params.workspace, "workspace.view");
  const query = readQuery(request, DecisionQuery);
  const decisions = await listDecisions(await database(), caller.workspaceId, query);
  return jsonOk({ decisions: decisions.map(decisionSummaryView) });
}

export const action = () => methodNotAllowed(["GET"]);
