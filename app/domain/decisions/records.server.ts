/**
 * Decision records (ADR-n, RFC-n): creation from a template, reading one, the log, and details
 * (status, deciders, date, tags). Text and revisions are in revisions.server.ts, links in
 * links.server.ts. Every mutation writes its audit event in the same transaction.
 */
import { invalid, type Problem } from "~/domain/shared/outcomes";
import { sql } from "kysely";
import type { Db } from "#db/connection";
import type { DecisionKind, DecisionStatus } from "#db/schema";
import type { PublicUser } from "~/domain/accounts/index.server";
import { validateDocument, writeFirstRevisions } from "~/domain/documents/index.server";
import { actionReference } from "~/domain/guardrails/rules";
import { incidentReference } from "~/domain/incidents/rules";
import { recordChange } from "~/domain/search/index.server";
import { takeNextNumber } from "~/domain/shared/numbering.server";
import { decisionLinks, linkDecisionPair, supersedeChain } from "./links.server";
import { decisionRow, supersededBy, type LockedDecision } from "./locks.server";
import { decisionReference, parseLinkTarget, type DecisionDetails, type DecisionKey } from "./rules";
import { decisionTemplate } from "./templates.server";

/** decided_on as "YYYY-MM-DD" on both engines, whatever the driver does with date columns. */
const decidedOnText = sql<string | null>`to_char(decision_records.decided_on, 'YYYY-MM-DD')`.as("decided_on");

const json = (value: unknown) => JSON.stringify(value);

// ---------------------------------------------------------------------------------------------
// Create

export type NewDecisionInput = DecisionDetails & { kind: DecisionKind; template: string; title: string; supersedes: string | null };
export type CreateDecisionResult =
  | { ok: true; kind: DecisionKind; number: number; ref: string }
  | Problem;

/** A new record from a template, numbered ADR-n or RFC-n; optionally superseding an older one. */
export async function createDecision(db: Db, actor: PublicUser, workspaceId: string, input: NewDecisionInput): Promise<CreateDecisionResult> {
  const template = decisionTemplate(input.template);
  if (!template) return invalid({ template: ["Choose one of the templates."] });
  const validated = validateDocument(template.doc);
  if (!validated.ok) throw new Error(`decision template ${template.key} is not a valid document: ${validated.error}`);
  const older = input.supersedes ? parseLinkTarget("supersedes", input.supersedes) : null;
  if (older && !older.ok) return invalid({ supersedes: [older.message] });
  return db.transaction().execute(async (trx) => {
    // Resolve the older record before taking a number: a refusal must not use one up.
    let olderRow: LockedDecision | null = null;
    if (older?.ok && older.target.type === "decision") {
      olderRow = await decisionRow(trx, workspaceId, older.target);
      if (!olderRow) return invalid({ supersedes: [`${older.target.ref} is not a decision record in this workspace.`] });
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
    await writeFirstRevisions(trx, "decision", [{ recordId: created.id, version: created.version, title: input.title, body, authorId: actor.id }]);
    const ref = decisionReference(input.kind, number);
    await recordChange(trx, { type: "decision", id: created.id }, {
      workspaceId,
      actorId: actor.id,
      action: "decision.created",
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
      "decision_records.status_word",
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

// ---------------------------------------------------------------------------------------------
// The log

export type DecisionFilters = { status?: DecisionStatus; kind?: DecisionKind; tag?: string; from?: string; to?: string; q?: string };

/** Where a page of the log ends: the last record's kind and number (the log's order is kind, then number descending). */
export type DecisionCursor = { kind: DecisionKind; number: number };

export function encodeDecisionCursor(c: DecisionCursor): string {
  return `${c.kind}-${c.number}`;
}

/** A cursor from the address ("adr-17"); anything else reads as "the first page". */
export function decodeDecisionCursor(value: string | null | undefined): DecisionCursor | null {
  const match = /^(adr|rfc)-(\d{1,9})$/.exec(value ?? "");
  return match ? { kind: match[1] as DecisionKind, number: Number(match[2]) } : null;
}

/** One page of the log, keyset-paginated on (kind, number): stable when records are added meanwhile. */
export async function decisionLogPage(db: Db, workspaceId: string, filters: DecisionFilters, after: DecisionCursor | null, limit = 100) {
  const rows = await listDecisions(db, workspaceId, filters, limit + 1, after);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { decisions: page, next: rows.length > limit && last ? { kind: last.kind, number: last.number } : null };
}

/** The decision log: ADRs then RFCs, newest number first, with what superseded each superseded record. */
export async function listDecisions(db: Db, workspaceId: string, filters: DecisionFilters = {}, limit = 500, after: DecisionCursor | null = null) {
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
  if (after) {
    query = query.where((eb) =>
      eb.or([
        eb("decision_records.kind", ">", after.kind),
        eb.and([eb("decision_records.kind", "=", after.kind), eb("decision_records.number", "<", after.number)]),
      ]),
    );
  }
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
    const change: Record<string, unknown> = { metaVersion };
    const before = { status: current.status, deciders: current.deciders, decidedOn: current.decided_on, tags: current.tags };
    for (const field of ["status", "deciders", "decidedOn", "tags"] as const) {
      if (json(before[field]) !== json(input[field])) change[field] = { from: before[field], to: input[field] };
    }
    await recordChange(trx, { type: "decision", id: current.id }, { workspaceId, actorId: actor.id, action: "decision.details_changed", change });
    return { ok: true as const, metaVersion };
  });
}

