/** Autosave, revisions and restore of a decision record's text: the postmortem rules. */
import type { Db } from "#db/connection";
import type { DocumentJSON } from "#db/schema";
import type { PublicUser } from "~/domain/accounts/index.server";
import { foldsIntoLatestRevision } from "~/domain/documents/rules";
import { validateDocument } from "~/domain/documents/index.server";
import { refreshSearchDocument } from "~/domain/search/index.server";
import { recordAuditEvent } from "~/domain/shared/audit.server";
import type { DecisionKey } from "./rules";

const json = (value: unknown) => JSON.stringify(value);

// ---------------------------------------------------------------------------------------------
// Autosave, revisions, restore: the postmortem rules

export type SaveInput = { baseVersion: number; title: string; body: unknown };
export type SaveConflict = { version: number; title: string; body: DocumentJSON; updatedByName: string; updatedAt: Date };
export type SaveResult =
  | { ok: true; version: number; savedAt: Date }
  | { ok: false; kind: "conflict"; current: SaveConflict }
  | { ok: false; kind: "invalid"; message: string }
  | { ok: false; kind: "not-found" };

/** Stores an edit made on top of `baseVersion`; a stale base is a conflict and writes nothing. */
export async function saveDecision(
  db: Db,
  actor: PublicUser,
  workspaceId: string,
  key: DecisionKey,
  input: SaveInput,
  options: { restoredFrom?: number; now?: Date } = {},
): Promise<SaveResult> {
  const validated = validateDocument(input.body);
  if (!validated.ok) return { ok: false, kind: "invalid", message: validated.error };
  const title = input.title.trim();
  if (!title || title.length > 200) return { ok: false, kind: "invalid", message: "The title needs 1 to 200 characters." };
  const now = options.now ?? new Date();
  return db.transaction().execute(async (trx) => {
    const current = await trx
      .selectFrom("decision_records")
      .innerJoin("users", "users.id", "decision_records.updated_by")
      .select([
        "decision_records.id",
        "decision_records.version",
        "decision_records.title",
        "decision_records.body",
        "decision_records.updated_at",
        "users.display_name as updated_by_name",
      ])
      .where("decision_records.workspace_id", "=", workspaceId)
      .where("decision_records.kind", "=", key.kind)
      .where("decision_records.number", "=", key.number)
      .forUpdate("decision_records")
      .executeTakeFirst();
    if (!current) return { ok: false as const, kind: "not-found" as const };
    if (current.version !== input.baseVersion) {
      return {
        ok: false as const,
        kind: "conflict" as const,
        current: { version: current.version, title: current.title, body: current.body, updatedByName: current.updated_by_name, updatedAt: current.updated_at },
      };
    }
    const version = current.version + 1;
    const body = json(validated.doc);
    await trx
      .updateTable("decision_records")
      .set({ title, body, body_text: validated.text, version, updated_by: actor.id, updated_at: now })
      .where("id", "=", current.id)
      .execute();
    await writeRevision(trx, { decisionId: current.id, version, title, body, authorId: actor.id, now, restoredFrom: options.restoredFrom ?? null });
    await refreshSearchDocument(trx, "decision", current.id);
    await recordAuditEvent(trx, {
      workspaceId,
      actorId: actor.id,
      action: options.restoredFrom ? "decision.restored" : "decision.saved",
      entityType: "decision",
      entityId: current.id,
      change: { version, ...(options.restoredFrom ? { restoredFrom: options.restoredFrom } : {}) },
    });
    return { ok: true as const, version, savedAt: now };
  });
}

/** Writes the revision of a save, folding it into the latest one by the shared rule (documents/revisions.ts). */
async function writeRevision(
  trx: Db,
  r: { decisionId: string; version: number; title: string; body: string; authorId: string; now: Date; restoredFrom: number | null },
) {
  const latest = await trx
    .selectFrom("decision_revisions")
    .select(["id", "author_id", "saved_at", "restored_from"])
    .where("decision_id", "=", r.decisionId)
    .orderBy("version", "desc")
    .limit(1)
    .executeTakeFirst();
  if (foldsIntoLatestRevision(latest, r)) {
    await trx.updateTable("decision_revisions").set({ version: r.version, title: r.title, body: r.body, saved_at: r.now }).where("id", "=", latest.id).execute();
  } else {
    await trx
      .insertInto("decision_revisions")
      .values({ decision_id: r.decisionId, version: r.version, title: r.title, body: r.body, author_id: r.authorId, saved_at: r.now, restored_from: r.restoredFrom })
      .execute();
  }
}

function revisionQuery(db: Db, workspaceId: string, key: DecisionKey) {
  return db
    .selectFrom("decision_revisions")
    .innerJoin("decision_records", "decision_records.id", "decision_revisions.decision_id")
    .innerJoin("users", "users.id", "decision_revisions.author_id")
    .where("decision_records.workspace_id", "=", workspaceId)
    .where("decision_records.kind", "=", key.kind)
    .where("decision_records.number", "=", key.number);
}

export async function listDecisionRevisions(db: Db, workspaceId: string, key: DecisionKey) {
  return revisionQuery(db, workspaceId, key)
    .select([
      "decision_revisions.version",
      "decision_revisions.title",
      "decision_revisions.saved_at",
      "decision_revisions.restored_from",
      "users.display_name as author_name",
    ])
    .orderBy("decision_revisions.version", "desc")
    .execute();
}

export async function findDecisionRevision(db: Db, workspaceId: string, key: DecisionKey, version: number) {
  return (
    (await revisionQuery(db, workspaceId, key)
      .select(["decision_revisions.version", "decision_revisions.title", "decision_revisions.body", "decision_revisions.saved_at", "users.display_name as author_name"])
      .where("decision_revisions.version", "=", version)
      .executeTakeFirst()) ?? null
  );
}

/** Restoring makes a new version with the old text; history is never rewritten. */
export async function restoreDecisionRevision(db: Db, actor: PublicUser, workspaceId: string, key: DecisionKey, version: number, baseVersion: number) {
  const revision = await findDecisionRevision(db, workspaceId, key, version);
  if (!revision) return { ok: false as const, kind: "not-found" as const };
  return saveDecision(db, actor, workspaceId, key, { baseVersion, title: revision.title, body: revision.body }, { restoredFrom: version });
}

