/**
 * The history page of a versioned document (a postmortem's, a decision record's): the revision it
 * shows, and restoring one. Both kinds answer the same way; the route says which document.
 */
import { redirect } from "@remix-run/node";
import { RestoreForm } from "~/domain/documents/forms";
import { renderDocumentHtml, type DocumentJSON, type SaveResult } from "~/domain/documents/index.server";
import { formFailure, invalid, parseForm } from "./forms.server";
import { notFound } from "./params.server";

type Revision = { version: number; title: string; body: DocumentJSON; author_name: string; saved_at: Date };

/** The revision the page shows (`?version=n`), rendered; null when none is asked for, 404 when it is not in the history. */
export async function shownRevision(request: Request, find: (version: number) => Promise<Revision | null>) {
  const wanted = new URL(request.url).searchParams.get("version");
  const version = wanted ? Number(wanted) : null;
  const selected = version && Number.isSafeInteger(version) ? await find(version) : null;
  if (wanted && !selected) throw notFound("That version is not in the history.");
  if (!selected) return null;
  return { version: selected.version, title: selected.title, author: selected.author_name, savedAt: selected.saved_at, html: renderDocumentHtml(selected.body) };
}

/** Restores the version the form names on top of the version the page showed, then goes back to the document. */
export async function restoreFromHistory(request: Request, restore: (version: number, baseVersion: number) => Promise<SaveResult>, documentPath: string) {
  const formData = await request.formData();
  const parsed = parseForm(RestoreForm, formData);
  if (!parsed.ok) return invalid(parsed);
  const result = await restore(parsed.data.version, parsed.data.baseVersion);
  if (result.ok) return redirect(documentPath);
  if (result.kind === "not-found") throw notFound("That version is not in the history.");
  if (result.kind === "conflict") {
    return formFailure(formData, { formError: `Someone saved version ${result.current.version} meanwhile. Look again before restoring.` }, 409);
  }
  return formFailure(formData, { formError: result.message }, 409);
}
