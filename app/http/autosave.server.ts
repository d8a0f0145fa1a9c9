import { z } from "zod";
import { LIMITS } from "~/domain/shared/limits";
import { renderDocumentHtml, type SaveInput, type SaveResult } from "~/domain/documents/index.server";
import { UNSTORABLE_MESSAGE, unstorableField } from "./text-input";

/** Editor documents are capped well below this; the cap stops a runaway body early. */
const MAX_BODY_BYTES = 1024 * 1024;

const SaveRequest = z.object({
  baseVersion: z.number().int().positive(),
  title: z.string().max(LIMITS.title),
  body: z.unknown(),
});


/**
 * The autosave endpoint shared by postmortems and decision records: JSON in, JSON out.
 * 409 carries the version that won (with its rendered HTML) for the user to compare.
 */
export async function handleAutosave(request: Request, save: (input: SaveInput) => Promise<SaveResult>, notFoundMessage: string): Promise<Response> {
  if (request.method !== "POST") return Response.json({ error: "Use POST." }, { status: 405 });
  const tooLarge = () => Response.json({ error: "The document is too large to save." }, { status: 413 });
  if (Number(request.headers.get("content-length") ?? 0) > MAX_BODY_BYTES) return tooLarge();
  let json: unknown;
  try {
    const text = await request.text();
    if (text.length > MAX_BODY_BYTES) return tooLarge();
    json = JSON.parse(text);
  } catch {
    return Response.json({ error: "The request body is not JSON." }, { status: 400 });
  }
  const unstorable = unstorableField(json);
  if (unstorable !== null) return Response.json({ error: UNSTORABLE_MESSAGE, field: unstorable }, { status: 400 });
  const parsed = SaveRequest.safeParse(json);
  if (!parsed.success) return Response.json({ error: "A save needs baseVersion, title and body." }, { status: 400 });
  const result = await save(parsed.data);
  if (result.ok) return Response.json({ ok: true, version: result.version, savedAt: result.savedAt.toISOString() });
  switch (result.kind) {
    case "not-found":
      return Response.json({ error: notFoundMessage }, { status: 404 });
    case "invalid":
      return Response.json({ error: result.message }, { status: 422 });
    case "read-only":
      return Response.json({ error: result.message }, { status: 409 });
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

/** Saving is POST only; a GET here answers 405 instead of rendering a page. */
export function autosaveLoader() {
  return Response.json({ error: "Use POST." }, { status: 405 });
}
