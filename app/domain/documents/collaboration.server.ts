/**
 * Live co-editing of versioned documents (docs/decisions/0029): who may join a document's room and
 * how, the one-time conversion of a stored text to Yjs, and the debounced store that derives
 * from the Yjs state everything the rest of the app reads (title, body, body_text, search,
 * revisions folded per person, the version counter) through the versioned-document module.
 */
import * as Y from "yjs";
import type { Db } from "#db/connection";
import type { DocumentJSON, PostmortemStatus } from "#db/schema";
import { authorize } from "~/domain/policy/rules";
import { postmortemFrozen } from "~/domain/postmortems/rules";
import { LIMITS } from "~/domain/shared/limits";
import { type LiveDocument } from "./collaboration";
import { asBytes, contentOfYDoc, contentToYDoc, readLiveState, STATE_OWNER } from "./collaboration-state.server";
import { validateDocument } from "./content.server";
import { lockVersionedRecord, writeVersion, type VersionedStore } from "./versioned.server";

const TABLE = { postmortem: "postmortems", decision: "decision_records" } as const satisfies Record<VersionedStore, string>;

export type LiveAccess = { ok: false } | { ok: true; workspaceId: string; readOnly: boolean; reason: string | null };

/**
 * Whether a person may join a record's room, and whether they may write in it: members only; the
 * policy's edit rule decides writing (viewers read, a published postmortem is read-only for all).
 * A record in another workspace is the same as none.
 */
export async function liveAccess(db: Db, userId: string, document: LiveDocument): Promise<LiveAccess> {
  const record = await db
    .selectFrom(TABLE[document.store])
    .innerJoin("memberships", "memberships.workspace_id", `${TABLE[document.store]}.workspace_id`)
    .select([`${TABLE[document.store]}.workspace_id as workspace_id`, `${TABLE[document.store]}.status as status`, "memberships.role"])
    .where(`${TABLE[document.store]}.id`, "=", document.recordId)
    .where("memberships.user_id", "=", userId)
    .executeTakeFirst();
  if (!record) return { ok: false };
  const actor = { kind: "member" as const, userId, role: record.role };
  const decision =
    document.store === "postmortem" ? authorize(actor, "postmortem.edit", { status: record.status as PostmortemStatus }) : authorize(actor, "decision.edit");
  return { ok: true, workspaceId: record.workspace_id, readOnly: !decision.ok, reason: decision.ok ? null : (decision.message ?? "You can read this document but not edit it.") };
}

/**
 * The Yjs state of a record, converting its stored text the first time. The conversion happens
 * once: it runs under the record's row lock and looks again for a state once it holds the lock,
 * so two people opening a record at the same moment get the same state. Null: no such record.
 */
export async function openLiveState(db: Db, document: LiveDocument): Promise<Uint8Array | null> {
  const existing = await readLiveState(db, document.store, document.recordId);
  if (existing) return existing;
  return db.transaction().execute(async (trx) => {
    const record = await lockVersionedRecord(trx, document.store, document.recordId);
    if (!record) return null;
    const converted = await readLiveState(trx, document.store, document.recordId);
    if (converted) return converted;
    const ydoc = contentToYDoc({ title: record.title, body: record.body as DocumentJSON });
    const state = Y.encodeStateAsUpdate(ydoc);
    ydoc.destroy();
    await insertState(trx, document, state);
    return state;
  });
}

async function insertState(trx: Db, document: LiveDocument, state: Uint8Array) {
  const owner = document.store === "postmortem" ? { postmortem_id: document.recordId } : { decision_id: document.recordId };
  await trx
    .insertInto("document_states")
    .values({ ...owner, state: asBytes(state) })
    .execute();
}

/** Yjs transactions carrying this origin are merges from the database, not anybody's typing. */
export const STORED_STATE_ORIGIN = Symbol("stored state");

export type LiveStoreResult =
  | { kind: "saved"; version: number }
  | { kind: "unchanged"; version: number }
  /** The state was kept but not derived: the record is frozen, or its text breaks a rule (too large). */
  | { kind: "kept"; version: number; reason: string }
  | { kind: "not-found" };

/**
 * The debounced store of a live document. In one transaction, under the record's lock:
 * 1. the stored state is merged into the live one (a save over HTTP or from another process
 *    since the last store arrives this way; merging is idempotent), and the merged state stored;
 * 2. when the derived title or body differ from the record's, the next version is written as any
 *    save is (revision folded per person, search document, audit), in the name of `editorId`.
 */
export async function storeLiveState(db: Db, document: LiveDocument, ydoc: Y.Doc, editorId: string | null, now = new Date()): Promise<LiveStoreResult> {
  return db.transaction().execute(async (trx): Promise<LiveStoreResult> => {
    const record = await lockVersionedRecord(trx, document.store, document.recordId);
    if (!record) return { kind: "not-found" };
    const stored = await readLiveState(trx, document.store, document.recordId);
    if (stored) Y.applyUpdate(ydoc, stored, STORED_STATE_ORIGIN);
    const state = asBytes(Y.encodeStateAsUpdate(ydoc));
    if (stored) {
      await trx.updateTable("document_states").set({ state, updated_at: now }).where(STATE_OWNER[document.store], "=", document.recordId).execute();
    } else {
      await insertState(trx, document, state);
    }

    const frozen = document.store === "postmortem" ? postmortemFrozen(record.status as PostmortemStatus) : null;
    if (frozen) return { kind: "kept", version: record.version, reason: frozen };
    const content = contentOfYDoc(ydoc);
    const validated = validateDocument(content.body);
    if (!validated.ok) return { kind: "kept", version: record.version, reason: validated.error };
    // An emptied title field keeps the last title: a record always has one.
    const title = content.title.trim().slice(0, LIMITS.title) || record.title;
    const before = validateDocument(record.body);
    const sameBody = before.ok && JSON.stringify(before.doc) === JSON.stringify(validated.doc);
    if (sameBody && title === record.title) return { kind: "unchanged", version: record.version };
    const version = record.version + 1;
    await writeVersion(
      trx,
      document.store,
      { id: record.id, workspaceId: record.workspace_id, version },
      { title, body: validated.doc, text: validated.text },
      editorId ?? record.updated_by,
      now,
    );
    return { kind: "saved", version };
  });
}
