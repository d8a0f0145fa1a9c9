/**
 * The Yjs state of a versioned document (live co-editing, docs/decisions/0029): how a title and
 * an editor JSON body become a Y.Doc and back, and the stored state of a record.
 *
 * The Y.Doc holds the title as a Y.Text named "title" and the body in the XML fragment "default",
 * where Tiptap's Collaboration extension keeps it. A record has a state once someone opened it in
 * the live editor; from then on every write of its text (the HTTP save, a restore) also goes into
 * the state, so a write made while people edit live merges with their edits instead of replacing them.
 */
import { Node as ProseMirrorNode } from "@tiptap/pm/model";
import { prosemirrorJSONToYXmlFragment, updateYFragment, yXmlFragmentToProsemirrorJSON } from "@tiptap/y-tiptap";
import * as Y from "yjs";
import type { Db } from "#db/connection";
import { BODY_FIELD, replaceText, TITLE_FIELD } from "./collaboration";
import { documentSchema, type DocumentJSON } from "./schema";
import type { VersionedStore } from "./versioned.server";


/** Which column of document_states names the record, per kind. */
export const STATE_OWNER = { postmortem: "postmortem_id", decision: "decision_id" } as const satisfies Record<VersionedStore, string>;

export type DocumentContent = { title: string; body: DocumentJSON };

/** A new Y.Doc holding a title and body (used once per record: its conversion). */
export function contentToYDoc(content: DocumentContent, ydoc: Y.Doc = new Y.Doc()): Y.Doc {
  ydoc.transact(() => {
    ydoc.getText(TITLE_FIELD).insert(0, content.title);
    prosemirrorJSONToYXmlFragment(documentSchema, content.body, ydoc.getXmlFragment(BODY_FIELD));
  });
  return ydoc;
}

/** The title and the editor JSON a Y.Doc holds now; an empty body reads as one empty paragraph. */
export function contentOfYDoc(ydoc: Y.Doc): { title: string; body: DocumentJSON } {
  const body = yXmlFragmentToProsemirrorJSON(ydoc.getXmlFragment(BODY_FIELD)) as DocumentJSON;
  if (!body.content || body.content.length === 0) body.content = [{ type: "paragraph" }];
  return { title: ydoc.getText(TITLE_FIELD).toString(), body };
}

/**
 * Makes a Y.Doc hold this title and body by changing only what differs (Yjs's own ProseMirror
 * diff), so the write merges with concurrent edits elsewhere in the text.
 */
export function writeContentIntoYDoc(ydoc: Y.Doc, content: DocumentContent, origin: unknown = null): void {
  ydoc.transact(() => {
    replaceText(ydoc.getText(TITLE_FIELD), content.title);
    const node = ProseMirrorNode.fromJSON(documentSchema, content.body);
    updateYFragment(ydoc, ydoc.getXmlFragment(BODY_FIELD), node, { mapping: new Map(), isOMark: new Map() });
  }, origin);
}

/** Postgres hands bytea back as a Buffer, PGlite as a Uint8Array; both are written as a Buffer. */
export function asBytes(state: Uint8Array): Buffer {
  return Buffer.isBuffer(state) ? state : Buffer.from(state.buffer, state.byteOffset, state.byteLength);
}

/** The stored Yjs state of a record, or null when it was never opened live. */
export async function readLiveState(db: Db, store: VersionedStore, recordId: string): Promise<Uint8Array | null> {
  const row = await db.selectFrom("document_states").select("state").where(STATE_OWNER[store], "=", recordId).executeTakeFirst();
  return row ? new Uint8Array(row.state) : null;
}

/**
 * Inside a save's transaction (the record is locked): when the record has a Yjs state, writes the
 * saved title and body into it as a diff. Returns whether there was a state to write into.
 */
export async function writeIntoLiveState(trx: Db, store: VersionedStore, recordId: string, content: DocumentContent): Promise<boolean> {
  const row = await trx.selectFrom("document_states").select(["id", "state"]).where(STATE_OWNER[store], "=", recordId).executeTakeFirst();
  if (!row) return false;
  const ydoc = new Y.Doc();
  Y.applyUpdate(ydoc, row.state);
  writeContentIntoYDoc(ydoc, content);
  await trx
    .updateTable("document_states")
    .set({ state: asBytes(Y.encodeStateAsUpdate(ydoc)), updated_at: new Date() })
    .where("id", "=", row.id)
    .execute();
  ydoc.destroy();
  return true;
}

type Listener = (store: VersionedStore, recordId: string) => void;

// On globalThis: the Remix build and the compiled server each carry a copy of this module, and
// a save made in a route must reach the live server's listener.
const LISTENERS_KEY = Symbol.for("hindsight.liveStateListeners");
const holder = globalThis as unknown as { [LISTENERS_KEY]?: Set<Listener> };
const listeners = (holder[LISTENERS_KEY] ??= new Set<Listener>());

/** The live server listens here for saves that wrote into a state (to pass them to connected editors). */
export function onLiveStateWritten(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Called after a save that wrote into a record's state has committed. */
export function liveStateWritten(store: VersionedStore, recordId: string): void {
  for (const listener of listeners) listener(store, recordId);
}
