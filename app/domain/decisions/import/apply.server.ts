/**
 * Importing Markdown decision records: an upload is staged (stored as texts, never applied),
 * previewed as a plan anyone can reload, and imported in one transaction that re-plans against
 * the workspace as it is then and refuses if the plan differs from the one the person saw.
 */
import { sql } from "kysely";
import type { Db } from "#db/connection";
import type { DecisionKind } from "#db/schema";
import type { StagedFile } from "./files.server";
import { parseAdrFile, type ParsedFile } from "./parse.server";
import { externalReferences, planImport, type ImportPlan } from "./plan.server";
import { recordAuditEvent } from "~/domain/shared/audit.server";
import type { PublicUser } from "~/domain/accounts/index.server";
import { insertExternalLink, markSuperseded, resolveExternalTarget } from "../links.server";
import { loadExportRecords, metaFingerprint } from "../export.server";
import { sourceMapOf } from "~/domain/documents/index.server";
import type { ResolvedTarget } from "../rules";
import { refreshSearchDocuments } from "~/domain/search/index.server";
import { writeFirstRevisions } from "~/domain/documents/index.server";

/** A staged upload waits this long for its import; older ones are removed when the next is staged, and daily. */
const STAGED_FOR_MS = 24 * 60 * 60 * 1000;

/** The daily sweep: staged uploads (they hold the files' text) older than a day, in every workspace. */
export async function removeExpiredImports(db: Db, now = new Date()): Promise<{ removed: number }> {
  const result = await db.deleteFrom("decision_import_batches").where("created_at", "<", new Date(now.getTime() - STAGED_FOR_MS)).executeTakeFirst();
  return { removed: Number(result.numDeletedRows) };
}

export async function stageDecisionImport(
  db: Db,
  actor: PublicUser,
  workspaceId: string,
  input: { source: string; defaultKind: DecisionKind; files: StagedFile[] },
): Promise<{ id: string }> {
  return db.transaction().execute(async (trx) => {
    const expired = await trx
      .deleteFrom("decision_import_batches")
      .where("workspace_id", "=", workspaceId)
      .where("created_at", "<", new Date(Date.now() - STAGED_FOR_MS))
      .returning("id")
      .execute();
    const batch = await trx
      .insertInto("decision_import_batches")
      .values({
        workspace_id: workspaceId,
        created_by: actor.id,
        source: input.source.slice(0, 200),
        default_kind: input.defaultKind,
        files: JSON.stringify(input.files),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordAuditEvent(trx, {
      workspaceId,
      actorId: actor.id,
      action: "decision_import.staged",
      entityType: "decision_import",
      entityId: batch.id,
      change: { source: input.source, files: input.files.length, expiredRemoved: expired.length },
    });
    return { id: batch.id };
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A staged upload belongs to the person who uploaded it; anyone else gets null (a 404). */
async function findBatch(db: Db, actor: PublicUser, workspaceId: string, batchId: string, lock = false) {
  if (!UUID.test(batchId)) return null;
  let query = db
    .selectFrom("decision_import_batches")
    .selectAll()
    .where("id", "=", batchId)
    .where("workspace_id", "=", workspaceId)
    .where("created_by", "=", actor.id);
  if (lock) query = query.forUpdate();
  return (await query.executeTakeFirst()) ?? null;
}

function parseStaged(files: StagedFile[]): ParsedFile[] {
  return files.map((f) =>
    f.ignored !== undefined
      ? { path: f.path, outcome: "ignored" as const, reason: f.ignored }
      : f.error !== undefined || f.text === undefined
        ? { path: f.path, outcome: "error" as const, error: f.error ?? "The file could not be read." }
        : parseAdrFile(f.path, f.text),
  );
}

/** What the workspace holds that the plan depends on. Inside the import, after the counters are locked. */
async function importContext(db: Db, workspaceId: string, defaultKind: DecisionKind, parsed: ParsedFile[]) {
  const [existing, pairs, counters] = await Promise.all([
    db.selectFrom("decision_records").select(["id", "kind", "number", "title", "body_text", "status"]).where("workspace_id", "=", workspaceId).execute(),
    db
      .selectFrom("decision_links")
      .select(["decision_id", "kind", "target_id"])
      .where("workspace_id", "=", workspaceId)
      .where("kind", "in", ["supersedes", "amends"])
      .execute(),
    db.selectFrom("workspace_counters").select(["kind", "last_number"]).where("workspace_id", "=", workspaceId).where("kind", "in", ["adr", "rfc"]).execute(),
  ]);
  const targets = new Map<string, ResolvedTarget>();
  for (const ref of externalReferences(parsed)) {
    if (targets.has(ref.ref)) continue;
    const resolved = await resolveExternalTarget(db, workspaceId, ref);
    if (resolved) targets.set(ref.ref, resolved);
  }
  return {
    defaultKind,
    existing: existing.map((e) => ({ id: e.id, kind: e.kind, number: e.number, title: e.title, bodyText: e.body_text, status: e.status })),
    existingPairs: pairs.map((p) => ({ kind: p.kind as "supersedes" | "amends", newer: p.decision_id, older: p.target_id })),
    counters: {
      adr: counters.find((c) => c.kind === "adr")?.last_number ?? 0,
      rfc: counters.find((c) => c.kind === "rfc")?.last_number ?? 0,
    },
    targets,
  };
}

export type ImportPreview = {
  batch: { id: string; source: string; createdAt: Date; importedAt: Date | null; result: Record<string, unknown> | null; defaultKind: DecisionKind };
  plan: ImportPlan;
};

export async function previewDecisionImport(db: Db, actor: PublicUser, workspaceId: string, batchId: string): Promise<ImportPreview | null> {
  const batch = await findBatch(db, actor, workspaceId, batchId);
  if (!batch) return null;
  const parsed = parseStaged(batch.files);
  const plan = planImport(parsed, await importContext(db, workspaceId, batch.default_kind, parsed));
  return {
    batch: { id: batch.id, source: batch.source, createdAt: batch.created_at, importedAt: batch.imported_at, result: batch.result, defaultKind: batch.default_kind },
    plan,
  };
}

export type ImportResult =
  | { ok: true; created: string[]; links: number; supersededExisting: string[] }
  | { ok: false; kind: "not-found" }
  | { ok: false; kind: "already-imported" }
  | { ok: false; kind: "changed"; message: string }
  | { ok: false; kind: "nothing"; message: string };

/**
 * Imports a staged upload in one transaction: every record, revision, link, status change and
 * audit event, or none of them. The plan is made again here, with the counters locked; if it is
 * not the plan the person previewed, nothing is written and they look again.
 */
export async function importDecisionBatch(db: Db, actor: PublicUser, workspaceId: string, batchId: string, expectedHash: string): Promise<ImportResult> {
  return db.transaction().execute(async (trx) => {
    const batch = await findBatch(trx, actor, workspaceId, batchId, true);
    if (!batch) return { ok: false as const, kind: "not-found" as const };
    if (batch.imported_at) return { ok: false as const, kind: "already-imported" as const };
    // Lock both counters: creators of new records queue behind the import instead of taking its numbers.
    for (const kind of ["adr", "rfc"] as const) {
      await trx
        .insertInto("workspace_counters")
        .values({ workspace_id: workspaceId, kind, last_number: 0 })
        .onConflict((oc) => oc.columns(["workspace_id", "kind"]).doUpdateSet({ last_number: sql`workspace_counters.last_number` }))
        .execute();
    }
    const parsed = parseStaged(batch.files);
    const plan = planImport(parsed, await importContext(trx, workspaceId, batch.default_kind, parsed));
    if (plan.hash !== expectedHash) {
      return { ok: false as const, kind: "changed" as const, message: "The workspace changed since this preview (someone added or linked records). Check the updated preview, then import." };
    }
    if (plan.records.length === 0 && plan.pairs.length === 0) {
      return { ok: false as const, kind: "nothing" as const, message: "There is nothing to import: every file is a duplicate, has an error or is not a decision record." };
    }

    const ids: string[] = [];
    for (let start = 0; start < plan.records.length; start += 100) {
      const chunk = plan.records.slice(start, start + 100);
      const rows = await trx
        .insertInto("decision_records")
        .values(
          chunk.map((r) => ({
            workspace_id: workspaceId,
            kind: r.kind,
            number: r.number,
            title: r.title,
            status: r.status,
            prior_status: r.priorStatus,
            deciders: JSON.stringify(r.deciders),
            decided_on: r.decidedOn,
            tags: JSON.stringify(r.tags),
            template: "import",
            body: JSON.stringify(r.body),
            body_text: r.bodyText,
            front_matter: JSON.stringify(r.frontMatter),
            source_path: r.path,
            source_text: r.source.text,
            // Hashed from the body as stored (its links to other files already point at records).
            source_map: JSON.stringify(sourceMapOf(r.body, r.source.ranges, r.source.style, normalizedLength(r.source.text))),
            status_word: r.statusWord,
            created_by: actor.id,
            updated_by: actor.id,
          })),
        )
        .returning("id")
        .execute();
      ids.push(...rows.map((r) => r.id));
      await writeFirstRevisions(trx, "decision", chunk.map((r, i) => ({ recordId: rows[i]!.id, version: 1, title: r.title, body: JSON.stringify(r.body), authorId: actor.id })));
    }
    for (const kind of ["adr", "rfc"] as const) {
      const highest = Math.max(0, ...plan.records.filter((r) => r.kind === kind).map((r) => r.number));
      if (highest > 0) {
        await trx
          .updateTable("workspace_counters")
          .set({ last_number: sql`greatest(last_number, ${highest})` })
          .where("workspace_id", "=", workspaceId)
          .where("kind", "=", kind)
          .execute();
      }
    }

    const idOf = (e: ImportPlan["pairs"][number]["newer"]) => (e.type === "new" ? ids[e.index]! : e.id);
    for (const pair of plan.pairs) {
      const inverse = pair.kind === "supersedes" ? "superseded_by" : "amended_by";
      const newer = idOf(pair.newer);
      const older = idOf(pair.older);
      await trx
        .insertInto("decision_links")
        .values([
          { workspace_id: workspaceId, decision_id: newer, kind: pair.kind, target_type: "decision", target_id: older, target_ref: pair.olderRef, created_by: actor.id },
          { workspace_id: workspaceId, decision_id: older, kind: inverse, target_type: "decision", target_id: newer, target_ref: pair.newerRef, created_by: actor.id },
        ])
        .onConflict((oc) => oc.columns(["decision_id", "kind", "target_type", "target_id"]).doNothing())
        .execute();
      await recordAuditEvent(trx, {
        workspaceId,
        actorId: actor.id,
        action: "decision.linked",
        entityType: "decision",
        entityId: newer,
        change: { kind: pair.kind, target: pair.olderRef, import: batch.id },
      });
    }
    for (const link of plan.externals) {
      const record = plan.records[link.index]!;
      await insertExternalLink(trx, actor, workspaceId, { decisionId: ids[link.index]!, ref: record.ref }, link.kind, link.target, false);
    }
    if (plan.supersedesExisting.length > 0) {
      const locked = await trx
        .selectFrom("decision_records")
        .select(["id", "kind", "number", "status", "prior_status"])
        .where("workspace_id", "=", workspaceId)
        .where("id", "in", plan.supersedesExisting.map((s) => s.id))
        .orderBy("id")
        .forUpdate()
        .execute();
      for (const row of locked) {
        const by = plan.pairs.find((p) => p.kind === "supersedes" && p.older.type === "existing" && p.older.id === row.id)!;
        await markSuperseded(trx, actor, workspaceId, row, by.newerRef);
      }
    }
    await rememberImportedMetadata(trx, workspaceId, ids);
    await refreshSearchDocuments(trx, "decision", ids);
    for (const [i, record] of plan.records.entries()) {
      await recordAuditEvent(trx, {
        workspaceId,
        actorId: actor.id,
        action: "decision.imported",
        entityType: "decision",
        entityId: ids[i]!,
        change: {
          ref: record.ref,
          title: record.title,
          status: record.status,
          path: record.path,
          import: batch.id,
          links: plan.externals.filter((l) => l.index === i).map((l) => ({ kind: l.kind, target: l.target.ref })),
        },
      });
    }
    const result = {
      created: plan.records.map((r) => r.ref),
      duplicates: plan.counts.duplicate,
      errors: plan.counts.error,
      links: plan.counts.links,
      supersededExisting: plan.supersedesExisting.map((s) => s.ref),
    };
    await trx
      .updateTable("decision_import_batches")
      .set({ imported_at: new Date(), result: JSON.stringify(result) })
      .where("id", "=", batch.id)
      .execute();
    await recordAuditEvent(trx, { workspaceId, actorId: actor.id, action: "decision_import.completed", entityType: "decision_import", entityId: batch.id, change: result });
    return { ok: true as const, created: result.created, links: result.links, supersededExisting: result.supersededExisting };
  });
}

/** The text is stored as uploaded; offsets count in it with "\n" line ends and no byte-order mark. */
function normalizedLength(text: string): number {
  return text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n").length;
}

/**
 * Each new record's metadata as the export sees it once the import is done (statuses set by
 * supersede links, typed links written): while it stays so, the export keeps the file's head
 * (front matter, title, metadata lines) as written.
 */
async function rememberImportedMetadata(trx: Db, workspaceId: string, ids: string[]) {
  for (let start = 0; start < ids.length; start += 100) {
    const records = await loadExportRecords(trx, workspaceId, { ids: ids.slice(start, start + 100) });
    for (const record of records) {
      if (!record.source) continue;
      await trx
        .updateTable("decision_records")
        .set({ source_map: JSON.stringify({ ...record.source.map, meta: metaFingerprint(record) }) })
        .where("id", "=", record.id)
        .execute();
    }
  }
}
