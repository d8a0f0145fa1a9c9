import type { LoaderFunctionArgs } from "@remix-run/node";
import { listGates } from "~/domain/guardrails/index.server";
import { GateQuery } from "~/http/api-inputs";
import { readQuery, requireApiCaller } from "~/http/api.server";
import { gateSummaryView } from "~/http/api-views.server";
import { database } from "~/http/db.server";
import { jsonOk, methodNotAllowed } from "~/http/machine.server";

/** GET /api/v1/:workspace/gates — every gate, with when it was last seen enforced. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const caller = await requireApiCaller(request, params.workspace, "workspace.view");
  const query = readQuery(request, GateQuery);
  const gates = await listGates(await database(), caller.workspaceId, query);
  return jsonOk({ gates: gates.map(gateSummaryView) });
}

export const action = () => methodNotAllowed(["GET"]);
