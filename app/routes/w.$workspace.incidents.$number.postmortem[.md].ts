import type { LoaderFunctionArgs } from "@remix-run/node";
import { postmortemMarkdown } from "~/domain/postmortems/index.server";
import { database } from "~/http/db.server";
import { notFound, requireNumberParam } from "~/http/params.server";
import { requireMember } from "~/http/session.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace } = await requireMember(request, params.workspace);
  const exported = await postmortemMarkdown(await database(), workspace.id, requireNumberParam(params.number));
  if (!exported) throw notFound("This incident has no postmortem yet.");
  return new Response(exported.markdown, {
    headers: {
      "Content-Type": "text/markdown; charset=utf-8",
      "Content-Disposition": `attachment; filename="${exported.filename}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
