import { Octokit } from "@octokit/core";
import type { Db } from "#db/connection";
import { recordAuditEvent } from "~/domain/shared/audit.server";
import { conflict, invalid, notFound, type Outcome } from "~/domain/shared/outcomes";
import type { PublicUser } from "~/domain/accounts/index.server";
import { recordRequirementFacts, type RequirementFactInput } from "~/domain/guardrails/index.server";
import { rulesetRequirements, type RulesetRule } from "./github-events";
import { githubToken } from "./github-settings.server";
import type { z } from "zod";

/**
 * "Check now": an active verification. With the workspace's GitHub token, ask GitHub which rules
 * apply to the repository's default branch — the rulesets (`GET /repos/{owner}/{repo}/rules/branches/{branch}`)
 * and classic branch protection (`GET /repos/{owner}/{repo}/branches/{branch}/protection`) — and
 * apply the answer like a webhook: as two snapshots, each replacing the older facts of its kind.
 * The API address comes from GITHUB_API_URL (GitHub Enterprise, and tests' replay server).
 */

export function githubApiUrl(env: Record<string, string | undefined> = process.env): string {
  return env.GITHUB_API_URL?.replace(/\/+$/, "") || "https://api.github.com";
}

type Snapshot = { defaultBranch: string; protection: RequirementFactInput; rules: RequirementFactInput };

async function askGithub(token: string, repository: string, now: Date, baseUrl: string): Promise<Snapshot> {
  const [owner, repo] = repository.split("/") as [string, string];
  const octokit = new Octokit({ auth: token, baseUrl, userAgent: "hindsight-check-now", request: { signal: AbortSignal.timeout(15_000) } });
  const { data: repoData } = await octokit.request("GET /repos/{owner}/{repo}", { owner, repo });
  const branch = repoData.default_branch;
  const { data: rules } = await octokit.request("GET /repos/{owner}/{repo}/rules/branches/{branch}", { owner, repo, branch, per_page: 100 });
  let protection: {
    required_status_checks?: { contexts?: string[]; checks?: Array<{ context: string }> } | null;
    enforce_admins?: { enabled: boolean } | null;
    required_pull_request_reviews?: { required_approving_review_count?: number; require_code_owner_reviews?: boolean } | null;
  } | null = null;
  try {
    protection = (await octokit.request("GET /repos/{owner}/{repo}/branches/{branch}/protection", { owner, repo, branch })).data;
  } catch (error) {
    // 404 "Branch not protected": no classic protection, which is an answer too.
    if (httpStatus(error) !== 404) throw error;
  }
  const deliveryId = `check-now:${now.toISOString()}`;
  const base = { repository, defaultBranch: branch, ruleKey: `api:${branch}`, includePatterns: [branch], excludePatterns: [], removed: false, occurredAt: now, deliveryId, event: "check_now" };
  const contexts = new Set([...(protection?.required_status_checks?.contexts ?? []), ...(protection?.required_status_checks?.checks ?? []).map((c) => c.context)]);
  const admins = protection?.enforce_admins?.enabled ?? false;
  const fromRules = rulesetRequirements(rules as Array<z.infer<typeof RulesetRule>>);
  return {
    defaultBranch: branch,
    protection: {
      ...base,
      source: "api_protection",
      ruleName: protection ? `protection of ${branch}` : `${branch} (not protected)`,
      requiredChecks: [...contexts].sort(),
      enforcement: protection?.required_status_checks ? (admins ? "everyone" : "non_admins") : "off",
      requiredApprovals: protection?.required_pull_request_reviews?.required_approving_review_count ?? 0,
      codeOwnerReview: protection?.required_pull_request_reviews?.require_code_owner_reviews ?? false,
      adminsIncluded: admins,
    },
    rules: {
      ...base,
      source: "api_rules",
      ruleName: `rulesets on ${branch}`,
      ...fromRules,
      // "Rules for a branch" lists active rules only; evaluate-mode and disabled rulesets are left out by GitHub.
      enforcement: fromRules.requiredChecks.length ? "everyone" : "off",
      adminsIncluded: false,
    },
  };
}

/** The HTTP status of Octokit's RequestError (it carries `status`), or null for other failures. */
function httpStatus(error: unknown): number | null {
  return error instanceof Error && "status" in error && typeof error.status === "number" ? error.status : null;
}

function explain(error: unknown): string {
  const status = httpStatus(error);
  if (status !== null) {
    if (status === 401) return "GitHub refused the token (401): store a valid one in Settings → GitHub.";
    if (status === 403) return "GitHub said the token may not read this repository's rules (403): it needs read access to administration or metadata.";
    if (status === 404) return "GitHub does not know this repository, or the token can't see it (404).";
    return `GitHub answered ${status}: ${(error as Error).message}`;
  }
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) return "GitHub did not answer within 15 seconds; try again.";
  return `GitHub could not be reached: ${error instanceof Error ? error.message : String(error)}`;
}

export async function checkGateNow(
  db: Db,
  actor: PublicUser,
  workspaceId: string,
  gateId: string,
  options: { now?: Date; baseUrl?: string } = {},
): Promise<Outcome<{ summary: string; changes: string[] }>> {
  const now = options.now ?? new Date();
  const gate = await db.selectFrom("gates").select(["id", "name", "repository", "check_name"]).where("id", "=", gateId).where("workspace_id", "=", workspaceId).executeTakeFirst();
  if (!gate) return notFound("Gate not found.");
  const repository = gate.repository.trim().toLowerCase();
  if (!/^[a-z0-9-]+\/[a-z0-9._-]+$/.test(repository) || !gate.check_name) {
    return invalid({}, "Check now needs the gate's GitHub repository (owner/name) and check name: edit the gate first.");
  }
  const token = await githubToken(db, workspaceId);
  if (!token) return conflict("No GitHub token is stored: an admin adds one in Settings → GitHub.");
  let snapshot: Snapshot;
  try {
    snapshot = await askGithub(token, repository, now, options.baseUrl ?? githubApiUrl());
  } catch (error) {
    return conflict(explain(error));
  }
  const changes = await db.transaction().execute(async (trx) => {
    const applied = await recordRequirementFacts(trx, workspaceId, [snapshot.protection, snapshot.rules], now);
    await recordAuditEvent(trx, {
      workspaceId,
      actorId: actor.id,
      action: "gate.checked_now",
      entityType: "gate",
      entityId: gate.id,
      change: { repository, branch: snapshot.defaultBranch, protection: snapshot.protection.requiredChecks, rulesets: snapshot.rules.requiredChecks },
    });
    return applied;
  });
  const all = new Set([...snapshot.protection.requiredChecks, ...snapshot.rules.requiredChecks]);
  const summary = all.has(gate.check_name)
    ? `GitHub requires “${gate.check_name}” to merge into ${snapshot.defaultBranch}.`
    : `GitHub does not require “${gate.check_name}” to merge into ${snapshot.defaultBranch}${all.size ? ` (it requires ${[...all].map((c) => `“${c}”`).join(", ")})` : ""}.`;
  return { ok: true, summary, changes };
}
