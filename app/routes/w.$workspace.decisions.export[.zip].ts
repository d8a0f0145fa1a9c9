import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportDecisionLog } from "~/domain/decisions/index.server";
import { database } from "~/http/db.server";
import { requireMember } from "~/http/session.server";

/** The whole decision log as a zip of Markdown files with front matter, plus a generated index. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace } = await requireMember(request, params.workspace);
  const exported = await exportDecisionLog(await database(), workspace.id, workspace.name);
  return new Response(Buffer.from(exported.zip), {
    headers: {
      "Content-Type": "application/zip",
      "Content-Disposition": `attachment; filename="${workspace.slug}-${exported.filename}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
