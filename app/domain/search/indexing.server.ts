/**
 * Writing the search index (docs/decisions/0006-search-in-postgres.md): every mutation of a
 * searchable record calls `recordChange` (or `refreshSearchDocument`, or `refreshIncidentSearch`
 * when incident fields shared by its whole family change) with its own transaction, so a saved
 * record is findable the moment its transaction commits, and a rolled back one never is. What a
 * record's document contains is defined once, by the `search_document_sources` view.
 */
import { sql, type Insertable } from "kysely";
import type { Db } from "#db/connection";
import type { SearchDocumentsTable, SearchEntityType } from "#db/schema";
import { recordAuditEvent, type AuditAction, type AuditEntity } from "~/domain/shared/audit.server";

export type SearchDocument = Insertable<SearchDocumentsTable>;

const DOCUMENT_COLUMNS = [
  "workspace_id",
  "entity_type",
  "entity_id",
  "reference",
  "title",
  "body",
  "status",
  "tier",
  "area_slugs",
  "tags",
  "occurred_at",
  "updated_at",
] as const;

const columnList = sql.raw(DOCUMENT_COLUMNS.join(", "));
const updateFromExcluded = sql.raw(
  DOCUMENT_COLUMNS.filter((c) => c !== "entity_type" && c !== "entity_id")
    .map((c) => `${c} = excluded.${c}`)
    .join(", "),
);


/** Stores (or replaces) one record's search document. */
export async function indexSearchDocument(trx: Db, doc: SearchDocument): Promise<void> {
  await trx
    .insertInto("search_documents")
    .values(doc)
    .onConflict((oc) =>
      oc.columns(["entity_type", "entity_id"]).doUpdateSet((eb) => ({
        workspace_id: eb.ref("excluded.workspace_id"),
        reference: eb.ref("excluded.reference"),
        title: eb.ref("excluded.title"),
        body: eb.ref("excluded.body"),
        status: eb.ref("excluded.status"),
        tier: eb.ref("excluded.tier"),
        area_slugs: eb.ref("excluded.area_slugs"),
        tags: eb.ref("excluded.tags"),
        occurred_at: eb.ref("excluded.occurred_at"),
        updated_at: eb.ref("excluded.updated_at"),
      })),
    )
    .execute();
}

export async function removeSearchDocument(trx: Db, type: SearchEntityType, id: string): Promise<void> {
  await trx.deleteFrom("search_documents").where("entity_type", "=", type).where("entity_id", "=", id).execute();
}

/** A record's search document as it should be now, read from the record itself; null when it is gone. */
async function searchDocumentFor(trx: Db, type: SearchEntityType, id: string): Promise<SearchDocument | null> {
  const row = await trx
    .selectFrom("search_document_sources")
    .select(DOCUMENT_COLUMNS)
    .where("entity_type", "=", type)
    .where("entity_id", "=", id)
    .executeTakeFirst();
  return row ?? null;
}

export const searchDocumentForIncident = (trx: Db, id: string) => searchDocumentFor(trx, "incident", id);

/**
 * The one line each mutation adds, inside its transaction: brings the record's search document
 * in line with the record (inserted, updated, or removed when the record is gone). One statement.
 */
export async function refreshSearchDocument(trx: Db, type: SearchEntityType, id: string): Promise<void> {
  await sql`
    with source as (
      select ${columnList} from search_document_sources where entity_type = ${type} and entity_id = ${id}
    ), removed as (
      delete from search_documents
       where entity_type = ${type} and entity_id = ${id} and not exists (select 1 from source)
    )
    insert into search_documents (${columnList})
    select ${columnList} from source
    on conflict (entity_type, entity_id) do update set ${updateFromExcluded}`.execute(trx);
}

/** refreshSearchDocument for many records of one type at once (an import), in one statement. */
export async function refreshSearchDocuments(trx: Db, type: SearchEntityType, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await sql`
    insert into search_documents (${columnList})
    select ${columnList} from search_document_sources where entity_type = ${type} and entity_id = any(${[...ids]}::uuid[])
    on conflict (entity_type, entity_id) do update set ${updateFromExcluded}`.execute(trx);
}

/**
 * An incident and everything filed under it (its postmortem, factors and actions): they carry the
 * incident's tier, areas and date, so an incident edit refreshes all of them.
 */
export async function refreshIncidentSearch(trx: Db, incidentId: string): Promise<void> {
  await sql`
    insert into search_documents (${columnList})
    select ${columnList} from search_document_sources where incident_id = ${incidentId}
    on conflict (entity_type, entity_id) do update set ${updateFromExcluded}`.execute(trx);
}

/**
 * Rebuilds a workspace's documents from its records (bulk seeding, or after a change to what is
 * indexed): one type at a time, then removes documents whose record is gone.
 */
export async function rebuildWorkspaceSearch(db: Db, workspaceId: string): Promise<number> {
  let written = 0;
  for (const type of ["incident", "postmortem", "factor", "action", "decision"] as const) {
    const result = await sql`
      insert into search_documents (${columnList})
      select ${columnList} from search_document_sources where workspace_id = ${workspaceId} and entity_type = ${type}
      on conflict (entity_type, entity_id) do update set ${updateFromExcluded}`.execute(db);
    written += Number(result.numAffectedRows ?? 0);
  }
  await sql`
    delete from search_documents d
     where d.workspace_id = ${workspaceId}
       and not exists (select 1 from search_document_sources s where s.entity_type = d.entity_type and s.entity_id = d.entity_id)`.execute(db);
  return written;
}

/** A change to a searchable record, as the audit log tells it. */
export type RecordedChange = {
  workspaceId: string;
  actorId: string | null;
  /** past tense, dotted: "action.updated" */
  action: AuditAction;
  change?: Record<string, unknown>;
  /** The audited entity when it is not the record itself: a timeline event of an incident. */
  entity?: { type: AuditEntity; id: string };
};

/**
 * The tail of every change to a searchable record, in the transaction that made it: the record's
 * search document follows the record, and the change goes into the audit log under the record's
 * own name (search and the audit log name records alike; ADR 0018).
 */
export async function recordChange(trx: Db, record: { type: SearchEntityType; id: string }, recorded: RecordedChange): Promise<void> {
  await refreshSearchDocument(trx, record.type, record.id);
  const entity = recorded.entity ?? { type: record.type, id: record.id };
  await recordAuditEvent(trx, {
    workspaceId: recorded.workspaceId,
    actorId: recorded.actorId,
    action: recorded.action,
    entityType: entity.type,
    entityId: entity.id,
    change: recorded.change,
  });
}
