/**
 * When a postmortem may be published. Pure, so the rule reads in one place and is tested
 * without a database. The tier rules come from docs/domain.md: T2 needs a maintainer of an
 * affected area to approve, T3 two approvals. T0 and T1 need one approval by someone other than
 * the author, unless the workspace's tier rule says the author's own approval counts, or that no
 * approval is needed. An open "request changes" blocks until that reviewer approves. An approval
 * is for the version it was given on: once the text changes (beyond the workspace's tolerance) it
 * no longer counts until renewed (docs/decisions/0024).
 */
import type { PostmortemStatus, ReviewVerdict, TierApproval, TierKey } from "#db/schema";
import { approvalCounts } from "./policy";

export type ReviewRecord = {
  reviewerId: string;
  reviewerName: string;
  verdict: ReviewVerdict;
  at: Date;
  /** The postmortem's version the verdict was given on. */
  version: number;
  /** For approvals: whether it still stands for the current text (same version, or a change within the tolerance). */
  current: boolean;
};
export type MaintainerRecord = { userId: string; areaName: string };
export type PublishCheck = {
  status: PostmortemStatus;
  tier: TierKey;
  /** Who must approve at this tier (the workspace's tier rule; T2 and T3 are always "other"). */
  approval: TierApproval;
  authorId: string;
  /** The postmortem's current version. */
  version: number;
  /** Reviews of the current round, any order. */
  reviews: ReviewRecord[];
  affectedAreas: string[];
  /** Maintainers of the incident's affected areas. */
  maintainers: MaintainerRecord[];
  /** Further reasons from other rules (e.g. factors without actions). */
  otherBlockers?: string[];
};

/** The rule a tier really has: only T0 and T1 may relax who approves. */
export function tierApproval(tier: TierKey, configured: TierApproval): TierApproval {
  return tier === "T0" || tier === "T1" ? configured : "other";
}

export const TIER_APPROVAL_LABELS: Record<TierApproval, string> = {
  other: "Someone other than the author approves (default)",
  self: "The author's own approval counts",
  none: "No approval needed",
};

/** Each reviewer's latest approve / request-changes; comments don't change a verdict. */
export function standingVerdicts<R extends { reviewerId: string; verdict: ReviewVerdict; at: Date }>(reviews: R[]): Map<string, R> {
  const standing = new Map<string, R>();
  for (const r of [...reviews].sort((a, b) => a.at.getTime() - b.at.getTime())) {
    if (r.verdict !== "comment") standing.set(r.reviewerId, r);
  }
  return standing;
}

export function publishBlockers(check: PublishCheck): string[] {
  const blockers: string[] = [];
  if (check.status === "published") return ["It is already published."];
  const rule = tierApproval(check.tier, check.approval);
  if (check.status !== "in_review" && rule !== "none") blockers.push("Request a review first: publishing needs approval.");
  const standing = [...standingVerdicts(check.reviews).values()];
  for (const r of standing) {
    if (r.verdict === "request_changes") blockers.push(`${r.reviewerName} requested changes and has not approved since.`);
  }
  if (rule === "none") return [...blockers, ...(check.otherBlockers ?? [])];
  const counted = standing.filter((r) => r.verdict === "approve" && approvalCounts(rule, check.authorId, r.reviewerId));
  const approvers = counted.filter((r) => r.current);
  const outdated = counted.filter((r) => !r.current);
  const since = outdated.length
    ? ` ${outdated.map((r) => `${r.reviewerName} approved version ${r.version}`).join("; ")}, and it changed since: ${outdated.length === 1 ? "that approval counts" : "those approvals count"} again once renewed.`
    : "";
  if (check.tier === "T3") {
    if (approvers.length < 2) blockers.push(`A T3 incident needs two approvals of the current version; it has ${approvers.length}.${since}`);
  } else if (approvers.length < 1) {
    blockers.push(
      rule === "self"
        ? `It needs an approval of the current version (the author's own counts at ${check.tier}).${since}`
        : `It needs at least one approval of the current version from someone other than its author.${since}`,
    );
  }
  if (check.tier === "T2" || check.tier === "T3") {
    const maintainerIds = new Set(check.maintainers.map((m) => m.userId));
    if (check.tier === "T2" && !approvers.some((a) => maintainerIds.has(a.reviewerId))) {
      if (check.affectedAreas.length === 0) {
        blockers.push("A T2 incident needs a maintainer of an affected area to approve: name the affected areas on the incident.");
      } else if (check.maintainers.length === 0) {
        blockers.push(`A T2 incident needs a maintainer's approval, and ${check.affectedAreas.join(", ")} has no maintainers yet (Settings).`);
      } else {
        const names = [...new Set(check.maintainers.map((m) => m.areaName))].join(", ");
        blockers.push(`A T2 incident needs approval from a maintainer of ${names}.`);
      }
    }
  }
  return [...blockers, ...(check.otherBlockers ?? [])];
}

export const POSTMORTEM_STATUS_LABELS: Record<PostmortemStatus, string> = {
  draft: "Draft",
  in_review: "In review",
  published: "Published",
};

export const REVIEW_VERDICTS: readonly ReviewVerdict[] = ["approve", "request_changes", "comment"];
