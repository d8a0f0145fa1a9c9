import type { ActionFunctionArgs } from "@remix-run/node";
import { parseDecisionReference } from "~/domain/decisions/rules";
import { saveDecision } from "~/domain/decisions/index.server";
import { handleAutosave } from "~/http/autosave.server";
import { database } from "~/http/db.server";
import { requireAbility } from "~/http/authorize.server";

/** Autosave of a decision record's title and body. */
export async function action({ request, params }: ActionFunctionArgs) {
  const { workspace, user } = await requireAbility(request, params.workspace, "decision.edit");
  const key = parseDecisionReference(params.ref ?? "");
  if (!key) return Response.json({ error: "Decision record not found." }, { status: 404 });
  const db = await database();
  return handleAutosave(request, (input) => saveDecision(db, user, workspace.id, key, input), "Decision record not found.");
}

export { autosaveLoader as loader } from "~/http/autosave.server";
