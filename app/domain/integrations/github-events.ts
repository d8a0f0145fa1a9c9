/**
 * The parts of GitHub's webhook payloads Hindsight reads, as zod schemas. Shapes follow GitHub's
 * documented payloads (tested with @octokit/webhooks-examples; repository_ruleset, which the
 * examples lack, with payloads built from GitHub's schema). Unknown fields are ignored.
 */
import { z } from "zod";

export const Repository = z.object({
  full_name: z.string().min(3).max(200),
  default_branch: z.string().max(255).optional(),
  html_url: z.string().max(500).optional(),
});

const Label = z.object({ name: z.string().max(200) });

export const PullRequestEvent = z.object({
  action: z.string(),
  repository: Repository,
  sender: z.object({ login: z.string().max(100) }).nullable().optional(),
  pull_request: z.object({
    number: z.number().int().positive(),
    title: z.string().max(1000),
    body: z.string().max(100_000).nullable().optional(),
    user: z.object({ login: z.string().max(100) }).nullable(),
    state: z.enum(["open", "closed"]),
    merged: z.boolean().nullable().optional(),
    merged_at: z.string().nullable().optional(),
    merged_by: z.object({ login: z.string().max(100) }).nullable().optional(),
    labels: z.array(Label).max(200).optional(),
    head: z.object({ sha: z.string().max(100) }).optional(),
    base: z.object({ ref: z.string().max(255) }).optional(),
  }),
});

export const CheckRunEvent = z.object({
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

export const CheckSuiteEvent = z.object({
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

/** A commit status (Jenkins, CircleCI, Buildkite…): `context` is the check's name. */
export const StatusEvent = z.object({
  repository: Repository,
  sha: z.string().max(100),
  context: z.string().max(500),
  state: z.enum(["pending", "success", "failure", "error"]),
  target_url: z.string().max(1000).nullable().optional(),
  updated_at: z.string().nullable().optional(),
  branches: z.array(z.object({ name: z.string().max(255) })).max(1000),
});

const Level = z.enum(["off", "non_admins", "everyone"]);

export const BranchProtectionRuleEvent = z.object({
  action: z.enum(["created", "edited", "deleted"]),
  repository: Repository,
  rule: z.object({
    id: z.number().int(),
    name: z.string().max(255),
    updated_at: z.string().nullable().optional(),
    required_status_checks: z.array(z.string().max(500)).max(500),
    required_status_checks_enforcement_level: Level,
    pull_request_reviews_enforcement_level: Level.optional(),
    required_approving_review_count: z.number().int().min(0).max(100).optional(),
    require_code_owner_review: z.boolean().optional(),
    admin_enforced: z.boolean().optional(),
  }),
});

const RulesetRule = z.object({ type: z.string().max(100), parameters: z.record(z.string(), z.unknown()).optional() });

export const RepositoryRulesetEvent = z.object({
  action: z.enum(["created", "edited", "deleted"]),
  repository: Repository.optional(),
  repository_ruleset: z.object({
    id: z.number().int(),
    name: z.string().max(255),
    target: z.string().max(50).optional(),
    enforcement: z.enum(["disabled", "active", "evaluate"]),
    updated_at: z.string().nullable().optional(),
    conditions: z
      .object({ ref_name: z.object({ include: z.array(z.string().max(500)).max(200), exclude: z.array(z.string().max(500)).max(200) }).optional() })
      .nullable()
      .optional(),
    rules: z.array(RulesetRule).max(200).optional(),
    bypass_actors: z.array(z.unknown()).max(200).nullable().optional(),
  }),
});

export const SCHEMAS = {
  pull_request: PullRequestEvent,
  check_run: CheckRunEvent,
  check_suite: CheckSuiteEvent,
  status: StatusEvent,
  branch_protection_rule: BranchProtectionRuleEvent,
  repository_ruleset: RepositoryRulesetEvent,
} as const;
export type HandledEvent = keyof typeof SCHEMAS;

const StatusChecksParameters = z.object({ required_status_checks: z.array(z.object({ context: z.string().max(500) })).max(500) });
const PullRequestParameters = z.object({
  required_approving_review_count: z.number().int().min(0).max(100).optional(),
  require_code_owner_review: z.boolean().optional(),
});

/** What a list of ruleset rules requires (the webhook's ruleset and the REST "rules for a branch" answer share the rule shape). */
export function rulesetRequirements(rules: ReadonlyArray<z.infer<typeof RulesetRule>>) {
  const checks = new Set<string>();
  let approvals = 0;
  let codeOwners = false;
  for (const rule of rules) {
    if (rule.type === "required_status_checks") {
      const p = StatusChecksParameters.safeParse(rule.parameters);
      if (p.success) for (const c of p.data.required_status_checks) checks.add(c.context);
    }
    if (rule.type === "pull_request") {
      const p = PullRequestParameters.safeParse(rule.parameters);
      if (p.success) {
        approvals = Math.max(approvals, p.data.required_approving_review_count ?? 0);
        codeOwners ||= p.data.require_code_owner_review ?? false;
      }
    }
  }
  return { requiredChecks: [...checks].sort(), requiredApprovals: approvals, codeOwnerReview: codeOwners };
}

export { RulesetRule };
