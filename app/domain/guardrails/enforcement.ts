/**
 * Is a gate enforced? Pure rules over the evidence (docs/decisions/0023-enforced-means-required.md):
 * a gate is enforced only when GitHub requires its check to merge into the default branch AND the
 * check has been seen passing there. Requirement facts come from branch protection rules, rulesets
 * and "Check now" answers; each is applied by the time its event happened, never by when it
 * arrived, so the same set of facts always gives the same state, whatever the delivery order.
 */
import { minimatch } from "minimatch";
import type { EnforcementLevel, GateState, RequirementSource } from "#db/schema";

export type RequirementFact = {
  source: RequirementSource;
  ruleKey: string;
  ruleName: string;
  includePatterns: string[];
  excludePatterns: string[];
  requiredChecks: string[];
  enforcement: EnforcementLevel;
  requiredApprovals: number;
  codeOwnerReview: boolean;
  adminsIncluded: boolean;
  removed: boolean;
  occurredAt: Date;
  deliveryId: string;
  event: string;
  defaultBranch: string;
};

const API_SOURCES: ReadonlySet<RequirementSource> = new Set(["api_protection", "api_rules"]);

/** Classic protection and rulesets are separate systems; a Check-now snapshot of one replaces the older facts of that one only. */
function family(source: RequirementSource): "protection" | "rules" {
  return source === "branch_protection" || source === "api_protection" ? "protection" : "rules";
}

/** Newest first; at the same instant a removal wins, then the delivery id decides (so ties don't depend on order). */
function newer(a: RequirementFact, b: RequirementFact): boolean {
  const dt = a.occurredAt.getTime() - b.occurredAt.getTime();
  if (dt !== 0) return dt > 0;
  if (a.removed !== b.removed) return a.removed;
  return a.deliveryId > b.deliveryId;
}

/** GitHub's fnmatch for branch names: `*` stays within one path segment, `**` crosses them. */
function branchMatches(pattern: string, branch: string): boolean {
  return minimatch(branch, pattern, { dot: true, nonegate: true, nocomment: true });
}

/** Whether one ruleset condition (`~DEFAULT_BRANCH`, `~ALL`, `refs/heads/<pattern>`) or protection pattern covers the branch. */
function conditionCovers(condition: string, branch: string, defaultBranch: string, source: RequirementSource): boolean {
  if (source === "branch_protection" || source === "api_protection") return branchMatches(condition, branch);
  if (condition === "~ALL") return true;
  if (condition === "~DEFAULT_BRANCH") return branch === defaultBranch;
  const name = condition.startsWith("refs/heads/") ? condition.slice("refs/heads/".length) : condition;
  return branchMatches(name, branch);
}

export function ruleCovers(fact: RequirementFact, branch: string): boolean {
  const covers = (c: string) => conditionCovers(c, branch, fact.defaultBranch, fact.source);
  return fact.includePatterns.some(covers) && !fact.excludePatterns.some(covers);
}

/**
 * The rules in force at `at` (default: after every fact): the newest fact of each rule, a deleted
 * rule staying deleted, and within each family nothing older than its newest Check-now snapshot.
 */
export function rulesInForce(facts: readonly RequirementFact[], at?: Date): RequirementFact[] {
  const known = at ? facts.filter((f) => f.occurredAt.getTime() <= at.getTime()) : facts;
  const snapshotAt = new Map<string, number>();
  for (const f of known) {
    if (!API_SOURCES.has(f.source)) continue;
    snapshotAt.set(family(f.source), Math.max(snapshotAt.get(family(f.source)) ?? -Infinity, f.occurredAt.getTime()));
  }
  const byRule = new Map<string, RequirementFact>();
  for (const f of known) {
    const key = `${family(f.source)}:${f.ruleKey}`;
    const current = byRule.get(key);
    // A deleted rule never comes back: GitHub gives a re-created rule a new id.
    if (!current || (f.removed && !current.removed) || (f.removed === current.removed && newer(f, current))) byRule.set(key, f);
  }
  return [...byRule.values()].filter((f) => {
    if (f.removed) return false;
    const snapshot = snapshotAt.get(family(f.source));
    if (snapshot === undefined) return true;
    return API_SOURCES.has(f.source) ? f.occurredAt.getTime() === snapshot : f.occurredAt.getTime() > snapshot;
  });
}

/** The default branch as the newest fact reports it. */
export function defaultBranchOf(facts: readonly RequirementFact[]): string | null {
  let newest: RequirementFact | null = null;
  for (const f of facts) if (!newest || newer(f, newest)) newest = f;
  return newest?.defaultBranch ?? null;
}

export type Requirement = { required: boolean; by: RequirementFact | null };

/** Whether GitHub requires `checkName` to pass to merge into `branch`, and the newest rule that says so. */
export function requirementFor(facts: readonly RequirementFact[], checkName: string, branch: string, at?: Date): Requirement {
  let by: RequirementFact | null = null;
  for (const rule of rulesInForce(facts, at)) {
    if (rule.enforcement === "off" || !rule.requiredChecks.includes(checkName) || !ruleCovers(rule, branch)) continue;
    if (!by || newer(rule, by)) by = rule;
  }
  return { required: by !== null, by };
}

/** Review requirements on a branch (tier rules speak of them): the strictest of the rules in force. */
export function reviewRequirements(facts: readonly RequirementFact[], branch: string) {
  const rules = rulesInForce(facts).filter((r) => ruleCovers(r, branch));
  return {
    requiredApprovals: Math.max(0, ...rules.map((r) => r.requiredApprovals)),
    codeOwnerReview: rules.some((r) => r.codeOwnerReview),
    adminsIncluded: rules.some((r) => r.adminsIncluded),
  };
}

/** Each instant a fact changed something, with whether the check was required from then on. */
function timeline(facts: readonly RequirementFact[], checkName: string, branch: string) {
  const instants = [...new Set(facts.map((f) => f.occurredAt.getTime()))].sort((a, b) => a - b);
  return instants.map((t) => ({ at: t, ...requirementFor(facts, checkName, branch, new Date(t)) }));
}

/** The fact that made an instant: the newest of those that happened then. */
function factAt(facts: readonly RequirementFact[], t: number): RequirementFact | null {
  let pick: RequirementFact | null = null;
  for (const f of facts) if (f.occurredAt.getTime() === t && (!pick || newer(f, pick))) pick = f;
  return pick;
}

export type GateEvidence = {
  checkName: string;
  facts: readonly RequirementFact[];
  firstSeenAt: Date | null;
  lastSeenAt: Date | null;
  lastSeenDeliveryId: string | null;
  now: Date;
  staleAfterDays: number;
};

export type GateVerdict = { state: GateState; reason: string; deliveryId: string | null; requiredBy: RequirementFact | null };

const DAY_MS = 86_400_000;

function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function describeFact(fact: RequirementFact): string {
  const what = fact.source === "api_protection" || fact.source === "api_rules" ? "the Check now answer" : `the ${fact.event} delivery`;
  return `${what} of ${day(fact.occurredAt)} (${fact.deliveryId})`;
}

function ruleLabel(fact: RequirementFact): string {
  if (fact.source === "branch_protection") return `branch protection “${fact.ruleName}”`;
  if (fact.source === "ruleset") return `ruleset “${fact.ruleName}”`;
  return fact.source === "api_protection" ? "branch protection" : "the rulesets";
}

/** Why the requirement ended: the rule's newest word at the instant it stopped requiring the check. */
function removalReason(fact: RequirementFact, checkName: string): string {
  if (fact.removed) return `${ruleLabel(fact)} was deleted`;
  if (fact.enforcement === "off") return `${ruleLabel(fact)} no longer enforces its status checks`;
  if (!fact.requiredChecks.includes(checkName)) return `${ruleLabel(fact)} no longer requires “${checkName}”`;
  return `${ruleLabel(fact)} no longer covers the default branch`;
}

/**
 * The gate's state from its evidence (table in docs/domain.md). Regressed needs history: some
 * interval in which the check was required and had already been seen passing, now over.
 */
export function gateVerdict(evidence: GateEvidence): GateVerdict {
  const { checkName, facts, firstSeenAt, lastSeenAt, now, staleAfterDays } = evidence;
  const branch = defaultBranchOf(facts);
  if (!checkName) return { state: "proposed", reason: "No check name: GitHub has nothing to require.", deliveryId: null, requiredBy: null };
  const seen = lastSeenAt ? `seen passing on the default branch at ${lastSeenAt.toISOString()}` : null;
  if (!branch) {
    return seen
      ? { state: "seen_not_required", reason: `${capitalise(seen)}; no branch protection or ruleset is known for this repository.`, deliveryId: evidence.lastSeenDeliveryId, requiredBy: null }
      : { state: "proposed", reason: "Neither required nor seen passing yet.", deliveryId: null, requiredBy: null };
  }
  const now_ = requirementFor(facts, checkName, branch);
  if (now_.required && now_.by) {
    const by = `Required on ${branch} by ${ruleLabel(now_.by)} (${describeFact(now_.by)})`;
    if (!lastSeenAt) return { state: "required_not_seen", reason: `${by}; not yet seen passing there.`, deliveryId: now_.by.deliveryId, requiredBy: now_.by };
    if (now.getTime() - lastSeenAt.getTime() > staleAfterDays * DAY_MS) {
      return {
        state: "stale",
        reason: `${by}, but not seen passing there since ${day(lastSeenAt)}: more than ${staleAfterDays} days (was the workflow renamed or stopped?).`,
        deliveryId: evidence.lastSeenDeliveryId,
        requiredBy: now_.by,
      };
    }
    return { state: "enforced", reason: `${by}, and ${seen}.`, deliveryId: now_.by.deliveryId, requiredBy: now_.by };
  }
  const steps = timeline(facts, checkName, branch);
  let lastEnforcedEnd: number | null = null;
  for (let i = 0; i < steps.length - 1; i++) {
    const end = steps[i + 1]!.at;
    if (steps[i]!.required && firstSeenAt && firstSeenAt.getTime() < end) lastEnforcedEnd = end;
  }
  if (lastEnforcedEnd !== null) {
    const removal = factAt(facts, lastEnforcedEnd)!;
    return {
      state: "regressed",
      reason: `Requirement removed by ${describeFact(removal)}: ${removalReason(removal, checkName)}.`,
      deliveryId: removal.deliveryId,
      requiredBy: null,
    };
  }
  if (seen) return { state: "seen_not_required", reason: `${capitalise(seen)}, but no rule requires it to merge into ${branch}.`, deliveryId: evidence.lastSeenDeliveryId, requiredBy: null };
  return { state: "proposed", reason: `No rule requires it to merge into ${branch}, and it has not been seen passing there.`, deliveryId: null, requiredBy: null };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** States whose arrival sends the actions a gate verified (or awaits) back to work. */
export const DRIFT_STATES: ReadonlySet<GateState> = new Set(["regressed", "stale"]);
