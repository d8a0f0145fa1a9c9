import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { apiProblem } from "~/http/outcomes.server";
import { listAreas } from "~/domain/workspaces/index.server";
import { createIncident, decodeIncidentCursor, encodeIncidentCursor, findIncident, listIncidents } from "~/domain/incidents/index.server";
import { incidentPullRequests } from "~/domain/guardrails/index.server";
import { NewIncidentInput, IncidentQuery } from "~/http/api-inputs";
import { requireApiCaller, readJsonInput, readQuery } from "~/http/api.server";
import { incidentSummaryView, incidentView } from "~/http/api-views.server";
import { database } from "~/http/db.server";
import { jsonError, jsonOk, methodNotAllowed } from "~/http/machine.server";

/** GET /api/v1/:workspace/incidents — newest first, keyset-paginated. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const caller = await requireApiCaller(request, params.workspace, "workspace.view");
  const query = readQuery(request, IncidentQuery);
  const after = query.cursor ? decodeIncidentCursor(query.cursor) : null;
  if (query.cursor && !after) return jsonError(400, "The cursor is not valid.");
  const db = await database();
  const page = await listIncidents(db, caller.workspaceId, query, after, query.limit);
  return jsonOk({ incidents: page.incidents.map(incidentSummaryView), nextCursor: page.next ? encodeIncidentCursor(page.next) : null });
}

/** POST /api/v1/:workspace/incidents — records an incident (write token). */
export async function action({ request, params }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed(["GET", "POST"]);
  const caller = await requireApiCaller(request, params.workspace, "incident.create");
  const input = await readJsonInput(request, NewIncidentInput);
  const db = await database();
  const areas = await listAreas(db, caller.workspaceId);
  const unknown = input.areas.filter((slug) => !areas.some((a) => a.slug === slug));
  if (unknown.length) return jsonError(400, "The request body is not valid.", {}, { fields: { areas: [`Unknown areas: ${unknown.join(", ")}.`] } });
  const { areas: slugs, ...rest } = input;
  const areaIds = areas.filter((a) => slugs.includes(a.slug)).map((a) => a.id);
  const created = await createIncident(db, caller.actor, caller.workspaceId, { ...rest, areaIds });
  if (!created.ok) return apiProblem({ ...created, message: "The request body is not valid." });
  const incident = await findIncident(db, caller.workspaceId, created.number);
  if (!incident) return jsonError(500, "The incident was recorded but could not be read back.");
  const location = new URL(`/api/v1/${caller.workspaceSlug}/incidents/${created.number}`, request.url).pathname;
  return jsonOk({ incident: incidentView(incident, await incidentPullRequests(db, caller.workspaceId, incident.id)) }, 201, { Location: location });
}
