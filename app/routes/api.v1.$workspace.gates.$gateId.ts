import type { LoaderFunctionArgs } from "@remix-run/node";
import { findGate } from "~/domain/guardrails/index.server";
import { notFoundJson, requireApiCaller } from "~/http/api.server";
import { gateView } from "~/http/api-views.server";
import { database } from "~/http/db.server";
import { jsonOk, methodNotAllowed } from "~/http/machine.server";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** GET /api/v1/:workspace/gates/:gateId — one gate, the factors that named it and the actions that build it. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const caller = await requireApiCaller(request, params.workspace, "workspace.view");
  if (!params.gateId || !UUID.test(params.gateId)) return notFoundJson("Gate not found.");
  const gate = await findGate(await database(), caller.workspaceId, params.gateId.toLowerCase());
  if (!gate) return notFoundJson("Gate not found.");
  return jsonOk({ gate: gateView(gate) });
}

export const action = () => methodNotAllowed(["GET"]);
