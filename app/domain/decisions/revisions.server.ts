/** A decision record's text is a versioned document: autosave, revisions and restore as for postmortems. */
import { versionedDocuments, type VersionedKind } from "~/domain/documents/index.server";
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

const decisionText = versionedDocuments(DECISION_TEXT);
/** Stores an edit made on top of `input.baseVersion`; a stale base is a conflict and writes nothing. */
export const saveDecision = decisionText.save;
export const listDecisionRevisions = decisionText.listRevisions;
export const findDecisionRevision = decisionText.findRevision;
/** Restoring makes a new version with the old text; history is never rewritten. */
export const restoreDecisionRevision = decisionText.restore;
