/** Postmortems: editors write and move them through review; a published one is read-only. */
import type { PostmortemStatus } from "#db/schema";
import { forbidden, readOnly } from "~/domain/shared/outcomes";
import { ALLOWED, type Rule } from "~/domain/shared/policy";

export type PostmortemSubject = { status: PostmortemStatus };
export type ReviewSubject = { startedBy: string | null; verdict: "approve" | "request_changes" | "comment" };

/** Why a postmortem in this status can't be edited, or null: the one place that says so. */
export function postmortemFrozen(status: PostmortemStatus): string | null {
  return status === "published" ? "This postmortem is published. Reopen it to edit." : null;
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
  // Review exists to get a second pair of eyes: the author's own approval doesn't count.
  "postmortem.review": {
    needs: "editor",
    when: (review, actor) =>
      review.verdict === "approve" && review.startedBy === actor.userId
        ? forbidden("You started this postmortem, so your approval doesn't count. Ask a colleague.")
        : ALLOWED,
  } as Rule<ReviewSubject>,
  "postmortem.publish": { needs: "editor" } as Rule,
  "postmortem.reopen": { needs: "editor" } as Rule,
};
