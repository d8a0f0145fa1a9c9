import camelcaseKeys from "camelcase-keys";
import { sql } from "kysely";
import type { Db } from "#db/connection";
import type { GateState, RequirementSource } from "#db/schema";
import { recordAuditEvent } from "~/domain/shared/audit.server";
import { recordChange } from "~/domain/search/index.server";
import { DRIFT_STATES, gateVerdict, requirementFor, defaultBranchOf, type RequirementFact } from "./enforcement";
import { actionReference, GATE_STATES } from "./rules";
import { announceMilestone } from "./milestones.server";

/**
 * The evidence behind "enforced" (docs/decisions/0023-enforced-means-required.md): requirement
 * facts from branch protection and rulesets, sightings of passing checks on the default branch,
 * and what follows when a gate's state changes — verification when it becomes enforced, drift
 * (actions back to in progress, owner told in the next digest) when it regresses or goes stale.
 * Called inside the caller's transaction (a webhook delivery, Check now, the stale sweep).
 */

export const DEFAULT_STALE_AFTER_DAYS = 14;

export type RequirementFactInput = Omit<RequirementFact, "occurredAt"> & { repository: string; occurredAt: Date };

type FactRow = {
  source: RequirementSource;
  rule_key: string;
  rule_name: string;
  include_patterns: string[];
  exclude_patterns: string[];
  required_checks: string[];
  enforcement: RequirementFact["enforcement"];
  required_approvals: number;
  code_owner_review: boolean;
  admins_included: boolean;
  removed: boolean;
  occurred_at: Date;
  delivery_id: string;
  event: string;
  default_branch: string;
};

/** A stored fact as the rules read it; the driver may hand the time back as text. */
function toFact(row: FactRow): RequirementFact {
  return { ...camelcaseKeys(row), occurredAt: new Date(row.occurred_at) };
}

/** Every requirement fact recorded for a repository, oldest first. */
export async function repositoryFacts(db: Db, workspaceId: string, repository: string): Promise<RequirementFact[]> {
  const rows = await db
    .selectFrom("requirement_facts")
    .select([
      "source",
      "rule_key",
      "rule_name",
      "include_patterns",
      "exclude_patterns",
      "required_checks",
      "enforcement",
      "required_approvals",
      "code_owner_review",
      "admins_included",
      "removed",
      "occurred_at",
      "delivery_id",
      "event",
      "default_branch",
    ])
    .where("workspace_id", "=", workspaceId)
    .where("repository", "=", repository.toLowerCase())
    .orderBy("occurred_at")
    .orderBy("delivery_id")
    .execute();
  return rows.map(toFact);
}

async function staleAfterDays(db: Db, workspaceId: string): Promise<number> {
  const row = await db.selectFrom("github_settings").select("stale_after_days").where("workspace_id", "=", workspaceId).executeTakeFirst();
  return row?.stale_after_days ?? DEFAULT_STALE_AFTER_DAYS;
}

/** Records what rule events said (history is kept; a redelivered one is recorded once) and re-decides the repository's gates. */
export async function recordRequirementFacts(trx: Db, workspaceId: string, facts: readonly RequirementFactInput[], now: Date): Promise<string[]> {
  const repositories = new Set<string>();
  for (const f of facts) {
    const repository = f.repository.toLowerCase();
    repositories.add(repository);
    await trx
      .insertInto("requirement_facts")
      .values({
        workspace_id: workspaceId,
        repository,
        default_branch: f.defaultBranch,
        source: f.source,
        rule_key: f.ruleKey,
        rule_name: f.ruleName.slice(0, 255),
        include_patterns: JSON.stringify(f.includePatterns),
        exclude_patterns: JSON.stringify(f.excludePatterns),
        required_checks: JSON.stringify(f.requiredChecks),
        enforcement: f.enforcement,
        required_approvals: f.requiredApprovals,
        code_owner_review: f.codeOwnerReview,
        admins_included: f.adminsIncluded,
        removed: f.removed,
        occurred_at: f.occurredAt,
        delivery_id: f.deliveryId,
        event: f.event,
      })
      .onConflict((oc) => oc.columns(["workspace_id", "source", "rule_key", "delivery_id"]).doNothing())
      .execute();
  }
  const changes: string[] = [];
  for (const repository of repositories) changes.push(...(await refreshRepositoryGates(trx, workspaceId, repository, now)));
  return changes;
}

export type CheckSighting = {
  repository: string;
  checkNames: string[];
  headSha: string;
  conclusion: "success" | "failure";
  onDefaultBranch: boolean;
  at: Date;
  url: string | null;
  deliveryId: string;
};

/**
 * A completed check (check run, check suite or commit status). Every result is kept per commit
 * for bypass detection; a success on the default branch is a sighting of the gates watching it.
 * "Last seen" only moves forward and "first seen" only backward: a late delivery can't rewind them.
 */
export async function recordCheckResult(trx: Db, workspaceId: string, check: CheckSighting, now: Date): Promise<{ gates: string[]; changes: string[] }> {
  const repository = check.repository.toLowerCase();
  const passed = check.conclusion === "success";
  for (const name of check.checkNames) {
    await trx
      .insertInto("check_observations")
      .values({ workspace_id: workspaceId, repository, head_sha: check.headSha, check_name: name, passed, failed: !passed, last_url: check.url, updated_at: now })
      .onConflict((oc) =>
        oc.columns(["workspace_id", "repository", "head_sha", "check_name"]).doUpdateSet((eb) => ({
          passed: sql<boolean>`${eb.ref("check_observations.passed")} or ${eb.ref("excluded.passed")}`,
          failed: sql<boolean>`${eb.ref("check_observations.failed")} or ${eb.ref("excluded.failed")}`,
          last_url: eb.ref("excluded.last_url"),
          updated_at: eb.ref("excluded.updated_at"),
        })),
      )
      .execute();
  }
  if (!passed || !check.onDefaultBranch || !check.checkNames.length) return { gates: [], changes: [] };
  const gates = await trx
    .selectFrom("gates")
    .select(["id", "name", "last_seen_at"])
    .where("workspace_id", "=", workspaceId)
    .where(sql`lower(repository)`, "=", repository)
    .where("check_name", "in", check.checkNames)
    .where("status", "<>", "retired")
    .orderBy("name")
    .forUpdate()
    .execute();
  const changes: string[] = [];
  for (const gate of gates) {
    const newer = !gate.last_seen_at || gate.last_seen_at.getTime() < check.at.getTime();
    await trx
      .updateTable("gates")
      .set((eb) => ({
        first_seen_at: sql<Date>`least(${eb.ref("first_seen_at")}, ${check.at})`,
        ...(newer ? { last_seen_at: check.at, last_seen_url: check.url, last_seen_delivery_id: check.deliveryId } : {}),
      }))
      .where("id", "=", gate.id)
      .execute();
    await recordAuditEvent(trx, {
      workspaceId,
      actorId: null,
      action: "gate.seen",
      entityType: "gate",
      entityId: gate.id,
      change: { seenAt: check.at.toISOString(), url: check.url, deliveryId: check.deliveryId, movedLastSeen: newer },
    });
    changes.push(
      newer
        ? `Gate “${gate.name}” seen passing at ${check.at.toISOString()}.`
        : `Gate “${gate.name}” seen passing at ${check.at.toISOString()}, older than its last sighting (${gate.last_seen_at!.toISOString()}): recorded, last seen unchanged.`,
    );
    changes.push(...(await refreshGateState(trx, workspaceId, gate.id, now)));
  }
  return { gates: gates.map((g) => g.id), changes };
}

async function refreshRepositoryGates(trx: Db, workspaceId: string, repository: string, now: Date): Promise<string[]> {
  const gates = await trx
    .selectFrom("gates")
    .select("id")
    .where("workspace_id", "=", workspaceId)
    .where(sql`lower(repository)`, "=", repository)
    .where("status", "<>", "retired")
    .orderBy("name")
    .execute();
  const changes: string[] = [];
  for (const gate of gates) changes.push(...(await refreshGateState(trx, workspaceId, gate.id, now)));
  return changes;
}

/**
 * Decides the gate's state from its evidence as of `now`, stores it when it changed (audited),
 * and applies what follows: entering enforced verifies the actions done before the last
 * sighting; entering regressed or stale sends back the actions it verified or awaited.
 */
export async function refreshGateState(trx: Db, workspaceId: string, gateId: string, now: Date): Promise<string[]> {
  const gate = await trx
    .selectFrom("gates")
    .select(["id", "name", "repository", "check_name", "state", "state_reason", "state_delivery_id", "first_seen_at", "last_seen_at", "last_seen_url", "last_seen_delivery_id"])
    .where("id", "=", gateId)
    .where("workspace_id", "=", workspaceId)
    .forUpdate()
    .executeTakeFirst();
  if (!gate) return [];
  const verdict = gateVerdict({
    checkName: gate.check_name,
    facts: gate.repository ? await repositoryFacts(trx, workspaceId, gate.repository) : [],
    firstSeenAt: gate.first_seen_at,
    lastSeenAt: gate.last_seen_at,
    lastSeenDeliveryId: gate.last_seen_delivery_id,
    now,
    staleAfterDays: await staleAfterDays(trx, workspaceId),
  });
  const changes: string[] = [];
  if (verdict.state !== gate.state || verdict.reason !== gate.state_reason || verdict.deliveryId !== gate.state_delivery_id) {
    await trx
      .updateTable("gates")
      .set({ state: verdict.state, state_reason: verdict.reason, state_delivery_id: verdict.deliveryId, ...(verdict.state !== gate.state ? { state_changed_at: now } : {}) })
      .where("id", "=", gate.id)
      .execute();
    if (verdict.state !== gate.state) {
      await recordAuditEvent(trx, {
        workspaceId,
        actorId: null,
        action: "gate.state_changed",
        entityType: "gate",
        entityId: gate.id,
        change: { from: gate.state, to: verdict.state, reason: verdict.reason, deliveryId: verdict.deliveryId },
      });
      changes.push(`Gate “${gate.name}”: ${GATE_STATES[gate.state].toLowerCase()} → ${GATE_STATES[verdict.state].toLowerCase()}. ${verdict.reason}`);
    }
  }
  if (verdict.state === "enforced" && gate.last_seen_at) {
    const note = `Gate seen enforced at ${gate.last_seen_at.toISOString()}. ${verdict.reason}`;
    for (const n of await verifyDoneActions(trx, workspaceId, gate.id, gate.last_seen_at, gate.last_seen_url, note)) changes.push(`${actionReference(n)} verified: its gate is enforced.`);
  }
  if (DRIFT_STATES.has(verdict.state)) {
    const reason = `Gate “${gate.name}” ${verdict.state === "regressed" ? "regressed" : "went stale"}. ${verdict.reason}`;
    if (verdict.state !== gate.state) {
      for (const n of await sendBackActions(trx, workspaceId, gate.id, verdict.state, reason, now)) changes.push(`${actionReference(n)} back in progress: ${reason}`);
    }
    // The reason shown is the gate's reason now, not the one of whichever delivery happened to arrive first.
    await trx
      .updateTable("guardrail_actions")
      .set({ drift_reason: reason.slice(0, 2000) })
      .where("workspace_id", "=", workspaceId)
      .where("gate_id", "=", gate.id)
      .where("status", "=", "in_progress")
      .where("drift_reason", "is not", null)
      .where("drift_reason", "<>", reason.slice(0, 2000))
      .execute();
  }
  return changes;
}

/** Done actions on the gate, done no later than its last sighting, become verified with that sighting as evidence. */
async function verifyDoneActions(trx: Db, workspaceId: string, gateId: string, seenAt: Date, url: string | null, note: string): Promise<number[]> {
  const verified = await trx
    .updateTable("guardrail_actions")
    .set((eb) => ({
      status: "verified",
      evidence_url: url,
      evidence_note: note.slice(0, 2000),
      verified_by: null,
      verified_at: seenAt,
      drift_reason: null,
      updated_at: seenAt,
      version: eb("version", "+", 1),
    }))
    .where("workspace_id", "=", workspaceId)
    .where("gate_id", "=", gateId)
    .where("status", "=", "done")
    .where("done_at", "<=", seenAt)
    .returning(["id", "number"])
    .execute();
  for (const action of verified) {
    await recordChange(trx, { type: "action", id: action.id }, {
      workspaceId,
      actorId: null,
      action: "action.verified_by_gate",
      change: { number: action.number, gateId, evidenceUrl: url },
    });
  }
  await announceMilestone(trx, { kind: "verified", workspaceId, actions: verified, evidence: url ?? note, byGate: true });
  return verified.map((a) => a.number).sort((a, b) => a - b);
}

/**
 * Drift: the actions this gate verified (no person's evidence) or that wait for it (done) go back
 * to in progress with the reason shown; the owner hears of it in the next digest.
 */
async function sendBackActions(trx: Db, workspaceId: string, gateId: string, state: GateState, reason: string, now: Date): Promise<number[]> {
  const sent = await trx
    .updateTable("guardrail_actions")
    .set((eb) => ({
      status: "in_progress",
      done_at: null,
      evidence_url: null,
      evidence_note: null,
      verified_by: null,
      verified_at: null,
      drift_reason: reason.slice(0, 2000),
      drifted_at: now,
      drift_notified_at: null,
      updated_at: now,
      version: eb("version", "+", 1),
    }))
    .where("workspace_id", "=", workspaceId)
    .where("gate_id", "=", gateId)
    .where((eb) => eb.or([eb("status", "=", "done"), eb.and([eb("status", "=", "verified"), eb("verified_by", "is", null)])]))
    .returning(["id", "number", "status"])
    .execute();
  for (const action of sent) {
    await recordChange(trx, { type: "action", id: action.id }, {
      workspaceId,
      actorId: null,
      action: "action.sent_back_by_gate",
      change: { number: action.number, gateId, gateState: state, reason },
    });
  }
  await announceMilestone(trx, { kind: "sent_back", workspaceId, actions: sent, reason });
  return sent.map((a) => a.number).sort((a, b) => a - b);
}

export type MergedPullRequest = {
  repository: string;
  /** The pull request's row, made when first needed. */
  pullRequestId: () => Promise<string>;
  reference: string;
  headSha: string;
  baseBranch: string;
  mergedAt: Date;
  mergedBy: string;
  deliveryId: string;
};

/**
 * A merge into a branch where a gate's check is required, while Hindsight saw that check fail,
 * or never saw it pass, on the merged head commit: a bypass, recorded on the gate (once per PR).
 */
export async function detectBypasses(trx: Db, workspaceId: string, merge: MergedPullRequest): Promise<string[]> {
  const repository = merge.repository.toLowerCase();
  const facts = await repositoryFacts(trx, workspaceId, repository);
  if (!defaultBranchOf(facts)) return [];
  const gates = await trx
    .selectFrom("gates")
    .select(["id", "name", "check_name"])
    .where("workspace_id", "=", workspaceId)
    .where(sql`lower(repository)`, "=", repository)
    .where("check_name", "<>", "")
    .where("status", "<>", "retired")
    .orderBy("name")
    .execute();
  const changes: string[] = [];
  let pullRequestId: string | undefined;
  for (const gate of gates) {
    if (!requirementFor(facts, gate.check_name, merge.baseBranch, merge.mergedAt).required) continue;
    const seen = await trx
      .selectFrom("check_observations")
      .select(["passed", "failed"])
      .where("workspace_id", "=", workspaceId)
      .where("repository", "=", repository)
      .where("head_sha", "=", merge.headSha)
      .where("check_name", "=", gate.check_name)
      .executeTakeFirst();
    if (seen?.passed) continue;
    const finding = seen?.failed ? ("failed" as const) : ("never_passed" as const);
    pullRequestId ??= await merge.pullRequestId();
    const recorded = await trx
      .insertInto("gate_bypasses")
      .values({
        workspace_id: workspaceId,
        gate_id: gate.id,
        pull_request_id: pullRequestId,
        head_sha: merge.headSha,
        base_branch: merge.baseBranch,
        finding,
        merged_at: merge.mergedAt,
        merged_by: merge.mergedBy,
        delivery_id: merge.deliveryId,
      })
      .onConflict((oc) => oc.columns(["gate_id", "pull_request_id"]).doNothing())
      .returning("id")
      .executeTakeFirst();
    if (!recorded) continue;
    await recordAuditEvent(trx, {
      workspaceId,
      actorId: null,
      action: "gate.bypassed",
      entityType: "gate",
      entityId: gate.id,
      change: { pullRequest: merge.reference, headSha: merge.headSha, baseBranch: merge.baseBranch, finding, deliveryId: merge.deliveryId },
    });
    changes.push(`Bypass of gate “${gate.name}”: ${merge.reference} merged into ${merge.baseBranch} with “${gate.check_name}” ${finding === "failed" ? "failing" : "never passing"} on ${merge.headSha.slice(0, 7)}.`);
  }
  return changes;
}

/**
 * The stale-gate sweep (a daily job): re-decides every required gate as of `now`, one gate per
 * transaction, so a gate not seen passing for N days goes stale and its actions go back.
 */
export async function sweepStaleGates(db: Db, now = new Date()): Promise<{ checked: number; changed: string[] }> {
  const gates = await db
    .selectFrom("gates")
    .select(["id", "workspace_id"])
    .where("state", "in", ["enforced", "required_not_seen"])
    .where("status", "<>", "retired")
    .orderBy("workspace_id")
    .orderBy("id")
    .execute();
  const changed: string[] = [];
  for (const gate of gates) changed.push(...(await db.transaction().execute((trx) => refreshGateState(trx, gate.workspace_id, gate.id, now))));
  return { checked: gates.length, changed };
}
