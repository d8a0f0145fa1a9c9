import type { LoaderFunctionArgs } from "@remix-run/node";
import { findIncident } from "~/domain/incidents/index.server";
import { incidentPullRequests } from "~/domain/guardrails/index.server";
import { notFoundJson, numberParam, requireApiCaller } from "~/http/api.server";
import { incidentView } from "~/http/api-views.server";
import { database } from "~/http/db.server";
import { jsonOk, methodNotAllowed } from "~/http/machine.server";

/** GET /api/v1/:workspace/incidents/:number — one incident with its timeline and pull requests. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const caller = await requireApiCaller(request, params.workspace, "workspace.view");
  const number = numberParam(params.number);
  const db = await database();
  const incident = await findIncident(db, caller.workspaceId, number);
  if (!incident) return notFoundJson("Incident not found.");
  return jsonOk({ incident: incidentView(incident, await incidentPullRequests(db, caller.workspaceId, incident.id)) });
}

export const action = () => methodNotAllowed(["GET"]);
