import type { LoaderFunctionArgs } from "@remix-run/node";
import { listPostmortems } from "~/domain/postmortems/index.server";
import { requireApiCaller } from "~/http/api.server";
import { postmortemSummaryView } from "~/http/api-views.server";
import { database } from "~/http/db.server";
import { jsonOk, methodNotAllowed } from "~/http/machine.server";

/** GET /api/v1/:workspace/postmortems — the latest 200, most recently edited first. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const caller = await requireApiCaller(request, params.workspace, "workspace.view");
  const postmortems = await listPostmortems(await database(), caller.workspaceId);
  return jsonOk({ postmortems: postmortems.map(postmortemSummaryView) });
}

export const action = () => methodNotAllowed(["GET"]);
