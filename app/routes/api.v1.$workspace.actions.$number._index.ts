import type { LoaderFunctionArgs } from "@remix-run/node";
import { findAction } from "~/domain/guardrails/index.server";
import { notFoundJson, numberParam, requireApiCaller } from "~/http/api.server";
import { actionView } from "~/http/api-views.server";
import { database } from "~/http/db.server";
import { jsonOk, methodNotAllowed } from "~/http/machine.server";

/** GET /api/v1/:workspace/actions/:number — one action (ACT-n) with its factor, incident, gate and evidence. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const caller = await requireApiCaller(request, params.workspace, "workspace.view");
  const found = await findAction(await database(), caller.workspaceId, numberParam(params.number));
  if (!found) return notFoundJson("Action not found.");
  return jsonOk({ action: actionView(found) });
}

export const action = () => methodNotAllowed(["GET"]);
