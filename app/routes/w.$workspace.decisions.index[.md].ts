import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportDecisionIndex } from "~/domain/decisions/index.server";
import { database } from "~/http/db.server";
import { requireMember } from "~/http/session.server";

/** The generated index of the decision log, as the export zip carries it. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace } = await requireMember(request, params.workspace);
  return new Response(await exportDecisionIndex(await database(), workspace.id, workspace.name), {
    headers: {
      "Content-Type": "text/markdown; charset=utf-8",
      "Content-Disposition": `attachment; filename="${workspace.slug}-decision-log.md"`,
      "Cache-Control": "private, no-store",
    },
  });
}
