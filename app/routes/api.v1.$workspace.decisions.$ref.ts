import type { LoaderFunctionArgs } from "@remix-run/node";
import { parseDecisionReference } from "~/domain/decisions/rules";
import { findDecision } from "~/domain/decisions/index.server";
import { notFoundJson, requireApiCaller } from "~/http/api.server";
import { decisionView } from "~/http/api-views.server";
import { database } from "~/http/db.server";
import { jsonOk, methodNotAllowed } from "~/http/machine.server";

/** GET /api/v1/:workspace/decisions/:ref — one record by reference ("ADR-3", "RFC-1"), with its links. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const caller = await requireApiCaller(request, params.workspace, "workspace.view");
  const key = parseDecisionReference(params.ref ?? "");
  if (!key) return notFoundJson("Decision not found.");
  const decision = await findDecision(await database(), caller.workspaceId, key);
  if (!decision) return notFoundJson("Decision not found.");
  return jsonOk({ decision: decisionView(decision) });
}

export const action = () => methodNotAllowed(["GET"]);
