import type { ActionFunctionArgs } from "@remix-run/node";
import { apiProblem } from "~/http/outcomes.server";
import { changeActionStatus, findAction } from "~/domain/guardrails/index.server";
import { ActionStatusInput } from "~/http/api-inputs";
import { numberParam, readJsonInput, requireApiCaller } from "~/http/api.server";
import { actionView } from "~/http/api-views.server";
import { database } from "~/http/db.server";
import { jsonError, jsonOk, methodNotAllowed } from "~/http/machine.server";

/** POST /api/v1/:workspace/actions/:number/status — moves an action by the same rules as the app (write token). */
export async function action({ request, params }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed(["POST"]);
  const caller = await requireApiCaller(request, params.workspace, "action.edit");
  const number = numberParam(params.number);
  const input = await readJsonInput(request, ActionStatusInput);
  const db = await database();
  const result = await changeActionStatus(db, caller.actor, caller.workspaceId, number, input);
  if (!result.ok) return apiProblem(result);
  const updated = await findAction(db, caller.workspaceId, number);
  return updated ? jsonOk({ action: actionView(updated) }) : jsonError(404, "Action not found.");
}

export const loader = () => methodNotAllowed(["POST"]);
