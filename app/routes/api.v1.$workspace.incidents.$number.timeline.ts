import type { ActionFunctionArgs } from "@remix-run/node";
import { addTimelineEvent } from "~/domain/incidents/index.server";
import { TimelineInput } from "~/http/api-inputs";
import { notFoundJson, numberParam, readJsonInput, requireApiCaller } from "~/http/api.server";
import { database } from "~/http/db.server";
import { jsonOk, methodNotAllowed } from "~/http/machine.server";

/** POST /api/v1/:workspace/incidents/:number/timeline — adds a timeline event (write token). */
export async function action({ request, params }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed(["POST"]);
  const caller = await requireApiCaller(request, params.workspace, "incident.timeline");
  const number = numberParam(params.number);
  const input = await readJsonInput(request, TimelineInput);
  const event = await addTimelineEvent(await database(), caller.actor, caller.workspaceId, number, input);
  if (!event) return notFoundJson("Incident not found.");
  return jsonOk({ event: { id: event.id, occurredAt: input.occurredAt.toISOString(), kind: input.kind, text: input.text } }, 201);
}

export const loader = () => methodNotAllowed(["POST"]);
