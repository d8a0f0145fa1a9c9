/**
 * Versioned documents: the text of a postmortem or a decision record, saved with a version check,
 * kept as a history of revisions, and restored from it. One set of rules for both kinds; what
 * differs (the tables, how a record is found, when it is frozen) is a small descriptor.
 *
 * A save names the version it was made on. When the stored version moved on, nothing is written
 * and the caller gets the current text to show beside theirs: the user decides. Quick saves by one
 * person fold into one revision (./revisions.ts); a restore makes a new version with the old text,
 * so history is never rewritten.
 */
import { sql, type SelectQueryBuilder } from "kysely";
import type { Db } from "#db/connection";
import type {
  Database,
  DecisionRecordsTable,
  DecisionRevisionsTable,
  DecisionStatus,
  DocumentJSON,
  PostmortemRevisionsTable,
  PostmortemsTable,
  PostmortemStatus,
} from "#db/schema";
import type { PublicUser } from "~/domain/accounts/index.server";
import { recordChange } from "~/domain/search/index.server";
import { recordMentions } from "~/domain/notifications/index.server";
import { LIMITS } from "~/domain/shared/limits";
import { conflict, notFound, readOnly, type Problem } from "~/domain/shared/outcomes";
import { liveStateWritten, writeIntoLiveState } from "./collaboration-state.server";
import { validateDocument } from "./content.server";
import { foldsIntoLatestRevision } from "./revisions";

/** Where one kind of document lives: its table, its revisions and the column tying a revision to its record. */
function store<T extends keyof Database, R extends keyof Database, O extends keyof Database[R] & string>(table: T, revisions: R, owner: O) {
  return { table, revisions, owner };
}

const STORES = {
  postmortem: store("postmortems", "postmortem_revisions", "postmortem_id"),
  decision: store("decision_records", "decision_revisions", "decision_id"),
};

/** The kinds of versioned document; each name is also its search record type and audit entity. */
export type VersionedStore = keyof typeof STORES;

/** The columns the document tables share, and those the revision tables share (but their owner column). */
type DocumentColumns = "id" | "workspace_id" | "title" | "body" | "body_text" | "version" | "updated_by" | "updated_at";
type RevisionColumns = "id" | "version" | "title" | "body" | "author_id" | "saved_at" | "restored_from";
type DocumentRow = Pick<PostmortemsTable, DocumentColumns> & { status: PostmortemStatus | DecisionStatus };
type RevisionRow = Pick<PostmortemRevisionsTable, RevisionColumns>;

// The queries below read both kinds' tables through these rows: the compiler checks the tables agree.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _documentTablesAgree: Same<Pick<DecisionRecordsTable, DocumentColumns>, Pick<PostmortemsTable, DocumentColumns>> = true;
const _revisionTablesAgree: Same<Pick<DecisionRevisionsTable, RevisionColumns>, RevisionRow> = true;

/** A kind's record table as `doc` and its revisions as `rev`, typed by the columns they share. */
const documentTable = (kind: VersionedStore) => sql<DocumentRow>`${sql.table(STORES[kind].table)}`.as("doc");
const revisionTable = (kind: VersionedStore) => sql<RevisionRow>`${sql.table(STORES[kind].revisions)}`.as("rev");
const ownerColumn = (kind: VersionedStore) => sql.ref<string>(`rev.${STORES[kind].owner}`);

/** A query selecting the one record id a key names in a workspace (none when it names nothing). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any tables: each kind joins what it needs
export type RecordIdQuery = SelectQueryBuilder<Database, any, { id: string }>;

/** What a kind of versioned document tells this module, for records found by keys of type `Key`. */
export type VersionedKind<Key> = {
  store: VersionedStore;
  /** The record a key names, as a subquery; it also keeps out other workspaces' records. */
  recordId: (db: Db, workspaceId: string, key: Key) => RecordIdQuery;
  /** Why a record in this status takes no edits, or null when it does. */
  frozen?: (status: PostmortemStatus | DecisionStatus) => string | null;
};

export type SaveInput = { baseVersion: number; title: string; body: unknown };

/** The version that won a conflict, for the user to compare with theirs. */
export type SavedVersion = { version: number; title: string; body: DocumentJSON; updatedByName: string; updatedAt: Date };

export type SaveResult =
  | { ok: true; version: number; savedAt: Date }
  | (Extract<Problem, { kind: "conflict" }> & { current: SavedVersion })
  | (Extract<Problem, { kind: "invalid" }> & { message: string })
  | Extract<Problem, { kind: "read-only" | "not-found" }>;

const refused = (message: string) => ({ ok: false as const, kind: "invalid" as const, message });
const STALE_SAVE = "Someone saved a newer version while you were editing.";

/** Stores an edit made on top of `input.baseVersion`; a stale base is a conflict and writes nothing. */
export async function saveVersionedDocument<Key>(
  db: Db,
  kind: VersionedKind<Key>,
  actor: PublicUser,
  workspaceId: string,
  key: Key,
  input: SaveInput,
  options: { restoredFrom?: number; now?: Date } = {},
): Promise<SaveResult> {
  const validated = validateDocument(input.body);
  if (!validated.ok) return refused(validated.error);
  const title = input.title.trim();
  if (!title || title.length > LIMITS.title) return refused(`The title needs 1 to ${LIMITS.title} characters.`);
  const now = options.now ?? new Date();
  let liveRecord: string | null = null;
  const result = await db.transaction().execute(async (trx): Promise<SaveResult> => {
    const current = await trx
      .selectFrom(documentTable(kind.store))
      .innerJoin("users", "users.id", "doc.updated_by")
      .select(["doc.id", "doc.version", "doc.status", "doc.title", "doc.body", "doc.updated_at", "users.display_name as updated_by_name"])
      .where("doc.id", "=", kind.recordId(trx, workspaceId, key))
      .forUpdate("doc")
      .executeTakeFirst();
    if (!current) return notFound();
    const frozen = kind.frozen?.(current.status);
    if (frozen) return readOnly(frozen);
    if (current.version !== input.baseVersion) {
      const winner = { version: current.version, title: current.title, body: current.body, updatedByName: current.updated_by_name, updatedAt: current.updated_at };
      return { ...conflict(STALE_SAVE), current: winner };
    }
    const version = current.version + 1;
    await writeVersion(trx, kind.store, { id: current.id, workspaceId, version }, { title, body: validated.doc, text: validated.text }, actor.id, now, options.restoredFrom);
    // A document people edit live keeps its text in a Yjs state: this save joins it (docs/decisions/0029).
    if (await writeIntoLiveState(trx, kind.store, current.id, { title, body: validated.doc })) liveRecord = current.id;
    return { ok: true, version, savedAt: now };
  });
  // Editors connected live get the saved text once it is committed.
  if (liveRecord) liveStateWritten(kind.store, liveRecord);
  return result;
}

/** The record's row, locked for this transaction: what a writer needs to write the next version. */
export async function lockVersionedRecord(trx: Db, store: VersionedStore, recordId: string) {
  return trx
    .selectFrom(documentTable(store))
    .select(["doc.id", "doc.workspace_id", "doc.version", "doc.status", "doc.title", "doc.body", "doc.updated_by"])
    .where("doc.id", "=", recordId)
    .forUpdate("doc")
    .executeTakeFirst();
}

/**
 * Writes the next version of a record inside the caller's transaction: the text, its revision
 * (folded per person, ./revisions.ts), the search document, the audit event and the members the
 * text newly mentions (~/domain/notifications/mentions.server). The caller has
 * locked the record and checked that it may be written.
 */
export async function writeVersion(
  trx: Db,
  store: VersionedStore,
  record: { id: string; workspaceId: string; version: number },
  content: { title: string; body: DocumentJSON; text: string },
  actorId: string,
  now: Date,
  restoredFrom?: number,
): Promise<void> {
  const { version } = record;
  const body = JSON.stringify(content.body);
  await trx
    .updateTable(documentTable(store))
    .set({ title: content.title, body, body_text: content.text, version, updated_by: actorId, updated_at: now })
    .where("doc.id", "=", record.id)
    .execute();
  await writeRevision(trx, store, { recordId: record.id, version, title: content.title, body, authorId: actorId, now, restoredFrom: restoredFrom ?? null });
  await recordChange(trx, { type: store, id: record.id }, {
    workspaceId: record.workspaceId,
    actorId,
    action: `${store}.${restoredFrom ? "restored" : "saved"}`,
    change: { version, ...(restoredFrom ? { restoredFrom } : {}) },
  });
  await recordMentions(trx, { store, id: record.id, workspaceId: record.workspaceId }, content.text, actorId);
}

type RevisionWrite = { recordId: string; version: number; title: string; body: string; authorId: string; now: Date; restoredFrom: number | null };

/** Writes the revision of a save, folding it into the latest one when the rule says so. */
async function writeRevision(trx: Db, kind: VersionedStore, r: RevisionWrite) {
  const latest = await trx
    .selectFrom(revisionTable(kind))
    .select(["rev.id", "rev.author_id", "rev.saved_at", "rev.restored_from"])
    .where(ownerColumn(kind), "=", r.recordId)
    .orderBy("rev.version", "desc")
    .limit(1)
    .executeTakeFirst();
  if (foldsIntoLatestRevision(latest, r)) {
    await trx.updateTable(revisionTable(kind)).set({ version: r.version, title: r.title, body: r.body, saved_at: r.now }).where("rev.id", "=", latest.id).execute();
  } else {
    await insertRevisions(trx, kind, [r]);
  }
}

/** The first revision of new records (a started postmortem, a created or imported decision). */
export async function writeFirstRevisions(
  trx: Db,
  kind: VersionedStore,
  rows: ReadonlyArray<{ recordId: string; version: number; title: string; body: string; authorId: string }>,
): Promise<void> {
  await insertRevisions(trx, kind, rows);
}

async function insertRevisions(
  trx: Db,
  kind: VersionedStore,
  rows: ReadonlyArray<{ recordId: string; version: number; title: string; body: string; authorId: string; now?: Date; restoredFrom?: number | null }>,
) {
  if (rows.length === 0) return;
  // Left out, saved_at and restored_from take their defaults (now, null).
  const values = rows.map((r) => ({ version: r.version, title: r.title, body: r.body, author_id: r.authorId, saved_at: r.now, restored_from: r.restoredFrom }));
  switch (kind) {
    case "postmortem":
      return void (await trx.insertInto("postmortem_revisions").values(values.map((v, i) => ({ ...v, postmortem_id: rows[i]!.recordId }))).execute());
    case "decision":
      return void (await trx.insertInto("decision_revisions").values(values.map((v, i) => ({ ...v, decision_id: rows[i]!.recordId }))).execute());
  }
}

function revisionsOf<Key>(db: Db, kind: VersionedKind<Key>, workspaceId: string, key: Key) {
  return db
    .selectFrom(revisionTable(kind.store))
    .innerJoin("users", "users.id", "rev.author_id")
    .where(ownerColumn(kind.store), "=", kind.recordId(db, workspaceId, key));
}

/** A record's revisions, newest first. */
export async function listVersionedRevisions<Key>(db: Db, kind: VersionedKind<Key>, workspaceId: string, key: Key) {
  return revisionsOf(db, kind, workspaceId, key)
    .select(["rev.version", "rev.title", "rev.saved_at", "rev.restored_from", "users.display_name as author_name"])
    .orderBy("rev.version", "desc")
    .execute();
}

/** One revision of a record with its text; null when there is no such version. */
export async function findVersionedRevision<Key>(db: Db, kind: VersionedKind<Key>, workspaceId: string, key: Key, version: number) {
  return (
    (await revisionsOf(db, kind, workspaceId, key)
      .select(["rev.version", "rev.title", "rev.body", "rev.saved_at", "users.display_name as author_name"])
      .where("rev.version", "=", version)
      .executeTakeFirst()) ?? null
  );
}

/** Restoring makes a new version with the old text, on top of `baseVersion` like any save. */
export async function restoreVersionedRevision<Key>(
  db: Db,
  kind: VersionedKind<Key>,
  actor: PublicUser,
  workspaceId: string,
  key: Key,
  version: number,
  baseVersion: number,
): Promise<SaveResult> {
  const revision = await findVersionedRevision(db, kind, workspaceId, key, version);
  if (!revision) return notFound();
  return saveVersionedDocument(db, kind, actor, workspaceId, key, { baseVersion, title: revision.title, body: revision.body }, { restoredFrom: version });
}

/**
 * The operations of one kind of versioned document, bound to its descriptor, for its area to
 * export under its own names: `(db, actor, workspaceId, key, …)` like the rest of the domain.
 */
export function versionedDocuments<Key>(kind: VersionedKind<Key>) {
  return {
    save: (db: Db, actor: PublicUser, workspaceId: string, key: Key, input: SaveInput, options?: { restoredFrom?: number; now?: Date }) =>
      saveVersionedDocument(db, kind, actor, workspaceId, key, input, options),
    listRevisions: (db: Db, workspaceId: string, key: Key) => listVersionedRevisions(db, kind, workspaceId, key),
    findRevision: (db: Db, workspaceId: string, key: Key, version: number) => findVersionedRevision(db, kind, workspaceId, key, version),
    restore: (db: Db, actor: PublicUser, workspaceId: string, key: Key, version: number, baseVersion: number) =>
      restoreVersionedRevision(db, kind, actor, workspaceId, key, version, baseVersion),
  };
}
