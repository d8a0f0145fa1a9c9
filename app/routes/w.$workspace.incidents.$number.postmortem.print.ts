import type { LoaderFunctionArgs } from "@remix-run/node";
import { postmortemPrintHtml } from "~/domain/postmortems/index.server";
import { database } from "~/http/db.server";
import { notFound, requireNumberParam } from "~/http/params.server";
import { requireMember } from "~/http/session.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace } = await requireMember(request, params.workspace);
  const html = await postmortemPrintHtml(await database(), workspace.id, requireNumberParam(params.number));
  if (!html) throw notFound("This incident has no postmortem yet.");
  return new Response(html, {
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Cache-Control": "private, no-store",
      // Nothing on this page needs a script; say so to the browser too.
      "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:",
    },
  });
}
