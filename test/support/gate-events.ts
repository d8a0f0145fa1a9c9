/**
 * GitHub deliveries for the enforced-gates tests, built from @octokit/webhooks-examples (GitHub's
 * own example payloads) with only the fields a scenario needs changed, and handed to the domain
 * with an injected clock ("now"), so staleness and event times are under the test's control.
 */
import type { Db } from "#db/connection";
import { receiveGithubDelivery } from "~/domain/integrations/index.server";
import { githubExample } from "./integrations";

/** The repository of GitHub's branch protection examples: octo-org/octo-repo, default branch main. */
export const PROTECTED_REPO = githubExample("branch_protection_rule", (p) => p.action === "created" && p.rule.name === "production").repository;

let counter = 0;
export function deliveryId(prefix = "d"): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}`;
}

/** The "created" branch protection example (it requires basic-CI on the branch named production), pointed at another pattern, time and checks. */
export function protectionRule(action: "created" | "edited" | "deleted", rule: { id?: number; name?: string; checks?: string[]; at: string; level?: "off" | "non_admins" | "everyone" }) {
  const payload = githubExample("branch_protection_rule", (p) => p.action === action && p.repository.full_name === "octo-org/octo-repo");
  Object.assign(payload.rule, {
    id: rule.id ?? 21796961,
    name: rule.name ?? "main",
    updated_at: rule.at,
    ...(rule.checks ? { required_status_checks: rule.checks } : {}),
    ...(rule.level ? { required_status_checks_enforcement_level: rule.level } : {}),
  });
  return payload;
}

/** GitHub's completed, successful check run example, run in octo-org/octo-repo on `branch` at `at`. */
export function checkRun(name: string, at: string, options: { branch?: string; conclusion?: string; sha?: string } = {}) {
  const payload = githubExample("check_run", (p) => p.action === "completed" && p.check_run.conclusion === (options.conclusion ?? "success"));
  payload.repository = structuredClone(PROTECTED_REPO);
  payload.check_run.name = name;
  payload.check_run.completed_at = at;
  payload.check_run.check_suite.head_branch = options.branch ?? PROTECTED_REPO.default_branch;
  if (options.sha) payload.check_run.head_sha = options.sha;
  return payload;
}

/** GitHub's completed check suite example, for the app named `app`, in octo-org/octo-repo. */
export function checkSuite(app: string, at: string) {
  const payload = githubExample("check_suite", (p) => p.action === "completed" && p.check_suite.conclusion === "success");
  payload.repository = structuredClone(PROTECTED_REPO);
  payload.check_suite.head_branch = PROTECTED_REPO.default_branch;
  payload.check_suite.app.name = app;
  payload.check_suite.updated_at = at;
  return payload;
}

export type Delivery = { event: string; payload: unknown; id?: string };

export function deliver(db: Db, workspaceId: string, delivery: Delivery, now: Date) {
  return receiveGithubDelivery(db, { workspaceId, deliveryId: delivery.id ?? deliveryId(delivery.event), event: delivery.event, payload: delivery.payload }, now);
}

/** A repository_ruleset event, built from GitHub's documented payload schema (the examples package has none). */
export function repositoryRuleset(action: "created" | "edited" | "deleted", input: { id?: number; checks: string[]; enforcement?: "active" | "evaluate" | "disabled"; include?: string[]; at: string }) {
  return {
    action,
    repository_ruleset: {
      id: input.id ?? 42,
      name: "Protect main",
      target: "branch",
      source_type: "Repository",
      source: PROTECTED_REPO.full_name,
      enforcement: input.enforcement ?? "active",
      conditions: { ref_name: { include: input.include ?? ["~DEFAULT_BRANCH"], exclude: [] } },
      rules: [
        { type: "deletion" },
        { type: "pull_request", parameters: { required_approving_review_count: 2, dismiss_stale_reviews_on_push: true, require_code_owner_review: true, require_last_push_approval: false, required_review_thread_resolution: false } },
        { type: "required_status_checks", parameters: { strict_required_status_checks_policy: false, required_status_checks: input.checks.map((context) => ({ context, integration_id: 15368 })) } },
      ],
      bypass_actors: [],
      node_id: "RRS_lACkVUDAQ4ArDuT",
      created_at: "2026-11-01T10:00:00.000Z",
      updated_at: input.at,
      _links: { self: { href: `https://api.github.com/repos/${PROTECTED_REPO.full_name}/rulesets/${input.id ?? 42}` } },
    },
    repository: structuredClone(PROTECTED_REPO),
    sender: { login: "octocat", id: 1, type: "User" },
  };
}
