import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportDecision } from "~/domain/decisions/index.server";
import { parseDecisionReference } from "~/domain/decisions/rules";
import { database } from "~/http/db.server";
import { notFound } from "~/http/params.server";
import { requireMember } from "~/http/session.server";

/** One record as Markdown with MADR 4 front matter. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace } = await requireMember(request, params.workspace);
  const key = parseDecisionReference(params.ref ?? "");
  const exported = key ? await exportDecision(await database(), workspace.id, key) : null;
  if (!exported) throw notFound("No such decision record.");
  return new Response(exported.markdown, {
    headers: {
      "Content-Type": "text/markdown; charset=utf-8",
      "Content-Disposition": `attachment; filename="${exported.filename}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
