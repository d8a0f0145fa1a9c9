/** A decision record's text is a versioned document: autosave, revisions and restore as for postmortems. */
import type { Db } from "#db/connection";
import type { PublicUser } from "~/domain/accounts/index.server";
import {
  findVersionedRevision,
  listVersionedRevisions,
  restoreVersionedRevision,
  saveVersionedDocument,
  type SaveInput,
  type SaveResult,
  type VersionedKind,
} from "~/domain/documents/index.server";
import type { DecisionKey } from "./rules";

const DECISION_TEXT: VersionedKind<DecisionKey> = {
  store: "decision",
  recordId: (db, workspaceId, key) =>
    db
      .selectFrom("decision_records")
      .select("id")
      .where("workspace_id", "=", workspaceId)
      .where("kind", "=", key.kind)
      .where("number", "=", key.number),
};

/** Stores an edit made on top of `input.baseVersion`; a stale base is a conflict and writes nothing. */
export function saveDecision(
  db: Db,
  actor: PublicUser,
  workspaceId: string,
  key: DecisionKey,
  input: SaveInput,
  options: { restoredFrom?: number; now?: Date } = {},
): Promise<SaveResult> {
  return saveVersionedDocument(db, DECISION_TEXT, actor, workspaceId, key, input, options);
}

export function listDecisionRevisions(db: Db, workspaceId: string, key: DecisionKey) {
  return listVersionedRevisions(db, DECISION_TEXT, workspaceId, key);
}

export function findDecisionRevision(db: Db, workspaceId: string, key: DecisionKey, version: number) {
  return findVersionedRevision(db, DECISION_TEXT, workspaceId, key, version);
}

/** Restoring makes a new version with the old text; history is never rewritten. */
export function restoreDecisionRevision(db: Db, actor: PublicUser, workspaceId: string, key: DecisionKey, version: number, baseVersion: number) {
  return restoreVersionedRevision(db, DECISION_TEXT, actor, workspaceId, key, version, baseVersion);
}
