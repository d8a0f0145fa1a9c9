/**
 * Decision records (ADR-n, RFC-n): creation from a template, autosave with version conflicts and
 * revisions (the postmortem rules), details, and typed links written both ways in one
 * transaction. Every mutation writes its audit event in the same transaction.
 */
import { sql } from "kysely";
import type { Db } from "#db/connection";
import type { DecisionKind, DecisionLinkKind, DecisionLinkTarget, DecisionStatus, DocumentJSON } from "#db/schema";
import { recordAuditEvent } from "./audit.server";
import { foldsIntoLatestRevision } from "./revisions";
import type { PublicUser } from "./auth.server";
import { decisionReference, LINK_KINDS, parseLinkTarget, type LinkTargetRef } from "./decision-rules";
import { decisionTemplate } from "./decisions-templates.server";
import { validateDocument } from "./documents.server";
import { actionReference } from "./guardrail-rules";
import { incidentReference } from "./incident-rules";
import { takeNextNumber } from "./numbering.server";
import { refreshSearchDocument } from "./search.server";

export type DecisionKey = { kind: DecisionKind; number: number };
export type DecisionDetails = { status: DecisionStatus; deciders: string[]; decidedOn: string | null; tags: string[] };

/** decided_on as "YYYY-MM-DD" on both engines, whatever the driver does with date columns. */
const decidedOnText = sql<string | null>`to_char(decision_records.decided_on, 'YYYY-MM-DD')`.as("decided_on");

const json = (value: unknown) => JSON.stringify(value);

// ---------------------------------------------------------------------------------------------
// Create

export type NewDecisionInput = DecisionDetails & { kind: DecisionKind; template: string; title: string; supersedes: string | null };
export type CreateDecisionResult =
  | { ok: true; kind: DecisionKind; number: number; ref: string }
  | { ok: false; fieldErrors: Partial<Record<"template" | "supersedes" | "status", string[]>> };

/** A new record from a template, numbered ADR-n or RFC-n; optionally superseding an older one. */
export async function createDecision(db: Db, actor: PublicUser, workspaceId: string, input: NewDecisionInput): Promise<CreateDecisionResult> {
  const template = decisionTemplate(input.template);
  if (!template) return { ok: false, fieldErrors: { template: ["Choose one of the templates."] } };
  const validated = validateDocument(template.doc);
  if (!validated.ok) throw new Error(`decision template ${template.key} is not a valid document: ${validated.error}`);
  const older = input.supersedes ? parseLinkTarget("supersedes", input.supersedes) : null;
  if (older && !older.ok) return { ok: false, fieldErrors: { supersedes: [older.message] } };
  return db.transaction().execute(async (trx) => {
    // Resolve the older record before taking a number: a refusal must not use one up.
    let olderRow: LockedDecision | null = null;
    if (older?.ok && older.target.type === "decision") {
      olderRow = await decisionRow(trx, workspaceId, older.target);
      if (!olderRow) return { ok: false as const, fieldErrors: { supersedes: [`${older.target.ref} is not a decision record in this workspace.`] } };
    }
    const number = await takeNextNumber(trx, workspaceId, input.kind);
    const body = json(validated.doc);
    const created = await trx
      .insertInto("decision_records")
      .values({
        workspace_id: workspaceId,
        kind: input.kind,
        number,
        title: input.title,
        status: input.status,
        deciders: json(input.deciders),
        decided_on: input.decidedOn,
        tags: json(input.tags),
        template: template.key,
        body,
        body_text: validated.text,
        created_by: actor.id,
        updated_by: actor.id,
      })
      .returning(["id", "version"])
      .executeTakeFirstOrThrow();
    await trx
      .insertInto("decision_revisions")
      .values({ decision_id: created.id, version: created.version, title: input.title, body, author_id: actor.id })
      .execute();
    await refreshSearchDocument(trx, "decision", created.id);
    const ref = decisionReference(input.kind, number);
    await recordAuditEvent(trx, {
      workspaceId,
      actorId: actor.id,
      action: "decision.created",
      entityType: "decision",
      entityId: created.id,
      change: { ref, title: input.title, status: input.status, template: template.key },
    });
    if (olderRow) {
      const self: LockedDecision = { id: created.id, kind: input.kind, number, status: input.status, prior_status: null };
      const linked = await linkDecisionPair(trx, actor, workspaceId, self, "supersedes", olderRow);
      if (!linked.ok) throw new Error(`a new record could not supersede ${olderRow.kind}-${olderRow.number}: ${linked.message}`);
    }
    return { ok: true as const, kind: input.kind, number, ref };
  });
}

// ---------------------------------------------------------------------------------------------
// Read

type LockedDecision = { id: string; kind: DecisionKind; number: number; status: DecisionStatus; prior_status: Exclude<DecisionStatus, "superseded"> | null };

async function decisionRow(db: Db, workspaceId: string, key: DecisionKey, lock = false): Promise<LockedDecision | null> {
  let query = db
    .selectFrom("decision_records")
    .select(["id", "kind", "number", "status", "prior_status"])
    .where("workspace_id", "=", workspaceId)
    .where("kind", "=", key.kind)
    .where("number", "=", key.number);
  if (lock) query = query.forUpdate();
  return (await query.executeTakeFirst()) ?? null;
}

/** Locks rows in id order, so two transactions linking the same pair from both ends queue instead of deadlocking. */
async function lockDecisions(trx: Db, workspaceId: string, ids: string[]): Promise<Map<string, LockedDecision>> {
  const rows = await trx
    .selectFrom("decision_records")
    .select(["id", "kind", "number", "status", "prior_status"])
    .where("workspace_id", "=", workspaceId)
    .where("id", "in", [...new Set(ids)])
    .orderBy("id")
    .forUpdate()
    .execute();
  return new Map(rows.map((r) => [r.id, r]));
}

function recordQuery(db: Db, workspaceId: string) {
  return db
    .selectFrom("decision_records")
    .innerJoin("users as editor", "editor.id", "decision_records.updated_by")
    .innerJoin("users as author", "author.id", "decision_records.created_by")
    .select([
      "decision_records.id",
      "decision_records.kind",
      "decision_records.number",
      "decision_records.title",
      "decision_records.status",
      "decision_records.prior_status",
      "decision_records.deciders",
      decidedOnText,
      "decision_records.tags",
      "decision_records.template",
      "decision_records.body",
      "decision_records.body_text",
      "decision_records.front_matter",
      "decision_records.source_path",
      "decision_records.version",
      "decision_records.meta_version",
      "decision_records.created_at",
      "decision_records.updated_at",
      "editor.display_name as updated_by_name",
      "author.display_name as author_name",
    ])
    .where("decision_records.workspace_id", "=", workspaceId);
}

/** One record with its links (titles and statuses of what they point at) and its supersede chain. */
export async function findDecision(db: Db, workspaceId: string, key: DecisionKey) {
  const record = await recordQuery(db, workspaceId)
    .where("decision_records.kind", "=", key.kind)
    .where("decision_records.number", "=", key.number)
    .executeTakeFirst();
  if (!record) return null;
  const [links, chain] = await Promise.all([decisionLinks(db, workspaceId, record.id), supersedeChain(db, workspaceId, record.id)]);
  return { ...record, ref: decisionReference(record.kind, record.number), links, chain };
}

export type DecisionLinkView = {
  id: string;
  kind: DecisionLinkKind;
  targetType: DecisionLinkTarget;
  ref: string;
  /** The target's title or name; null when it is gone or not something this app stores (a PR). */
  title: string | null;
  status: string | null;
  /** decision: "adr" / "rfc"; incident and action: their number; gate: its id. */
  target: { kind?: DecisionKind; number?: number; id?: string };
  url: string | null;
};

export async function decisionLinks(db: Db, workspaceId: string, decisionId: string): Promise<DecisionLinkView[]> {
  const rows = await db
    .selectFrom("decision_links")
    .select(["id", "kind", "target_type", "target_id", "target_ref", "url"])
    .where("workspace_id", "=", workspaceId)
    .where("decision_id", "=", decisionId)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  const idsOf = (type: DecisionLinkTarget) => rows.filter((r) => r.target_type === type).map((r) => r.target_id);
  const [decisions, incidents, actions, gates] = await Promise.all([
    byIds(idsOf("decision"), (ids) =>
      db.selectFrom("decision_records").select(["id", "kind", "number", "title", "status"]).where("workspace_id", "=", workspaceId).where("id", "in", ids).execute(),
    ),
    byIds(idsOf("incident"), (ids) =>
      db.selectFrom("incidents").select(["id", "number", "title", "status"]).where("workspace_id", "=", workspaceId).where("id", "in", ids).execute(),
    ),
    byIds(idsOf("action"), (ids) =>
      db.selectFrom("guardrail_actions").select(["id", "number", "title", "status"]).where("workspace_id", "=", workspaceId).where("id", "in", ids).execute(),
    ),
    byIds(idsOf("gate"), (ids) =>
      db.selectFrom("gates").select(["id", "name as title", "status"]).where("workspace_id", "=", workspaceId).where("id", "in", ids).execute(),
    ),
  ]);
  return rows.map((r) => {
    const base = { id: r.id, kind: r.kind, targetType: r.target_type, ref: r.target_ref, url: r.url, title: null, status: null, target: {} };
    switch (r.target_type) {
      case "decision": {
        const d = decisions.get(r.target_id);
        return d ? { ...base, ref: decisionReference(d.kind, d.number), title: d.title, status: d.status, target: { kind: d.kind, number: d.number } } : base;
      }
      case "incident": {
        const i = incidents.get(r.target_id);
        return i ? { ...base, title: i.title, status: i.status, target: { number: i.number } } : base;
      }
      case "action": {
        const a = actions.get(r.target_id);
        return a ? { ...base, title: a.title, status: a.status, target: { number: a.number } } : base;
      }
      case "gate": {
        const g = gates.get(r.target_id);
        return g ? { ...base, title: g.title, status: g.status, target: { id: g.id } } : base;
      }
      case "pull_request":
        return base;
    }
  });
}

async function byIds<T extends { id: string }>(ids: string[], load: (ids: string[]) => Promise<T[]>): Promise<Map<string, T>> {
  if (ids.length === 0) return new Map();
  return new Map((await load([...new Set(ids)])).map((row) => [row.id, row]));
}

export type ChainEntry = { id: string; ref: string; kind: DecisionKind; number: number; title: string; status: DecisionStatus; current: boolean };

/** At most this many records are walked for one chain; real chains are a handful long. */
const MAX_CHAIN = 50;

/**
 * The records connected to this one by supersede links, oldest first: what it replaced, what
 * replaced it, and so on in both directions. A single record (no links) is an empty chain.
 */
export async function supersedeChain(db: Db, workspaceId: string, decisionId: string): Promise<ChainEntry[]> {
  const edges = await db
    .selectFrom("decision_links")
    .select(["decision_id as newer", "target_id as older"])
    .where("workspace_id", "=", workspaceId)
    .where("kind", "=", "supersedes")
    .execute();
  const neighbours = new Map<string, Set<string>>();
  for (const e of edges) {
    if (!neighbours.has(e.newer)) neighbours.set(e.newer, new Set());
    if (!neighbours.has(e.older)) neighbours.set(e.older, new Set());
    neighbours.get(e.newer)!.add(e.older);
    neighbours.get(e.older)!.add(e.newer);
  }
  if (!neighbours.has(decisionId)) return [];
  const component = new Set([decisionId]);
  const queue = [decisionId];
  while (queue.length > 0 && component.size < MAX_CHAIN) {
    for (const next of neighbours.get(queue.shift()!) ?? []) {
      if (component.size >= MAX_CHAIN) break;
      if (!component.has(next)) {
        component.add(next);
        queue.push(next);
      }
    }
  }
  const rows = await db
    .selectFrom("decision_records")
    .select(["id", "kind", "number", "title", "status"])
    .where("workspace_id", "=", workspaceId)
    .where("id", "in", [...component])
    .execute();
  const inComponent = edges.filter((e) => component.has(e.newer) && component.has(e.older));
  return oldestFirst(rows, inComponent).map((r) => ({ ...r, ref: decisionReference(r.kind, r.number), current: r.id === decisionId }));
}

/** Topological order along "supersedes" (the replaced record before its replacement); ties by kind and number. */
function oldestFirst<T extends { id: string; kind: DecisionKind; number: number }>(rows: T[], edges: Array<{ newer: string; older: string }>): T[] {
  const pending = new Map(rows.map((r) => [r.id, 0]));
  for (const e of edges) pending.set(e.newer, (pending.get(e.newer) ?? 0) + 1);
  const byOrder = (a: T, b: T) => a.kind.localeCompare(b.kind) || a.number - b.number;
  const ready = rows.filter((r) => pending.get(r.id) === 0).sort(byOrder);
  const out: T[] = [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  while (ready.length > 0) {
    const next = ready.shift()!;
    out.push(next);
    for (const e of edges.filter((edge) => edge.older === next.id)) {
      const left = (pending.get(e.newer) ?? 0) - 1;
      pending.set(e.newer, left);
      if (left === 0 && byId.has(e.newer)) {
        ready.push(byId.get(e.newer)!);
        ready.sort(byOrder);
      }
    }
  }
  // Cycles are refused when links are written; anything left over still shows, at the end.
  return [...out, ...rows.filter((r) => !out.includes(r)).sort(byOrder)];
}

// ---------------------------------------------------------------------------------------------
// The log

export type DecisionFilters = { status?: DecisionStatus; kind?: DecisionKind; tag?: string; from?: string; to?: string; q?: string };

/** The decision log: ADRs then RFCs, newest number first, with what superseded each superseded record. */
export async function listDecisions(db: Db, workspaceId: string, filters: DecisionFilters = {}, limit = 500) {
  let query = db
    .selectFrom("decision_records")
    .select([
      "decision_records.id",
      "decision_records.kind",
      "decision_records.number",
      "decision_records.title",
      "decision_records.status",
      "decision_records.tags",
      "decision_records.deciders",
      decidedOnText,
      "decision_records.updated_at",
    ])
    .where("decision_records.workspace_id", "=", workspaceId);
  if (filters.status) query = query.where("decision_records.status", "=", filters.status);
  if (filters.kind) query = query.where("decision_records.kind", "=", filters.kind);
  if (filters.tag) query = query.where(sql<boolean>`decision_records.tags @> ${json([filters.tag])}::jsonb`);
  if (filters.from) query = query.where("decision_records.decided_on", ">=", filters.from);
  if (filters.to) query = query.where("decision_records.decided_on", "<=", filters.to);
  if (filters.q) query = query.where("decision_records.title", "ilike", `%${filters.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  const rows = await query.orderBy("decision_records.kind").orderBy("decision_records.number", "desc").limit(limit).execute();
  const supersededIds = rows.filter((r) => r.status === "superseded").map((r) => r.id);
  const replacements = new Map<string, string[]>();
  if (supersededIds.length > 0) {
    const links = await db
      .selectFrom("decision_links")
      .innerJoin("decision_records as newer", (join) => join.on(sql<boolean>`newer.id::text = decision_links.target_id`))
      .select(["decision_links.decision_id", "newer.kind", "newer.number"])
      .where("decision_links.workspace_id", "=", workspaceId)
      .where("decision_links.kind", "=", "superseded_by")
      .where("decision_links.decision_id", "in", supersededIds)
      .orderBy("newer.number")
      .execute();
    for (const l of links) replacements.set(l.decision_id, [...(replacements.get(l.decision_id) ?? []), decisionReference(l.kind, l.number)]);
  }
  return rows.map((r) => ({ ...r, ref: decisionReference(r.kind, r.number), supersededBy: replacements.get(r.id) ?? [] }));
}

export async function countDecisions(db: Db, workspaceId: string): Promise<number> {
  const row = await db
    .selectFrom("decision_records")
    .select(sql<number>`count(*)::int`.as("count"))
    .where("workspace_id", "=", workspaceId)
    .executeTakeFirstOrThrow();
  return row.count;
}

/** Every tag used in the workspace, for the log's filter. */
export async function listDecisionTags(db: Db, workspaceId: string): Promise<string[]> {
  const rows = await db
    .selectFrom(sql<{ tag: string }>`(select distinct jsonb_array_elements_text(tags) as tag from decision_records where workspace_id = ${workspaceId})`.as("t"))
    .select("t.tag")
    .orderBy("t.tag")
    .execute();
  return rows.map((r) => r.tag);
}

/** What a link may point at, for the link form's suggestions. */
export async function linkSuggestions(db: Db, workspaceId: string) {
  const [decisions, incidents, actions, gates] = await Promise.all([
    db.selectFrom("decision_records").select(["kind", "number", "title"]).where("workspace_id", "=", workspaceId).orderBy("kind").orderBy("number", "desc").limit(200).execute(),
    db.selectFrom("incidents").select(["number", "title"]).where("workspace_id", "=", workspaceId).orderBy("number", "desc").limit(100).execute(),
    db.selectFrom("guardrail_actions").select(["number", "title"]).where("workspace_id", "=", workspaceId).orderBy("number", "desc").limit(100).execute(),
    db.selectFrom("gates").select(["id", "name"]).where("workspace_id", "=", workspaceId).orderBy("name").limit(100).execute(),
  ]);
  return [
    ...decisions.map((d) => ({ value: decisionReference(d.kind, d.number), label: d.title })),
    ...incidents.map((i) => ({ value: incidentReference(i.number), label: i.title })),
    ...actions.map((a) => ({ value: actionReference(a.number), label: a.title })),
    ...gates.map((g) => ({ value: `GATE:${g.id}`, label: g.name })),
  ];
}

/** Decisions that cite an incident ("informed by"), for the incident's page. */
export async function decisionsInformedByIncident(db: Db, workspaceId: string, incidentId: string) {
  const rows = await db
    .selectFrom("decision_links")
    .innerJoin("decision_records", "decision_records.id", "decision_links.decision_id")
    .select(["decision_records.kind", "decision_records.number", "decision_records.title", "decision_records.status"])
    .where("decision_links.workspace_id", "=", workspaceId)
    .where("decision_links.target_type", "=", "incident")
    .where("decision_links.target_id", "=", incidentId)
    .orderBy("decision_records.kind")
    .orderBy("decision_records.number")
    .execute();
  return rows.map((r) => ({ ...r, ref: decisionReference(r.kind, r.number) }));
}

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

/** Writes the revision of a save, folding it into the latest one by the shared rule (revisions.ts). */
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

// ---------------------------------------------------------------------------------------------
// Details: status, deciders, date, tags

export type DetailsResult =
  | { ok: true; metaVersion: number }
  | { ok: false; kind: "not-found" }
  | { ok: false; kind: "conflict"; current: DecisionDetails & { metaVersion: number } }
  | { ok: false; kind: "invalid"; fieldErrors: { status?: string[] } };

/** Saves the details form made on top of `metaVersion`; a stale form is a conflict, never an overwrite. */
export async function updateDecisionDetails(
  db: Db,
  actor: PublicUser,
  workspaceId: string,
  key: DecisionKey,
  input: DecisionDetails & { metaVersion: number },
): Promise<DetailsResult> {
  return db.transaction().execute(async (trx) => {
    const current = await trx
      .selectFrom("decision_records")
      .select(["id", "status", "prior_status", "deciders", decidedOnText, "tags", "meta_version"])
      .where("workspace_id", "=", workspaceId)
      .where("kind", "=", key.kind)
      .where("number", "=", key.number)
      .forUpdate()
      .executeTakeFirst();
    if (!current) return { ok: false as const, kind: "not-found" as const };
    if (current.meta_version !== input.metaVersion) {
      return {
        ok: false as const,
        kind: "conflict" as const,
        current: { status: current.status, deciders: current.deciders, decidedOn: current.decided_on, tags: current.tags, metaVersion: current.meta_version },
      };
    }
    if (input.status !== "superseded") {
      const replacements = await supersededBy(trx, workspaceId, current.id);
      if (replacements.length > 0) {
        return {
          ok: false as const,
          kind: "invalid" as const,
          fieldErrors: { status: [`${replacements.join(", ")} supersedes this record, so it stays superseded. Remove that link first.`] },
        };
      }
    }
    const metaVersion = current.meta_version + 1;
    await trx
      .updateTable("decision_records")
      .set({
        status: input.status,
        // A status chosen by hand is the one to return to; only a link sets prior_status.
        prior_status: input.status === current.status ? current.prior_status : null,
        deciders: json(input.deciders),
        decided_on: input.decidedOn,
        tags: json(input.tags),
        meta_version: metaVersion,
      })
      .where("id", "=", current.id)
      .execute();
    await refreshSearchDocument(trx, "decision", current.id);
    const change: Record<string, unknown> = { metaVersion };
    const before = { status: current.status, deciders: current.deciders, decidedOn: current.decided_on, tags: current.tags };
    for (const field of ["status", "deciders", "decidedOn", "tags"] as const) {
      if (json(before[field]) !== json(input[field])) change[field] = { from: before[field], to: input[field] };
    }
    await recordAuditEvent(trx, { workspaceId, actorId: actor.id, action: "decision.details_changed", entityType: "decision", entityId: current.id, change });
    return { ok: true as const, metaVersion };
  });
}

async function supersededBy(trx: Db, workspaceId: string, decisionId: string): Promise<string[]> {
  const rows = await trx
    .selectFrom("decision_links")
    .select("target_ref")
    .where("workspace_id", "=", workspaceId)
    .where("decision_id", "=", decisionId)
    .where("kind", "=", "superseded_by")
    .execute();
  return rows.map((r) => r.target_ref);
}

// ---------------------------------------------------------------------------------------------
// Links

export type LinkResult = { ok: true } | { ok: false; kind: "not-found" } | { ok: false; kind: "invalid"; message: string };

/**
 * Adds a typed link from the record to what `targetText` names. Links between two records are
 * written both ways (supersedes + superseded_by, amends + amended_by) in one transaction, and
 * superseding marks the older record superseded in that same transaction.
 */
export async function addDecisionLink(
  db: Db,
  actor: PublicUser,
  workspaceId: string,
  key: DecisionKey,
  kind: DecisionLinkKind,
  targetText: string,
): Promise<LinkResult> {
  const parsed = parseLinkTarget(kind, targetText);
  if (!parsed.ok) return { ok: false, kind: "invalid", message: parsed.message };
  const target = parsed.target;
  return db.transaction().execute(async (trx) => {
    const self = await decisionRow(trx, workspaceId, key);
    if (!self) return { ok: false as const, kind: "not-found" as const };
    if (target.type === "decision") {
      const other = await decisionRow(trx, workspaceId, target);
      if (!other) return { ok: false as const, kind: "invalid" as const, message: `${target.ref} is not a decision record in this workspace.` };
      const locked = await lockDecisions(trx, workspaceId, [self.id, other.id]);
      return linkDecisionPair(trx, actor, workspaceId, locked.get(self.id)!, kind, locked.get(other.id) ?? locked.get(self.id)!);
    }
    const resolved = await resolveExternalTarget(trx, workspaceId, target);
    if (!resolved) return { ok: false as const, kind: "invalid" as const, message: `${target.ref} is not in this workspace.` };
    const inserted = await insertExternalLink(trx, actor, workspaceId, { decisionId: self.id, ref: decisionReference(self.kind, self.number) }, kind, resolved);
    return inserted ? { ok: true as const } : { ok: false as const, kind: "invalid" as const, message: "That link is already there." };
  });
}

export type ResolvedTarget = { type: Exclude<DecisionLinkTarget, "decision">; id: string; ref: string; url: string | null };

/** The stored identity of an incident, action, gate or pull request; null when the workspace has no such thing. */
export async function resolveExternalTarget(trx: Db, workspaceId: string, target: Exclude<LinkTargetRef, { type: "decision" }>): Promise<ResolvedTarget | null> {
  switch (target.type) {
    case "incident": {
      const row = await trx.selectFrom("incidents").select("id").where("workspace_id", "=", workspaceId).where("number", "=", target.number).executeTakeFirst();
      return row ? { type: "incident", id: row.id, ref: target.ref, url: null } : null;
    }
    case "action": {
      const row = await trx.selectFrom("guardrail_actions").select("id").where("workspace_id", "=", workspaceId).where("number", "=", target.number).executeTakeFirst();
      return row ? { type: "action", id: row.id, ref: target.ref, url: null } : null;
    }
    case "gate": {
      const row = await trx.selectFrom("gates").select("id").where("workspace_id", "=", workspaceId).where("id", "=", target.id).executeTakeFirst();
      return row ? { type: "gate", id: row.id, ref: target.ref, url: null } : null;
    }
    case "pull_request":
      // Stored as "owner/repo#n": no pull request row is needed, and one found later joins on it.
      return { type: "pull_request", id: target.ref, ref: target.ref, url: target.url };
  }
}

/** One row for a link to something outside the decision log; false when it was already there. */
export async function insertExternalLink(
  trx: Db,
  actor: PublicUser,
  workspaceId: string,
  from: { decisionId: string; ref: string },
  kind: DecisionLinkKind,
  target: ResolvedTarget,
  audit = true,
): Promise<boolean> {
  const row = await trx
    .insertInto("decision_links")
    .values({
      workspace_id: workspaceId,
      decision_id: from.decisionId,
      kind,
      target_type: target.type,
      target_id: target.id,
      target_ref: target.ref,
      url: target.url,
      created_by: actor.id,
    })
    .onConflict((oc) => oc.columns(["decision_id", "kind", "target_type", "target_id"]).doNothing())
    .returning("id")
    .executeTakeFirst();
  if (row && audit) {
    await recordAuditEvent(trx, {
      workspaceId,
      actorId: actor.id,
      action: "decision.linked",
      entityType: "decision",
      entityId: from.decisionId,
      change: { kind, target: target.ref },
    });
  }
  return Boolean(row);
}

type PairKind = "supersedes" | "superseded_by" | "amends" | "amended_by";

/**
 * Links two (locked) records both ways. "X superseded_by Y" is written as "Y supersedes X":
 * one pair of rows, whichever end it was added from. Refuses self-links and supersede loops.
 */
export async function linkDecisionPair(
  trx: Db,
  actor: PublicUser,
  workspaceId: string,
  from: LockedDecision,
  kind: DecisionLinkKind,
  to: LockedDecision,
): Promise<{ ok: true } | { ok: false; kind: "invalid"; message: string }> {
  if (!isPairKind(kind)) return { ok: false, kind: "invalid", message: `${LINK_KINDS[kind].label} links point outside the decision log.` };
  if (from.id === to.id) return { ok: false, kind: "invalid", message: "A record cannot link to itself." };
  const reversed = kind === "superseded_by" || kind === "amended_by";
  const [newer, older] = reversed ? [to, from] : [from, to];
  const forward: "supersedes" | "amends" = kind === "supersedes" || kind === "superseded_by" ? "supersedes" : "amends";
  const newerRef = decisionReference(newer.kind, newer.number);
  const olderRef = decisionReference(older.kind, older.number);
  if (forward === "supersedes" && (await reaches(trx, workspaceId, older.id, newer.id))) {
    return { ok: false, kind: "invalid", message: `${olderRef} already leads to ${newerRef} through supersede links; this link would make a loop.` };
  }
  const inverse = LINK_KINDS[forward].inverse!;
  const inserted = await trx
    .insertInto("decision_links")
    .values([
      { workspace_id: workspaceId, decision_id: newer.id, kind: forward, target_type: "decision", target_id: older.id, target_ref: olderRef, created_by: actor.id },
      { workspace_id: workspaceId, decision_id: older.id, kind: inverse, target_type: "decision", target_id: newer.id, target_ref: newerRef, created_by: actor.id },
    ])
    .onConflict((oc) => oc.columns(["decision_id", "kind", "target_type", "target_id"]).doNothing())
    .returning("id")
    .execute();
  if (inserted.length === 0) return { ok: false, kind: "invalid", message: "That link is already there." };
  await recordAuditEvent(trx, {
    workspaceId,
    actorId: actor.id,
    action: "decision.linked",
    entityType: "decision",
    entityId: newer.id,
    change: { kind: forward, target: olderRef },
  });
  if (forward === "supersedes") await markSuperseded(trx, actor, workspaceId, older, newerRef);
  return { ok: true };
}

function isPairKind(kind: DecisionLinkKind): kind is PairKind {
  return kind === "supersedes" || kind === "superseded_by" || kind === "amends" || kind === "amended_by";
}

/** Whether `from` leads to `to` along supersede links (from supersedes … supersedes to). */
async function reaches(trx: Db, workspaceId: string, from: string, to: string): Promise<boolean> {
  const edges = await trx
    .selectFrom("decision_links")
    .select(["decision_id", "target_id"])
    .where("workspace_id", "=", workspaceId)
    .where("kind", "=", "supersedes")
    .execute();
  return reachable(edges.map((e) => [e.decision_id, e.target_id]), from, to);
}

/** Graph walk over [newer, older] pairs; shared with the importer, which adds planned links. */
export function reachable(edges: Array<[string, string]>, from: string, to: string): boolean {
  const next = new Map<string, string[]>();
  for (const [a, b] of edges) next.set(a, [...(next.get(a) ?? []), b]);
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node === to) return true;
    if (seen.has(node)) continue;
    seen.add(node);
    stack.push(...(next.get(node) ?? []));
  }
  return false;
}

/** Superseding sets the older record's status, remembering the one it had. */
export async function markSuperseded(trx: Db, actor: PublicUser, workspaceId: string, older: LockedDecision, byRef: string): Promise<void> {
  if (older.status === "superseded") return;
  await trx
    .updateTable("decision_records")
    .set((eb) => ({ status: "superseded", prior_status: older.status as Exclude<DecisionStatus, "superseded">, meta_version: eb("meta_version", "+", 1) }))
    .where("id", "=", older.id)
    .execute();
  await refreshSearchDocument(trx, "decision", older.id);
  await recordAuditEvent(trx, {
    workspaceId,
    actorId: actor.id,
    action: "decision.details_changed",
    entityType: "decision",
    entityId: older.id,
    change: { status: { from: older.status, to: "superseded" }, supersededBy: byRef },
  });
  older.status = "superseded";
}

/**
 * Removes a link; for a link between two records both rows go. When the last record superseding
 * another is unlinked, the older one gets back the status it had before.
 */
export async function removeDecisionLink(db: Db, actor: PublicUser, workspaceId: string, key: DecisionKey, linkId: string): Promise<LinkResult> {
  return db.transaction().execute(async (trx) => {
    const self = await decisionRow(trx, workspaceId, key);
    if (!self) return { ok: false as const, kind: "not-found" as const };
    const link = await trx
      .selectFrom("decision_links")
      .select(["id", "kind", "target_type", "target_id", "target_ref"])
      .where("id", "=", linkId)
      .where("decision_id", "=", self.id)
      .executeTakeFirst();
    if (!link) return { ok: false as const, kind: "not-found" as const };
    const selfRef = decisionReference(self.kind, self.number);
    if (link.target_type === "decision") {
      const locked = await lockDecisions(trx, workspaceId, [self.id, link.target_id]);
      const inverse = LINK_KINDS[link.kind].inverse!;
      await trx
        .deleteFrom("decision_links")
        .where((eb) =>
          eb.or([
            eb("id", "=", link.id),
            eb.and([eb("decision_id", "=", link.target_id), eb("kind", "=", inverse), eb("target_type", "=", "decision"), eb("target_id", "=", self.id)]),
          ]),
        )
        .execute();
      const olderId = link.kind === "supersedes" ? link.target_id : link.kind === "superseded_by" ? self.id : null;
      const older = olderId ? locked.get(olderId) : undefined;
      if (older && older.status === "superseded" && older.prior_status && (await supersededBy(trx, workspaceId, older.id)).length === 0) {
        await trx
          .updateTable("decision_records")
          .set((eb) => ({ status: older.prior_status!, prior_status: null, meta_version: eb("meta_version", "+", 1) }))
          .where("id", "=", older.id)
          .execute();
        await refreshSearchDocument(trx, "decision", older.id);
        await recordAuditEvent(trx, {
          workspaceId,
          actorId: actor.id,
          action: "decision.details_changed",
          entityType: "decision",
          entityId: older.id,
          change: { status: { from: "superseded", to: older.prior_status }, reason: "supersede link removed" },
        });
      }
    } else {
      await trx.deleteFrom("decision_links").where("id", "=", link.id).execute();
    }
    await recordAuditEvent(trx, {
      workspaceId,
      actorId: actor.id,
      action: "decision.unlinked",
      entityType: "decision",
      entityId: self.id,
      change: { kind: link.kind, target: link.target_ref, from: selfRef },
    });
    return { ok: true as const };
  });
}
