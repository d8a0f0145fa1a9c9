import { describe, expect, it } from "vitest";
import {
  assistanceFrom,
  DEFAULT_ASSIST_TOOLS,
  DEFAULT_TIER_LABEL_PATTERNS,
  gateVerdict,
  requirementFor,
  reviewRequirements,
  ruleCovers,
  tierFromLabels,
  tierPatternProblem,
  type RequirementFact,
} from "~/domain/guardrails/index.server";

const T = (iso: string) => new Date(iso);

function fact(overrides: Partial<RequirementFact> = {}): RequirementFact {
  return {
    source: "branch_protection",
    ruleKey: "protection:1",
    ruleName: "main",
    includePatterns: ["main"],
    excludePatterns: [],
    requiredChecks: ["ci"],
    enforcement: "non_admins",
    requiredApprovals: 0,
    codeOwnerReview: false,
    adminsIncluded: false,
    removed: false,
    occurredAt: T("2026-11-01T00:00:00Z"),
    deliveryId: "d1",
    event: "branch_protection_rule.created",
    defaultBranch: "main",
    ...overrides,
  };
}

describe("which branches a rule covers", () => {
  it("matches branch protection patterns the way GitHub's fnmatch does", () => {
    expect(ruleCovers(fact({ includePatterns: ["main"] }), "main")).toBe(true);
    expect(ruleCovers(fact({ includePatterns: ["*"] }), "main")).toBe(true);
    expect(ruleCovers(fact({ includePatterns: ["*"] }), "release/1.2")).toBe(false);
    expect(ruleCovers(fact({ includePatterns: ["release/*"] }), "release/1.2")).toBe(true);
    expect(ruleCovers(fact({ includePatterns: ["**"] }), "release/1.2")).toBe(true);
    expect(ruleCovers(fact({ includePatterns: ["production"] }), "main")).toBe(false);
  });
  it("reads ruleset conditions: ~DEFAULT_BRANCH, ~ALL, refs/heads/ patterns, and exclusions", () => {
    const ruleset = (include: string[], exclude: string[] = []) => fact({ source: "ruleset", includePatterns: include, excludePatterns: exclude });
    expect(ruleCovers(ruleset(["~DEFAULT_BRANCH"]), "main")).toBe(true);
    expect(ruleCovers(ruleset(["~DEFAULT_BRANCH"]), "develop")).toBe(false);
    expect(ruleCovers(ruleset(["~ALL"]), "develop")).toBe(true);
    expect(ruleCovers(ruleset(["refs/heads/main"]), "main")).toBe(true);
    expect(ruleCovers(ruleset(["refs/heads/release/*"]), "release/2")).toBe(true);
    expect(ruleCovers(ruleset(["~ALL"], ["refs/heads/main"]), "main")).toBe(false);
  });
});

describe("what is required", () => {
  it("takes each rule's newest fact by the time it happened, whatever order they are listed in", () => {
    const created = fact({ occurredAt: T("2026-11-01T00:00:00Z"), deliveryId: "a" });
    const dropped = fact({ occurredAt: T("2026-11-03T00:00:00Z"), requiredChecks: [], deliveryId: "b", event: "branch_protection_rule.edited" });
    expect(requirementFor([created, dropped], "ci", "main").required).toBe(false);
    expect(requirementFor([dropped, created], "ci", "main").required).toBe(false);
    expect(requirementFor([created, dropped], "ci", "main", T("2026-11-02T00:00:00Z")).required).toBe(true);
  });
  it("enforcement off requires nothing; a deleted rule stays deleted", () => {
    expect(requirementFor([fact({ enforcement: "off" })], "ci", "main").required).toBe(false);
    const deleted = fact({ removed: true, occurredAt: T("2026-10-01T00:00:00Z"), deliveryId: "z" });
    expect(requirementFor([fact(), deleted], "ci", "main").required).toBe(false);
  });
  it("a Check-now snapshot replaces older facts of its kind only", () => {
    const old = fact({ occurredAt: T("2026-11-01T00:00:00Z") });
    const snapshot = fact({ source: "api_protection", ruleKey: "api:main", requiredChecks: [], enforcement: "off", occurredAt: T("2026-11-05T00:00:00Z"), deliveryId: "check-now" });
    const ruleset = fact({ source: "ruleset", ruleKey: "ruleset:7", includePatterns: ["~DEFAULT_BRANCH"], requiredChecks: ["lint"], enforcement: "everyone" });
    const later = fact({ occurredAt: T("2026-11-06T00:00:00Z"), deliveryId: "later" });
    expect(requirementFor([old, snapshot], "ci", "main").required).toBe(false);
    expect(requirementFor([old, snapshot, ruleset], "lint", "main").required).toBe(true);
    expect(requirementFor([old, snapshot, later], "ci", "main").required).toBe(true);
  });
  it("reviews: the strictest rule covering the branch", () => {
    const rules = [fact({ requiredApprovals: 1 }), fact({ ruleKey: "protection:2", requiredApprovals: 2, codeOwnerReview: true, adminsIncluded: true, includePatterns: ["*"] }), fact({ ruleKey: "protection:3", requiredApprovals: 5, includePatterns: ["release/*"] })];
    expect(reviewRequirements(rules, "main")).toEqual({ requiredApprovals: 2, codeOwnerReview: true, adminsIncluded: true });
  });
});

describe("a gate's state", () => {
  const base = { checkName: "ci", firstSeenAt: null, lastSeenAt: null, lastSeenDeliveryId: null, now: T("2026-11-10T00:00:00Z"), staleAfterDays: 14 };
  it("walks proposed → required, not yet seen → enforced → stale", () => {
    expect(gateVerdict({ ...base, facts: [] }).state).toBe("proposed");
    expect(gateVerdict({ ...base, facts: [fact()] })).toMatchObject({ state: "required_not_seen", deliveryId: "d1" });
    const seen = { firstSeenAt: T("2026-11-09T00:00:00Z"), lastSeenAt: T("2026-11-09T00:00:00Z"), lastSeenDeliveryId: "run" };
    expect(gateVerdict({ ...base, ...seen, facts: [fact()] }).state).toBe("enforced");
    expect(gateVerdict({ ...base, ...seen, facts: [fact()], now: T("2026-11-24T00:00:01Z") })).toMatchObject({ state: "stale", reason: expect.stringMatching(/more than 14 days/) });
    expect(gateVerdict({ ...base, ...seen, facts: [] }).state).toBe("seen_not_required");
  });
  it("regressed only when it was required while already seen, and names the delivery that removed it", () => {
    const seen = { firstSeenAt: T("2026-11-02T00:00:00Z"), lastSeenAt: T("2026-11-02T00:00:00Z"), lastSeenDeliveryId: "run" };
    const dropped = fact({ occurredAt: T("2026-11-03T00:00:00Z"), requiredChecks: [], deliveryId: "edit-1", event: "branch_protection_rule.edited" });
    expect(gateVerdict({ ...base, ...seen, facts: [fact(), dropped] })).toMatchObject({
      state: "regressed",
      deliveryId: "edit-1",
      reason: "Requirement removed by the branch_protection_rule.edited delivery of 2026-11-03 (edit-1): branch protection “main” no longer requires “ci”.",
    });
    // First seen only after the requirement had gone: never enforced, so not regressed.
    const late = { firstSeenAt: T("2026-11-04T00:00:00Z"), lastSeenAt: T("2026-11-04T00:00:00Z"), lastSeenDeliveryId: "run" };
    expect(gateVerdict({ ...base, ...late, facts: [fact(), dropped] }).state).toBe("seen_not_required");
  });
});

describe("what a pull request says about itself", () => {
  it("reads the tier from labels in the accepted patterns, the highest when several", () => {
    expect(tierFromLabels(["bug", "tier:T2"], DEFAULT_TIER_LABEL_PATTERNS)).toBe("T2");
    expect(tierFromLabels(["Tier/t1", "risk:T3"], DEFAULT_TIER_LABEL_PATTERNS)).toBe("T3");
    expect(tierFromLabels(["tier:T9", "tier:"], DEFAULT_TIER_LABEL_PATTERNS)).toBeNull();
    expect(tierFromLabels(["level-T2"], ["level-{tier}"])).toBe("T2");
    expect(tierPatternProblem("tier")).toMatch(/\{tier\}/);
    expect(tierPatternProblem("tier:{tier}")).toBeNull();
  });
  it("finds model assistance in a label or an Assisted-by / Co-authored-by trailer naming a configured tool", () => {
    expect(assistanceFrom(["assisted-by:copilot"], null, DEFAULT_ASSIST_TOOLS)).toEqual({ tool: "Copilot", from: "label “assisted-by:copilot”" });
    expect(assistanceFrom([], "Fix retries\n\nCo-authored-by: Claude <noreply@anthropic.com>", DEFAULT_ASSIST_TOOLS)).toEqual({ tool: "Claude", from: "Co-authored-by trailer" });
    expect(assistanceFrom([], "Co-authored-by: Priya <priya@example.com>", DEFAULT_ASSIST_TOOLS)).toBeNull();
    expect(assistanceFrom(["cursory-review"], null, DEFAULT_ASSIST_TOOLS)).toBeNull();
  });
});
