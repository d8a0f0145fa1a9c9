/**
 * When a postmortem may be published. Pure, so the rule reads in one place and is tested
 * without a database. The tier rules come from docs/domain.md: T2 needs a maintainer of an
 * affected area to approve, T3 two approvals. Any tier needs at least one approval, and an
 * open "request changes" blocks until that reviewer approves. Authors can't approve their own.
 */
import type { PostmortemStatus, ReviewVerdict, TierKey } from "#db/schema";

export type ReviewRecord = { reviewerId: string; reviewerName: string; verdict: ReviewVerdict; at: Date };
export type MaintainerRecord = { userId: string; areaName: string };

export type PublishCheck = {
  status: PostmortemStatus;
  tier: TierKey;
  authorId: string;
  /** Reviews of the current round, any order. */
  reviews: ReviewRecord[];
  affectedAreas: string[];
  /** Maintainers of the incident's affected areas. */
  maintainers: MaintainerRecord[];
  /** Further reasons from other rules (e.g. factors without actions). */
  otherBlockers?: string[];
};

/** Each reviewer's latest approve / request-changes; comments don't change a verdict. */
function standingVerdicts(reviews: ReviewRecord[]): Map<string, ReviewRecord> {
  const standing = new Map<string, ReviewRecord>();
  for (const r of [...reviews].sort((a, b) => a.at.getTime() - b.at.getTime())) {
    if (r.verdict !== "comment") standing.set(r.reviewerId, r);
  }
  return standing;
}

export function publishBlockers(check: PublishCheck): string[] {
  const blockers: string[] = [];
  if (check.status === "published") return ["It is already published."];
  if (check.status !== "in_review") blockers.push("Request a review first: publishing needs approval.");
  const standing = [...standingVerdicts(check.reviews).values()];
  for (const r of standing) {
    if (r.verdict === "request_changes") blockers.push(`${r.reviewerName} requested changes and has not approved since.`);
  }
  const approvers = standing.filter((r) => r.verdict === "approve" && r.reviewerId !== check.authorId);
  if (check.tier === "T3") {
    if (approvers.length < 2) blockers.push(`A T3 incident needs two approvals; it has ${approvers.length}.`);
  } else if (approvers.length < 1) {
    blockers.push("It needs at least one approval from someone other than its author.");
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
