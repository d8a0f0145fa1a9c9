/**
 * Text kept in this browser for the HTTP autosave (./use-autosave): every change is written here
 * at once, so a reload loses nothing. Its own module so that the live page, which writes a draft
 * only when it falls back, does not load the autosave with it.
 */
import type { DocumentJSON } from "~/domain/documents/rules";

export type Draft = { baseVersion: number; title: string; body: DocumentJSON; at: string };

function draftKey(documentId: string): string {
  return `hindsight:draft:${documentId}`;
}

export function readDraft(documentId: string): Draft | null {
  try {
    const raw = window.localStorage.getItem(draftKey(documentId));
    return raw ? (JSON.parse(raw) as Draft) : null;
  } catch {
    return null;
  }
}

export function writeDraft(documentId: string, draft: Draft | null) {
  try {
    if (draft) window.localStorage.setItem(draftKey(documentId), JSON.stringify(draft));
    else window.localStorage.removeItem(draftKey(documentId));
  } catch {
    // Private mode or a full quota: autosave still runs, only the reload safety net is lost.
  }
}
