import type { ActionFunctionArgs } from "@remix-run/node";
import { savePostmortem } from "~/domain/postmortems/index.server";
import { handleAutosave } from "~/http/autosave.server";
import { database } from "~/http/db.server";
import { requireNumberParam } from "~/http/params.server";
import { requireAbility } from "~/http/authorize.server";

/** Autosave of a postmortem's title and body. */
export async function action({ request, params }: ActionFunctionArgs) {
  const { workspace, user } = await requireAbility(request, params.workspace, "postmortem.edit");
  const number = requireNumberParam(params.number);
  const db = await database();
  return handleAutosave(request, (input) => savePostmortem(db, user, workspace.id, number, input), "Postmortem not found.");
}

export { autosaveLoader as loader } from "~/http/autosave.server";
