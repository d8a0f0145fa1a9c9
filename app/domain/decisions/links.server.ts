/**
 * Typed links from a decision record: to other records (written both ways in one transaction,
 * superseding marks the older record), and to incidents, actions, gates and pull requests.
 */
import type { Db } from "#db/connection";
import type { DecisionKind, DecisionLinkKind, DecisionLinkTarget, DecisionStatus } from "#db/schema";
import type { PublicUser } from "~/domain/accounts/index.server";
import { recordChange } from "~/domain/search/index.server";
import { recordAuditEvent } from "~/domain/shared/audit.server";
import { MAX_CHAIN, oldestFirst, reachable, supersedeComponent } from "./graph";
import { decisionRow, lockDecisions, supersededBy, type LockedDecision } from "./locks.server";
import { decisionReference, LINK_KINDS, parseLinkTarget, type DecisionKey, type LinkTargetRef, type ResolvedTarget } from "./rules";

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

/** A decision record as the page of what it links to lists it. */
export type LinkedRecord = { ref: string; kind: DecisionKind; number: number; title: string; status: DecisionStatus; link: DecisionLinkKind };

/**
 * The decision records linked to each of these incidents, actions or gates, by target id, ADRs
 * then RFCs, by number: what an action or gate implements, the records an incident informed. One
 * query however many targets (the board asks for a page of actions at once).
 */
export async function linkedRecords(db: Db, workspaceId: string, targetType: DecisionLinkTarget, targetIds: readonly string[]): Promise<Map<string, LinkedRecord[]>> {
  const byTarget = new Map<string, LinkedRecord[]>();
  if (targetIds.length === 0) return byTarget;
  const rows = await db
    .selectFrom("decision_links")
    .innerJoin("decision_records", "decision_records.id", "decision_links.decision_id")
    .select(["decision_links.target_id", "decision_links.kind as link", "decision_records.kind", "decision_records.number", "decision_records.title", "decision_records.status"])
    .where("decision_links.workspace_id", "=", workspaceId)
    .where("decision_links.target_type", "=", targetType)
    .where("decision_links.target_id", "in", [...new Set(targetIds)])
    .orderBy("decision_records.kind")
    .orderBy("decision_records.number")
    .execute();
  for (const { target_id, ...r } of rows) {
    const list = byTarget.get(target_id) ?? [];
    list.push({ ...r, ref: decisionReference(r.kind, r.number) });
    byTarget.set(target_id, list);
  }
  return byTarget;
}

/** Guardrail actions with the decision records each implements, as the board lists them (reference and title). */
export async function withImplementedDecisions<A extends { id: string }>(db: Db, workspaceId: string, actions: readonly A[]): Promise<(A & { decisions: { ref: string; title: string }[] })[]> {
  const linked = await linkedRecords(db, workspaceId, "action", actions.map((a) => a.id));
  return actions.map((a) => ({ ...a, decisions: (linked.get(a.id) ?? []).map((d) => ({ ref: d.ref, title: d.title })) }));
}

export type ChainEntry = { id: string; ref: string; kind: DecisionKind; number: number; title: string; status: DecisionStatus; current: boolean };


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
  const component = supersedeComponent(edges, decisionId, MAX_CHAIN);
  if (component.size === 0) return [];
  const rows = await db
    .selectFrom("decision_records")
    .select(["id", "kind", "number", "title", "status"])
    .where("workspace_id", "=", workspaceId)
    .where("id", "in", [...component])
    .execute();
  const inComponent = edges.filter((e) => component.has(e.newer) && component.has(e.older));
  return oldestFirst(rows, inComponent).map((r) => ({ ...r, ref: decisionReference(r.kind, r.number), current: r.id === decisionId }));
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


/** Superseding sets the older record's status, remembering the one it had. */
export async function markSuperseded(trx: Db, actor: PublicUser, workspaceId: string, older: LockedDecision, byRef: string): Promise<void> {
  if (older.status === "superseded") return;
  await trx
    .updateTable("decision_records")
    .set((eb) => ({ status: "superseded", prior_status: older.status as Exclude<DecisionStatus, "superseded">, meta_version: eb("meta_version", "+", 1) }))
    .where("id", "=", older.id)
    .execute();
  await recordChange(trx, { type: "decision", id: older.id }, {
    workspaceId,
    actorId: actor.id,
    action: "decision.details_changed",
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
        await recordChange(trx, { type: "decision", id: older.id }, {
          workspaceId,
          actorId: actor.id,
          action: "decision.details_changed",
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
