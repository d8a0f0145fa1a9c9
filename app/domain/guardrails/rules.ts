/**
 * Vocabulary and rules of the guardrail loop, shared by forms and the server. Pure: no database.
 * An action is finished only when verified, and verified needs evidence that the gate runs.
 */
import type { ActionKind, ActionStatus, AssistedByModel, BypassFinding, FactorCategory, GateInvolvement, GateKind, GateState, GateStatus, PullRequestRole } from "#db/schema";

export const FACTOR_CATEGORIES: Record<FactorCategory, string> = {
  review_gap: "Review gap",
  missing_test: "Missing test",
  missing_gate: "Missing gate",
  gate_bypassed: "Gate bypassed",
  tier_misclassified: "Tier misclassified",
  dependency_risk: "Dependency risk",
  assisted_change_unverified: "Assisted change unverified",
  observability_gap: "Observability gap",
  rollback_gap: "Rollback gap",
  runbook_gap: "Runbook gap",
  other: "Other",
};

export const GATE_KINDS: Record<GateKind, string> = {
  ci_check: "CI check",
  branch_protection: "Branch protection",
  codeowners: "CODEOWNERS",
  lint_rule: "Lint rule",
  sast: "SAST",
  test_suite: "Test suite",
  alert: "Alert",
  runbook: "Runbook",
};

export const GATE_STATUSES: Record<GateStatus, string> = { proposed: "Proposed", enforced: "Enforced", retired: "Retired" };

/** What the evidence says (docs/domain.md, "Gate states"): enforced = required + seen passing. */
export const GATE_STATES: Record<GateState, string> = {
  proposed: "Proposed",
  required_not_seen: "Required, not yet seen",
  seen_not_required: "Seen, not required",
  enforced: "Enforced",
  stale: "Stale",
  regressed: "Regressed",
};

export const BYPASS_FINDINGS: Record<BypassFinding, string> = {
  failed: "merged with the required check failing",
  never_passed: "merged without the required check ever passing",
};

export const GATE_INVOLVEMENTS: Record<GateInvolvement, string> = {
  missing: "was missing",
  failed_to_catch: "failed to catch it",
  bypassed: "was bypassed",
};

export const ACTION_KINDS: Record<ActionKind, string> = {
  new_gate: "A new gate",
  sharpen_gate: "A sharper gate",
  better_test: "A better test",
  narrower_permission: "A narrower permission",
  tier_rule: "A clearer tier rule",
  alert: "An alert",
  runbook: "A runbook",
  other: "Other",
};

export const ACTION_STATUSES: Record<ActionStatus, string> = {
  open: "Open",
  in_progress: "In progress",
  done: "Done",
  verified: "Verified",
  wont_do: "Won't do",
};

export const PR_ROLES: Record<PullRequestRole, string> = { trigger: "Trigger", fix: "Fix", related: "Related" };
export const ASSISTED: Record<AssistedByModel, string> = { yes: "Yes", no: "No", unknown: "Unknown" };

/** Where an action may go from where it is. Verified and won't do each need their proof. */
const TRANSITIONS: Record<ActionStatus, ActionStatus[]> = {
  open: ["in_progress", "done", "verified", "wont_do"],
  in_progress: ["open", "done", "verified", "wont_do"],
  done: ["in_progress", "verified", "wont_do"],
  // A gate that stopped running sends its action back to work.
  verified: ["in_progress"],
  wont_do: ["open"],
};

export type TransitionInput = { reason?: string | null; evidenceUrl?: string | null; evidenceNote?: string | null };

/** Why this change of status is not allowed, or null when it is. */
export function transitionProblem(from: ActionStatus, to: ActionStatus, input: TransitionInput): string | null {
  if (from === to) return `It is already ${ACTION_STATUSES[to].toLowerCase()}.`;
  if (!TRANSITIONS[from].includes(to)) return `An action that is ${ACTION_STATUSES[from].toLowerCase()} can't become ${ACTION_STATUSES[to].toLowerCase()}.`;
  if (to === "verified" && !input.evidenceUrl?.trim() && !input.evidenceNote?.trim()) {
    return "Verified needs evidence that the guardrail is enforced: a link to a check run or a note of what you saw.";
  }
  if (to === "wont_do" && !input.reason?.trim()) return "Say why this won't be done.";
  return null;
}

export const CLOSED_STATUSES: readonly ActionStatus[] = ["done", "verified", "wont_do"];

/** Overdue: the due date has passed and the action is not done, verified or dropped. Dates are UTC calendar days. */
export function isOverdue(status: ActionStatus, dueOn: string | null, today: string): boolean {
  return dueOn !== null && !CLOSED_STATUSES.includes(status) && dueOn < today;
}

export function todayUtc(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

export function actionReference(number: number): string {
  return `ACT-${number}`;
}

export type ParsedPullRequestUrl = { ok: true; repository: string; number: number; url: string } | { ok: false; error: string };

/** A GitHub pull request URL, as pasted from the browser: https://github.com/owner/repo/pull/123[/files][#…]. */
export function parsePullRequestUrl(input: string): ParsedPullRequestUrl {
  const text = input.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, error: "Paste the pull request's full URL, like https://github.com/acme/api/pull/123." };
  }
  if (url.protocol !== "https:" || (url.hostname !== "github.com" && url.hostname !== "www.github.com")) {
    return { ok: false, error: "Only GitHub pull request URLs (https://github.com/…) can be linked." };
  }
  const match = /^\/([A-Za-z0-9-]{1,39})\/([A-Za-z0-9._-]{1,100})\/pull\/(\d{1,9})(?:\/[a-z]*)?\/?$/.exec(url.pathname);
  if (!match) return { ok: false, error: "That is not a pull request URL: it should end in /pull/<number>." };
  const [, owner, repo, num] = match;
  const number = Number(num);
  if (number < 1) return { ok: false, error: "Pull request numbers start at 1." };
  const repository = `${owner}/${repo}`.toLowerCase();
  return { ok: true, repository, number, url: `https://github.com/${repository}/pull/${number}` };
}
export * from "./policy";
export * from "./board";
