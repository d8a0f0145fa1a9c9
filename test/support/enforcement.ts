/** Requirement facts and check results as the GitHub handlers record them, for tests below the webhook. */
import type { Db } from "#db/connection";
import { recordCheckResult, recordRequirementFacts, type RequirementFactInput } from "~/domain/guardrails/index.server";

let n = 0;

export function protectionFact(overrides: Partial<RequirementFactInput> = {}): RequirementFactInput {
  n += 1;
  return {
    repository: "acme/api",
    defaultBranch: "main",
    source: "branch_protection",
    ruleKey: "protection:1",
    ruleName: "main",
    includePatterns: ["main"],
    excludePatterns: [],
    requiredChecks: [],
    enforcement: "non_admins",
    requiredApprovals: 0,
    codeOwnerReview: false,
    adminsIncluded: false,
    removed: false,
    occurredAt: new Date("2026-11-01T00:00:00Z"),
    deliveryId: `fact-${n}`,
    event: "branch_protection_rule.created",
    ...overrides,
  };
}

export function requireChecks(db: Db, workspaceId: string, checks: string[], overrides: Partial<RequirementFactInput> = {}, now = new Date()) {
  return db.transaction().execute((trx) => recordRequirementFacts(trx, workspaceId, [protectionFact({ requiredChecks: checks, ...overrides })], now));
}

export function seePassing(db: Db, workspaceId: string, checkName: string, at: Date, url: string | null, options: { repository?: string; now?: Date; headSha?: string } = {}) {
  n += 1;
  return db.transaction().execute((trx) =>
    recordCheckResult(
      trx,
      workspaceId,
      { repository: options.repository ?? "acme/api", checkNames: [checkName], headSha: options.headSha ?? `sha${n}`, conclusion: "success", onDefaultBranch: true, at, url, deliveryId: `run-${n}` },
      options.now ?? at,
    ),
  );
}
