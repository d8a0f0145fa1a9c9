import type { LoaderFunctionArgs } from "@remix-run/node";
import { guardrailBoard } from "~/domain/guardrails/index.server";
import { ActionQuery } from "~/http/api-inputs";
import { readQuery, requireApiCaller } from "~/http/api.server";
import { actionSummaryView } from "~/http/api-views.server";
import { database } from "~/http/db.server";
import { jsonOk, methodNotAllowed } from "~/http/machine.server";

/** GET /api/v1/:workspace/actions — guardrail actions, overdue first (the board's order). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const caller = await requireApiCaller(request, params.workspace, "workspace.view");
  const query = readQuery(request, ActionQuery);
  // The first 500 in the board's order, as before the board paged.
  const page = await guardrailBoard(await database(), caller.workspaceId, { status: query.status, ownerId: query.owner }, { limit: 500 });
  return jsonOk({ actions: page.actions.map(actionSummaryView) });
}

export const action = () => methodNotAllowed(["GET"]);
