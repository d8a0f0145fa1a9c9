/** Postmortems: editors write and move them through review; a published one is read-only. */
import type { PostmortemStatus, TierApproval } from "#db/schema";
import { forbidden, readOnly } from "~/domain/shared/outcomes";
import { ALLOWED, type Rule } from "~/domain/shared/policy";

export type PostmortemSubject = { status: PostmortemStatus };
export type ReviewSubject = {
  startedBy: string | null;
  verdict: "approve" | "request_changes" | "comment";
  /** The tier's rule for who approves (the workspace's setting for T0 and T1; "other" when not given). */
  approval?: TierApproval;
};

/** Why a postmortem in this status can't be edited, or null: the one place that says so. */
export function postmortemFrozen(status: PostmortemStatus): string | null {
  return status === "published" ? "This postmortem is published. Reopen it to edit." : null;
}

/**
 * The self-approval rule, in one place: review exists to get a second pair of eyes, so the
 * author's own approval counts only where the tier's rule says so (a workspace may relax T0 and T1).
 */
function selfApproval(subject: ReviewSubject, userId: string) {
  return subject.verdict === "approve" && subject.startedBy === userId && (subject.approval ?? "other") === "other"
    ? forbidden("You started this postmortem, so your approval doesn't count. Ask a colleague.")
    : ALLOWED;
}

/** Whether an approval by this reviewer counts toward publishing, under the tier's rule. */
export function approvalCounts(approval: TierApproval, authorId: string, reviewerId: string): boolean {
  return selfApproval({ startedBy: authorId, verdict: "approve", approval }, reviewerId).ok;
}

export const postmortemPolicy = {
  "postmortem.start": { needs: "editor" } as Rule,
  "postmortem.edit": {
    needs: "editor",
    when: (pm) => {
      const frozen = postmortemFrozen(pm.status);
      return frozen ? readOnly(frozen) : ALLOWED;
    },
  } as Rule<PostmortemSubject>,
  "postmortem.request-review": { needs: "editor" } as Rule,
  "postmortem.review": { needs: "editor", when: (review, actor) => selfApproval(review, actor.userId) } as Rule<ReviewSubject>,
  "postmortem.publish": { needs: "editor" } as Rule,
  "postmortem.reopen": { needs: "editor" } as Rule,
};
