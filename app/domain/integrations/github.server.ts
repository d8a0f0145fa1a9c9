import { sql } from "kysely";
import type { z } from "zod";
import type { Db } from "#db/connection";
import type { PullRequestState } from "#db/schema";
import { recordAuditEvent } from "~/domain/shared/audit.server";
import {
  assistanceFrom,
  detectBypasses,
  recordCheckResult,
  recordRequirementFacts,
  tierFromLabels,
  upsertPullRequest,
  type RequirementFactInput,
} from "~/domain/guardrails/index.server";
import {
  SCHEMAS,
  rulesetRequirements,
  type BranchProtectionRuleEvent,
  type CheckRunEvent,
  type CheckSuiteEvent,
  type HandledEvent,
  type PullRequestEvent,
  type Repository,
  type RepositoryRulesetEvent,
  type StatusEvent,
} from "./github-events";
import { githubSettings } from "./github-settings.server";
import { applied, ignored, receiveDelivery, type DeliveryResult, type Processed, type Rejected } from "./webhooks.server";

/**
 * What GitHub's webhooks change here (docs/decisions/0023-enforced-means-required.md):
 * - `branch_protection_rule` and `repository_ruleset` record requirement facts: which checks must
 *   pass to merge into which branches;
 * - `check_run`, `check_suite` and `status` record check results; a success on the default branch
 *   is a sighting of the gates watching that check;
 * - `pull_request` fills in linked pull requests (tier and "assisted" from labels and trailers,
 *   unless a person chose them), and a merge that skipped a required check is a bypass.
 * A gate is enforced only when required and seen passing; every fact is applied by the time its
 * event happened, so late and repeated deliveries never move time backwards.
 */

export type GithubDelivery = { workspaceId: string; deliveryId: string; event: string; payload: unknown };

function isHandled(event: string): event is HandledEvent {
  return Object.hasOwn(SCHEMAS, event);
}

type Context = { trx: Db; workspaceId: string; deliveryId: string; event: string; now: Date };

export async function receiveGithubDelivery(db: Db, delivery: GithubDelivery, now = new Date()): Promise<DeliveryResult> {
  const { workspaceId, deliveryId, event } = delivery;
  const header = { workspaceId, source: "github" as const, deliveryId, event };
  if (!isHandled(event)) {
    const summary = event === "ping" ? "GitHub's ping: the webhook reaches Hindsight." : `${event} events are not used; acknowledged.`;
    return receiveDelivery(db, header, async () => ignored(summary));
  }
  const parsed = SCHEMAS[event].safeParse(delivery.payload);
  if (!parsed.success) return { kind: "rejected", why: "malformed", reason: `The payload is not a ${event} event Hindsight understands.` };
  const body = parsed.data;
  const eventName = "action" in body ? `${event}.${body.action}` : event;
  return receiveDelivery(db, { ...header, event: eventName }, async (trx) => {
    const repo = body.repository;
    if (!repo) return ignored(`${eventName}: an organization ruleset names no repository; Hindsight records rulesets per repository.`);
    const repository = repo.full_name.toLowerCase();
    if (!(await repositoryKnown(trx, workspaceId, repository))) {
      return {
        kind: "rejected",
        why: "unusable",
        reason: `Repository ${repo.full_name} is not known to this workspace: add a gate for it or link one of its pull requests first.`,
      } satisfies Rejected;
    }
    const context: Context = { trx, workspaceId, deliveryId, event: eventName, now };
    switch (event) {
      case "pull_request":
        return pullRequestEvent(context, repository, body as z.infer<typeof PullRequestEvent>);
      case "check_run":
        return checkRunEvent(context, body as z.infer<typeof CheckRunEvent>);
      case "check_suite":
        return checkSuiteEvent(context, body as z.infer<typeof CheckSuiteEvent>);
      case "status":
        return statusEvent(context, body as z.infer<typeof StatusEvent>);
      case "branch_protection_rule":
        return branchProtectionEvent(context, body as z.infer<typeof BranchProtectionRuleEvent>);
      case "repository_ruleset":
        return rulesetEvent(context, body as z.infer<typeof RepositoryRulesetEvent>, repo);
    }
  });
}

/** An event's own time; a missing or unreadable one falls back to when it arrived. */
function eventTime(value: string | null | undefined, now: Date): Date {
  const date = value ? new Date(value) : now;
  return Number.isNaN(date.getTime()) ? now : date;
}

/** A repository the workspace knows: a gate watches it, or one of its pull requests is linked. */
async function repositoryKnown(trx: Db, workspaceId: string, repository: string): Promise<boolean> {
  const gate = await trx
    .selectFrom("gates")
    .select("id")
    .where("workspace_id", "=", workspaceId)
    .where(sql`lower(repository)`, "=", repository)
    .executeTakeFirst();
  if (gate) return true;
  const pr = await trx.selectFrom("pull_requests").select("id").where("workspace_id", "=", workspaceId).where("repository", "=", repository).executeTakeFirst();
  return Boolean(pr);
}

/** The check names some gate of the repository watches, among those given. */
async function watchedNames(trx: Db, workspaceId: string, repository: string, names: string[]): Promise<string[]> {
  if (!names.length) return [];
  const rows = await trx
    .selectFrom("gates")
    .select("check_name")
    .where("workspace_id", "=", workspaceId)
    .where(sql`lower(repository)`, "=", repository)
    .where("check_name", "in", names)
    .where("status", "<>", "retired")
    .execute();
  return [...new Set(rows.map((r) => r.check_name))];
}

type CheckOutcome = {
  label: string;
  completed: boolean;
  action: string;
  conclusion: string | null;
  branches: string[];
  repository: z.infer<typeof Repository>;
  checkNames: string[];
  headSha: string;
  at: Date;
  url: string | null;
};

const FAILED = new Set(["failure", "timed_out", "error", "action_required", "startup_failure"]);

/**
 * A completed check: its result on its commit is kept (bypass detection needs failures too), and
 * a success on the default branch is a sighting of the gates watching that check.
 */
async function checkCompleted(ctx: Context, check: CheckOutcome): Promise<Processed> {
  const where = check.repository.full_name;
  const repository = where.toLowerCase();
  if (!check.completed) return ignored(`${check.label} in ${where} was ${check.action}: only completed checks count.`);
  const defaultBranch = check.repository.default_branch;
  const onDefault = Boolean(defaultBranch && check.branches.includes(defaultBranch));
  const names = await watchedNames(ctx.trx, ctx.workspaceId, repository, check.checkNames);
  const failed = check.conclusion !== null && FAILED.has(check.conclusion);
  if (names.length && (failed || check.conclusion === "success")) {
    const result = await recordCheckResult(
      ctx.trx,
      ctx.workspaceId,
      { repository, checkNames: names, headSha: check.headSha, conclusion: failed ? "failure" : "success", onDefaultBranch: onDefault, at: check.at, url: check.url, deliveryId: ctx.deliveryId },
      ctx.now,
    );
    if (result.gates.length) return applied(`${check.label} passed on ${defaultBranch} in ${where}.`, result.changes);
  }
  if (check.conclusion !== "success") return ignored(`${check.label} in ${where} concluded ${check.conclusion ?? "nothing"}: only successful checks count.`);
  if (!onDefault) return ignored(`${check.label} in ${where} passed on ${check.branches.join(", ") || "no branch"}, not on the default branch ${defaultBranch ?? "(unknown)"}.`);
  if (!check.checkNames.length) return ignored(`${check.label} in ${where} names no check.`);
  return ignored(`${check.label} passed in ${where}; no gate watches “${check.checkNames.join("” or “")}” there.`);
}

function checkRunEvent(ctx: Context, body: z.infer<typeof CheckRunEvent>) {
  const run = body.check_run;
  return checkCompleted(ctx, {
    label: `Check run “${run.name}”`,
    completed: body.action === "completed",
    action: body.action,
    conclusion: run.conclusion,
    branches: run.check_suite?.head_branch ? [run.check_suite.head_branch] : [],
    repository: body.repository,
    checkNames: [run.name],
    headSha: run.head_sha,
    at: eventTime(run.completed_at, ctx.now),
    url: run.html_url ?? null,
  });
}

function checkSuiteEvent(ctx: Context, body: z.infer<typeof CheckSuiteEvent>) {
  const suite = body.check_suite;
  const html = body.repository.html_url ?? `https://github.com/${body.repository.full_name}`;
  return checkCompleted(ctx, {
    label: `Check suite${suite.app ? ` of “${suite.app.name}”` : ""}`,
    completed: body.action === "completed",
    action: body.action,
    conclusion: suite.conclusion,
    branches: suite.head_branch ? [suite.head_branch] : [],
    repository: body.repository,
    checkNames: [suite.app?.name, suite.app?.slug].filter((n): n is string => Boolean(n)),
    headSha: suite.head_sha,
    at: eventTime(suite.updated_at, ctx.now),
    url: `${html}/commit/${suite.head_sha}/checks`,
  });
}

/** Commit statuses count as checks: `context` is the name, `branches` the branches whose head is the commit. */
function statusEvent(ctx: Context, body: z.infer<typeof StatusEvent>) {
  const html = body.repository.html_url ?? `https://github.com/${body.repository.full_name}`;
  return checkCompleted(ctx, {
    label: `Commit status “${body.context}”`,
    completed: body.state !== "pending",
    action: body.state,
    conclusion: body.state,
    branches: body.branches.map((b) => b.name),
    repository: body.repository,
    checkNames: [body.context],
    headSha: body.sha,
    at: eventTime(body.updated_at, ctx.now),
    url: body.target_url || `${html}/commit/${body.sha}`,
  });
}

/**
 * A branch protection rule, created, edited or deleted. Its time is the rule's `updated_at`; a
 * deletion carries none of its own, so it happened no earlier than it arrived.
 */
async function branchProtectionEvent(ctx: Context, body: z.infer<typeof BranchProtectionRuleEvent>): Promise<Processed> {
  const rule = body.rule;
  const updated = eventTime(rule.updated_at, ctx.now);
  const removed = body.action === "deleted";
  const reviews = rule.pull_request_reviews_enforcement_level !== undefined && rule.pull_request_reviews_enforcement_level !== "off";
  const fact: RequirementFactInput = {
    repository: body.repository.full_name,
    defaultBranch: body.repository.default_branch ?? "main",
    source: "branch_protection",
    ruleKey: `protection:${rule.id}`,
    ruleName: rule.name,
    includePatterns: [rule.name],
    excludePatterns: [],
    requiredChecks: rule.required_status_checks,
    enforcement: rule.required_status_checks_enforcement_level,
    requiredApprovals: reviews ? (rule.required_approving_review_count ?? 0) : 0,
    codeOwnerReview: reviews && (rule.require_code_owner_review ?? false),
    adminsIncluded: rule.admin_enforced ?? false,
    removed,
    occurredAt: removed ? new Date(Math.max(updated.getTime(), ctx.now.getTime())) : updated,
    deliveryId: ctx.deliveryId,
    event: ctx.event,
  };
  const changes = await recordRequirementFacts(ctx.trx, ctx.workspaceId, [fact], ctx.now);
  await auditFact(ctx, fact);
  const checks = rule.required_status_checks.length ? `requires ${rule.required_status_checks.map((c) => `“${c}”`).join(", ")} (${rule.required_status_checks_enforcement_level})` : "requires no status check";
  return applied(`Branch protection “${rule.name}” in ${body.repository.full_name} ${body.action}: ${removed ? "deleted" : checks}.`, [
    `Requirement recorded: branch protection “${rule.name}” ${removed ? "deleted" : checks}.`,
    ...changes,
  ]);
}

/** A repository ruleset: only branch rulesets that are active require anything (evaluate mode only reports). */
async function rulesetEvent(ctx: Context, body: z.infer<typeof RepositoryRulesetEvent>, repo: z.infer<typeof Repository>): Promise<Processed> {
  const ruleset = body.repository_ruleset;
  if (ruleset.target && ruleset.target !== "branch") return ignored(`Ruleset “${ruleset.name}” targets ${ruleset.target}s, not branches.`);
  const updated = eventTime(ruleset.updated_at, ctx.now);
  const removed = body.action === "deleted";
  const required = rulesetRequirements(ruleset.rules ?? []);
  const fact: RequirementFactInput = {
    repository: repo.full_name,
    defaultBranch: repo.default_branch ?? "main",
    source: "ruleset",
    ruleKey: `ruleset:${ruleset.id}`,
    ruleName: ruleset.name,
    includePatterns: ruleset.conditions?.ref_name?.include ?? [],
    excludePatterns: ruleset.conditions?.ref_name?.exclude ?? [],
    requiredChecks: required.requiredChecks,
    enforcement: ruleset.enforcement === "active" ? "everyone" : "off",
    requiredApprovals: required.requiredApprovals,
    codeOwnerReview: required.codeOwnerReview,
    adminsIncluded: !(ruleset.bypass_actors?.length ?? 0),
    removed,
    occurredAt: removed ? new Date(Math.max(updated.getTime(), ctx.now.getTime())) : updated,
    deliveryId: ctx.deliveryId,
    event: ctx.event,
  };
  const changes = await recordRequirementFacts(ctx.trx, ctx.workspaceId, [fact], ctx.now);
  await auditFact(ctx, fact);
  const checks = required.requiredChecks.length ? `requires ${required.requiredChecks.map((c) => `“${c}”`).join(", ")} (${ruleset.enforcement})` : "requires no status check";
  return applied(`Ruleset “${ruleset.name}” in ${repo.full_name} ${body.action}: ${removed ? "deleted" : checks}.`, [`Requirement recorded: ruleset “${ruleset.name}” ${removed ? "deleted" : checks}.`, ...changes]);
}

async function auditFact(ctx: Context, fact: RequirementFactInput) {
  await recordAuditEvent(ctx.trx, {
    workspaceId: ctx.workspaceId,
    actorId: null,
    action: "requirement.recorded",
    entityType: "repository",
    entityId: fact.repository.toLowerCase(),
    change: { source: fact.source, rule: fact.ruleName, requiredChecks: fact.requiredChecks, enforcement: fact.enforcement, removed: fact.removed, occurredAt: fact.occurredAt.toISOString(), deliveryId: ctx.deliveryId, event: ctx.event },
  });
}

function pullRequestState(pr: z.infer<typeof PullRequestEvent>["pull_request"], now: Date): { state: PullRequestState; mergedAt: Date | null } {
  const mergedAt = pr.merged_at ? new Date(pr.merged_at) : null;
  if ((mergedAt && !Number.isNaN(mergedAt.getTime())) || pr.merged) return { state: "merged", mergedAt: mergedAt && !Number.isNaN(mergedAt.getTime()) ? mergedAt : now };
  return { state: pr.state, mergedAt: null };
}

/**
 * A pull request event: a merge is checked for bypassed gates (the PR is recorded when it skipped
 * one), and a linked PR gets its title, author, state, merge time, and its tier and "assisted"
 * flag from labels and trailers, unless a person set them.
 */
async function pullRequestEvent(ctx: Context, repository: string, body: z.infer<typeof PullRequestEvent>): Promise<Processed> {
  const pr = body.pull_request;
  const ref = `${repository}#${pr.number}`;
  const { state, mergedAt } = pullRequestState(pr, ctx.now);
  const bypasses: string[] = [];
  if (body.action === "closed" && state === "merged" && pr.head?.sha && pr.base?.ref) {
    bypasses.push(...(await mergedPullRequest(ctx, repository, body, mergedAt ?? ctx.now)));
  }
  const current = await ctx.trx
    .selectFrom("pull_requests")
    .select(["id", "title", "author", "state", "merged_at", "tier", "tier_source", "assisted", "assisted_source", "head_sha", "base_branch"])
    .where("workspace_id", "=", ctx.workspaceId)
    .where("repository", "=", repository)
    .where("number", "=", pr.number)
    .forUpdate()
    .executeTakeFirst();
  if (!current) return ignored(`${ref} (${body.action}) is not linked to anything in this workspace.`);
  const settings = await githubSettings(ctx.trx, ctx.workspaceId);
  const labels = (pr.labels ?? []).map((l) => l.name);
  const tier = current.tier_source === "person" ? null : tierFromLabels(labels, settings.tierLabelPatterns);
  const assistance = current.assisted_source === "person" ? null : assistanceFrom(labels, pr.body ?? null, settings.assistTools);
  const next = {
    title: pr.title.slice(0, 500),
    author: pr.user?.login ?? current.author,
    state,
    merged_at: mergedAt,
    head_sha: pr.head?.sha ?? current.head_sha,
    base_branch: pr.base?.ref ?? current.base_branch,
    ...(tier && tier !== current.tier ? { tier, tier_source: "webhook" as const } : {}),
    ...(assistance && current.assisted !== "yes" ? { assisted: "yes" as const, assisted_source: "webhook" as const } : {}),
  };
  const changed: string[] = [];
  if (next.title !== current.title) changed.push("title");
  if (next.author !== current.author) changed.push("author");
  if (next.state !== current.state) changed.push(`state ${current.state} → ${next.state}`);
  if ((next.merged_at?.getTime() ?? null) !== (current.merged_at?.getTime() ?? null)) changed.push("merged at");
  if ("tier" in next) changed.push(`tier ${current.tier ?? "none"} → ${next.tier} (label)`);
  if ("assisted" in next) changed.push(`assisted by a model (${assistance!.tool}, from the ${assistance!.from})`);
  if (!changed.length) return bypasses.length ? applied(`${ref} merged.`, bypasses) : ignored(`${ref} (${body.action}): already up to date.`);
  await ctx.trx.updateTable("pull_requests").set(next).where("id", "=", current.id).execute();
  await recordAuditEvent(ctx.trx, {
    workspaceId: ctx.workspaceId,
    actorId: null,
    action: "pull_request.synced",
    entityType: "pull_request",
    entityId: current.id,
    change: { pullRequest: ref, changed, state, deliveryId: ctx.deliveryId },
  });
  return applied(`${ref} ${body.action}.`, [`${ref}: ${changed.join(", ")}.`, ...bypasses]);
}

/** A merge: bypasses of required gates, recorded with the pull request (linked now if it was not). */
async function mergedPullRequest(ctx: Context, repository: string, body: z.infer<typeof PullRequestEvent>, mergedAt: Date): Promise<string[]> {
  const pr = body.pull_request;
  const base = pr.base!.ref;
  const found = await detectBypasses(ctx.trx, ctx.workspaceId, {
    repository,
    // The bypass needs the pull request's row: an unlinked PR is recorded only when it bypassed a gate.
    pullRequestId: async () => {
      const row = await upsertPullRequest(ctx.trx, ctx.workspaceId, { url: `https://github.com/${repository}/pull/${pr.number}` });
      if (!row.ok) throw new Error(row.error);
      return row.id;
    },
    reference: `${repository}#${pr.number}`,
    headSha: pr.head!.sha,
    baseBranch: base,
    mergedAt,
    mergedBy: pr.merged_by?.login ?? body.sender?.login ?? "",
    deliveryId: ctx.deliveryId,
  });
  return found;
}
