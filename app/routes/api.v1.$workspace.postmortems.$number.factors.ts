import type { LoaderFunctionArgs } from "@remix-run/node";
import { factorsOfPostmortem } from "~/domain/guardrails/index.server";
import { postmortemSummary } from "~/domain/postmortems/index.server";
import { notFoundJson, numberParam, requireApiCaller } from "~/http/api.server";
import { factorView } from "~/http/api-views.server";
import { database } from "~/http/db.server";
import { jsonOk, methodNotAllowed } from "~/http/machine.server";

/** GET /api/v1/:workspace/postmortems/:number/factors — contributing factors with their gates, PRs and actions. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const caller = await requireApiCaller(request, params.workspace, "workspace.view");
  const number = numberParam(params.number);
  const db = await database();
  const postmortem = await postmortemSummary(db, caller.workspaceId, number);
  if (!postmortem) return notFoundJson("Postmortem not found.");
  const factors = await factorsOfPostmortem(db, caller.workspaceId, postmortem.id);
  return jsonOk({ factors: factors.map(factorView) });
}

export const action = () => methodNotAllowed(["GET"]);
