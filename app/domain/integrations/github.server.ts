import { sql } from "kysely";
import { z } from "zod";
import type { Db } from "#db/connection";
import type { PullRequestState } from "#db/schema";
import { recordAuditEvent } from "~/domain/shared/audit.server";
import { actionReference } from "~/domain/guardrails/rules";
import { recordGateSeen } from "~/domain/guardrails/index.server";
import { applied, ignored, receiveDelivery, type DeliveryResult, type Processed, type Rejected } from "./webhooks.server";

/**
 * What GitHub's webhooks change here: `pull_request` fills in linked pull requests, and a
 * successful `check_run` / `check_suite` on a repository's default branch marks the gate
 * watching that check seen, which verifies the actions done before it. Other events are
 * acknowledged and ignored. Payload shapes follow GitHub's (tested with @octokit/webhooks-examples).
 */

const Repository = z.object({
  full_name: z.string().min(3).max(200),
  default_branch: z.string().max(255).optional(),
  html_url: z.string().max(500).optional(),
});

const PullRequestEvent = z.object({
  action: z.string(),
  repository: Repository,
  pull_request: z.object({
    number: z.number().int().positive(),
    title: z.string().max(1000),
    user: z.object({ login: z.string().max(100) }).nullable(),
    state: z.enum(["open", "closed"]),
    merged: z.boolean().nullable().optional(),
    merged_at: z.string().nullable().optional(),
  }),
});

const CheckRunEvent = z.object({
  action: z.string(),
  repository: Repository,
  check_run: z.object({
    name: z.string().max(500),
    status: z.string().nullable(),
    conclusion: z.string().nullable(),
    html_url: z.string().max(1000).nullable().optional(),
    completed_at: z.string().nullable().optional(),
    head_sha: z.string().max(100),
    check_suite: z.object({ head_branch: z.string().nullable() }).nullable().optional(),
  }),
});

const CheckSuiteEvent = z.object({
  action: z.string(),
  repository: Repository,
  check_suite: z.object({
    head_branch: z.string().nullable(),
    head_sha: z.string().max(100),
    conclusion: z.string().nullable(),
    updated_at: z.string().nullable().optional(),
    app: z.object({ name: z.string().max(200), slug: z.string().max(200).optional() }).nullable().optional(),
  }),
});

const SCHEMAS = { pull_request: PullRequestEvent, check_run: CheckRunEvent, check_suite: CheckSuiteEvent } as const;
type HandledEvent = keyof typeof SCHEMAS;

function isHandled(event: string): event is HandledEvent {
  return Object.hasOwn(SCHEMAS, event);
}

export type GithubDelivery = { workspaceId: string; deliveryId: string; event: string; payload: unknown };

export async function receiveGithubDelivery(db: Db, delivery: GithubDelivery): Promise<DeliveryResult> {
  const { workspaceId, deliveryId, event } = delivery;
  const header = { workspaceId, source: "github" as const, deliveryId, event };
  if (!isHandled(event)) {
    const summary = event === "ping" ? "GitHub's ping: the webhook reaches Hindsight." : `${event} events are not used; acknowledged.`;
    return receiveDelivery(db, header, async () => ignored(summary));
  }
  const parsed = SCHEMAS[event].safeParse(delivery.payload);
  if (!parsed.success) return { kind: "rejected", status: 400, reason: `The payload is not a ${event} event Hindsight understands.` };
  const body = parsed.data;
  const eventName = "action" in body ? `${event}.${body.action}` : event;
  return receiveDelivery(db, { ...header, event: eventName }, async (trx) => {
    const repository = body.repository.full_name.toLowerCase();
    if (!(await repositoryKnown(trx, workspaceId, repository))) {
      return {
        kind: "rejected",
        status: 422,
        reason: `Repository ${body.repository.full_name} is not known to this workspace: add a gate for it or link one of its pull requests first.`,
      } satisfies Rejected;
    }
    if ("pull_request" in body) return syncPullRequest(trx, workspaceId, repository, body as z.infer<typeof PullRequestEvent>, deliveryId);
    if ("check_run" in body) {
      const run = body.check_run as z.infer<typeof CheckRunEvent>["check_run"];
      return checkPassed(trx, workspaceId, deliveryId, {
        label: `Check run “${run.name}”`,
        action: body.action,
        conclusion: run.conclusion,
        branch: run.check_suite?.head_branch ?? null,
        repository: body.repository,
        checkNames: [run.name],
        seenAt: parseTime(run.completed_at),
        url: run.html_url ?? null,
      });
    }
    const suite = (body as z.infer<typeof CheckSuiteEvent>).check_suite;
    const appNames = [suite.app?.name, suite.app?.slug].filter((n): n is string => Boolean(n));
    const html = body.repository.html_url ?? `https://github.com/${body.repository.full_name}`;
    return checkPassed(trx, workspaceId, deliveryId, {
      label: `Check suite${suite.app ? ` of “${suite.app.name}”` : ""}`,
      action: body.action,
      conclusion: suite.conclusion,
      branch: suite.head_branch,
      repository: body.repository,
      checkNames: appNames,
      seenAt: parseTime(suite.updated_at),
      url: `${html}/commit/${suite.head_sha}/checks`,
    });
  });
}

function parseTime(value: string | null | undefined): Date {
  const date = value ? new Date(value) : new Date();
  return Number.isNaN(date.getTime()) ? new Date() : date;
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

type CheckOutcome = {
  label: string;
  action: string;
  conclusion: string | null;
  branch: string | null;
  repository: z.infer<typeof Repository>;
  checkNames: string[];
  seenAt: Date;
  url: string | null;
};

/** A successful check on the default branch: the gates watching it were seen enforced. */
async function checkPassed(trx: Db, workspaceId: string, deliveryId: string, check: CheckOutcome): Promise<Processed> {
  const where = `${check.repository.full_name}`;
  if (check.action !== "completed") return ignored(`${check.label} in ${where} was ${check.action}: only completed checks count.`);
  if (check.conclusion !== "success") return ignored(`${check.label} in ${where} concluded ${check.conclusion ?? "nothing"}: only successful checks count.`);
  const defaultBranch = check.repository.default_branch;
  if (!defaultBranch || check.branch !== defaultBranch) {
    return ignored(`${check.label} in ${where} passed on ${check.branch ?? "no branch"}, not on the default branch ${defaultBranch ?? "(unknown)"}.`);
  }
  if (!check.checkNames.length) return ignored(`${check.label} in ${where} names no check.`);
  const gates = await trx
    .selectFrom("gates")
    .select(["id", "name", "check_name"])
    .where("workspace_id", "=", workspaceId)
    .where(sql`lower(repository)`, "=", check.repository.full_name.toLowerCase())
    .where("check_name", "in", check.checkNames)
    .where("status", "<>", "retired")
    .orderBy("name")
    .execute();
  if (!gates.length) return ignored(`${check.label} passed in ${where}; no gate watches “${check.checkNames.join("” or “")}” there.`);
  const changes: string[] = [];
  for (const gate of gates) {
    const verified = await recordGateSeen(trx, workspaceId, gate.id, check.seenAt, check.url);
    await recordAuditEvent(trx, {
      workspaceId,
      actorId: null,
      action: "gate.seen",
      entityType: "gate",
      entityId: gate.id,
      change: { checkName: gate.check_name, seenAt: check.seenAt.toISOString(), url: check.url, deliveryId, verifiedActions: verified },
    });
    changes.push(`Gate “${gate.name}” seen enforced at ${check.seenAt.toISOString()}.`);
    for (const number of verified) changes.push(`${actionReference(number)} verified by the gate's run.`);
  }
  return applied(`${check.label} passed on ${defaultBranch} in ${where}.`, changes);
}

function pullRequestState(pr: z.infer<typeof PullRequestEvent>["pull_request"]): { state: PullRequestState; mergedAt: Date | null } {
  const mergedAt = pr.merged_at ? new Date(pr.merged_at) : null;
  if ((mergedAt && !Number.isNaN(mergedAt.getTime())) || pr.merged) return { state: "merged", mergedAt: mergedAt ?? new Date() };
  return { state: pr.state, mergedAt: null };
}

/** Fills in a linked pull request's title, author, state and merge time. Unlinked ones are not recorded. */
async function syncPullRequest(trx: Db, workspaceId: string, repository: string, body: z.infer<typeof PullRequestEvent>, deliveryId: string): Promise<Processed> {
  const ref = `${repository}#${body.pull_request.number}`;
  const current = await trx
    .selectFrom("pull_requests")
    .select(["id", "title", "author", "state", "merged_at"])
    .where("workspace_id", "=", workspaceId)
    .where("repository", "=", repository)
    .where("number", "=", body.pull_request.number)
    .forUpdate()
    .executeTakeFirst();
  if (!current) return ignored(`${ref} (${body.action}) is not linked to anything in this workspace.`);
  const { state, mergedAt } = pullRequestState(body.pull_request);
  const next = { title: body.pull_request.title.slice(0, 500), author: body.pull_request.user?.login ?? current.author, state, merged_at: mergedAt };
  const changed: string[] = [];
  if (next.title !== current.title) changed.push("title");
  if (next.author !== current.author) changed.push("author");
  if (next.state !== current.state) changed.push(`state ${current.state} → ${next.state}`);
  if ((next.merged_at?.getTime() ?? null) !== (current.merged_at?.getTime() ?? null)) changed.push("merged at");
  if (!changed.length) return ignored(`${ref} (${body.action}): already up to date.`);
  await trx.updateTable("pull_requests").set(next).where("id", "=", current.id).execute();
  await recordAuditEvent(trx, {
    workspaceId,
    actorId: null,
    action: "pull_request.synced",
    entityType: "pull_request",
    entityId: current.id,
    change: { pullRequest: ref, changed, state, deliveryId },
  });
  return applied(`${ref} ${body.action}.`, [`${ref}: ${changed.join(", ")}.`]);
}
