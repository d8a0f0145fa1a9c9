/**
 * Live co-editing, the parts browser and server share (docs/decisions/0029): where a document's
 * title and body live in its Y.Doc, a room's name, and a person's stable caret colour.
 * Client-safe and free of Yjs at run time (types only), so read pages importing the document
 * rules load none of it.
 */
import type * as Y from "yjs";

/** The XML fragment Tiptap's Collaboration extension edits. */
export const BODY_FIELD = "default";
/** The title, a Y.Text so two people can type in it at once. */
export const TITLE_FIELD = "title";
/** The path of the WebSocket upgrade on the app's own port. */
export const COLLABORATION_PATH = "/collab";

/** An editor leaving the page asks, as a stateless message, for the document to be stored now. */
export const STORE_NOW = "store-now";

/** The kinds of versioned document (the versioned-document module's stores). */
export type LiveStore = "postmortem" | "decision";
export type LiveDocument = { store: LiveStore; recordId: string };

const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const NAME = new RegExp(`^(postmortem|decision):(${UUID})$`);

/** The room name of a record: its kind and id ("postmortem:5d0c…"). */
export function liveDocumentName(document: LiveDocument): string {
  return `${document.store}:${document.recordId}`;
}

export function parseLiveDocumentName(name: string): LiveDocument | null {
  const match = NAME.exec(name);
  return match ? { store: match[1] as LiveStore, recordId: match[2]! } : null;
}

/** Replaces a Y.Text's content by deleting and inserting only the changed middle. */
export function replaceText(text: Y.Text, next: string): void {
  const current = text.toString();
  if (current === next) return;
  let start = 0;
  while (start < current.length && start < next.length && current[start] === next[start]) start += 1;
  let end = 0;
  while (end < current.length - start && end < next.length - start && current[current.length - 1 - end] === next[next.length - 1 - end]) end += 1;
  const removed = current.length - start - end;
  if (removed > 0) text.delete(start, removed);
  const inserted = next.slice(start, next.length - end);
  if (inserted) text.insert(start, inserted);
}

/**
 * Caret colours: dark enough for white name labels (contrast at least 4.5:1) and told apart from
 * each other. A person keeps theirs across visits and documents: it follows from their id.
 */
export const CARET_COLOURS = ["#1d4ed8", "#b91c1c", "#047857", "#7c3aed", "#b45309", "#0e7490", "#be185d", "#4d7c0f"] as const;

export function caretColour(userId: string): string {
  let hash = 0;
  for (const char of userId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return CARET_COLOURS[hash % CARET_COLOURS.length]!;
}

/** What a writing page needs to join a record's room: its name, and who you are to the others. */
export function liveSession(document: LiveDocument, user: { id: string; display_name: string }) {
  return { name: liveDocumentName(document), user: { id: user.id, name: user.display_name, color: caretColour(user.id) } };
}
