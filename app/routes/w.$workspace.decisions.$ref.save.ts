import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { parseDecisionReference } from "~/domain/decision-rules";
import { saveDecision } from "~/domain/decisions.server";
import { renderDocumentHtml } from "~/domain/documents.server";
import { database } from "~/http/db.server";
import { requireMember } from "~/http/session.server";

/** Editor documents are capped well below this; the cap stops a runaway body early. */
const MAX_BODY_BYTES = 1024 * 1024;

const SaveRequest = z.object({
  baseVersion: z.number().int().positive(),
  title: z.string().max(200),
  body: z.unknown(),
});

/** Autosave endpoint: JSON in, JSON out. 409 carries the version that won, for the user to compare. */
export async function action({ request, params }: ActionFunctionArgs) {
  const { workspace, user } = await requireMember(request, params.workspace, "editor");
  const key = parseDecisionReference(params.ref ?? "");
  if (!key) return Response.json({ error: "Decision record not found." }, { status: 404 });
  if (request.method !== "POST") return Response.json({ error: "Use POST." }, { status: 405 });
  const length = Number(request.headers.get("content-length") ?? 0);
  if (length > MAX_BODY_BYTES) return Response.json({ error: "The document is too large to save." }, { status: 413 });
  let json: unknown;
  try {
    const text = await request.text();
    if (text.length > MAX_BODY_BYTES) return Response.json({ error: "The document is too large to save." }, { status: 413 });
    json = JSON.parse(text);
  } catch {
    return Response.json({ error: "The request body is not JSON." }, { status: 400 });
  }
  const parsed = SaveRequest.safeParse(json);
  if (!parsed.success) return Response.json({ error: "A save needs baseVersion, title and body." }, { status: 400 });
  const result = await saveDecision(await database(), user, workspace.id, key, parsed.data);
  if (result.ok) return Response.json({ ok: true, version: result.version, savedAt: result.savedAt.toISOString() });
  switch (result.kind) {
    case "not-found":
      return Response.json({ error: "Decision record not found." }, { status: 404 });
    case "invalid":
      return Response.json({ error: result.message }, { status: 422 });
    case "conflict":
      return Response.json(
        {
          conflict: {
            version: result.current.version,
            title: result.current.title,
            body: result.current.body,
            html: renderDocumentHtml(result.current.body),
            updatedByName: result.current.updatedByName,
            updatedAt: result.current.updatedAt.toISOString(),
          },
        },
        { status: 409 },
      );
  }
}

export async function loader() {
  return Response.json({ error: "Use POST." }, { status: 405 });
}
