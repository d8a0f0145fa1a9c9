import { Form } from "@remix-run/react";
import type { PostmortemStatus, ReviewVerdict, TierApproval } from "#db/schema";
import { FieldError } from "~/components/form";
import type { FormState } from "~/components/form";
import { LIMITS } from "~/domain/shared/limits";
import { When } from "~/components/when";

type ReviewedPostmortem = {
  status: PostmortemStatus;
  version: number;
  approval: TierApproval;
  incident_tier: string;
  blockers: string[];
  /** Worth a look before publishing, never a block: sections still holding only guidance. */
  warnings?: string[];
  published_at: string | Date | null;
  review_round: number;
  maintainerIds: string[];
  requests: { reviewer_id: string; reviewer_name: string }[];
  reviews: {
    id: string;
    reviewer_id: string;
    reviewer_name: string;
    verdict: ReviewVerdict;
    comment: string;
    review_round: number;
    postmortem_version: number;
    /** For approvals: whether it still stands for the current text. */
    current: boolean;
    created_at: string | Date;
  }[];
};

export type ReviewerChoice = { id: string; name: string; maintains: string[] };

/** A postmortem's review: what still blocks publishing, the workflow buttons, who was asked, and the reviews so far. */
export function ReviewPanel({
  postmortem: pm,
  canEdit,
  canApprove,
  isAuthor,
  reviewers,
  failure,
  busy,
}: {
  postmortem: ReviewedPostmortem;
  canEdit: boolean;
  /** The policy's answer for an approval by this person (the author's own counts only where the tier's rule says so). */
  canApprove: boolean;
  isAuthor: boolean;
  reviewers: ReviewerChoice[];
  failure: FormState;
  busy: boolean;
}) {
  const asked = new Set(pm.requests.map((r) => r.reviewer_id));
  const notYetAsked = reviewers.filter((r) => !asked.has(r.id));
  const canPublish = pm.blockers.length === 0 && (pm.status === "in_review" || pm.status === "draft");
  return (
    <aside className="card" aria-labelledby="review-title">
      <h2 id="review-title">Review</h2>
      {pm.status !== "published" && pm.blockers.length ? (
        <div className="blockers" role="note">
          <strong>Before it can be published</strong>
          <ul>
            {pm.blockers.map((b) => (
              <li key={b}>{b}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {pm.status === "published" ? <p>Published <When at={pm.published_at} />.</p> : null}
      {pm.status !== "published" && pm.approval !== "other" ? (
        <p className="muted small-text">
          {pm.approval === "none" ? `This workspace publishes ${pm.incident_tier} postmortems without approval.` : `At ${pm.incident_tier}, this workspace counts the author's own approval.`}
        </p>
      ) : null}
      {pm.status === "in_review" && pm.requests.length ? (
        <p className="small-text">
          Asked to review: {pm.requests.map((r) => r.reviewer_name).join(", ")}
        </p>
      ) : null}
      {pm.status !== "published" && pm.warnings?.length ? (
        <div className="blockers publish-warnings">
          <strong>Worth a look before publishing</strong>
          <ul>
            {pm.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {canEdit ? (
        <div className="form auth-alt">
          {pm.status === "draft" || (pm.status === "in_review" && notYetAsked.length) ? (
            <Form method="post" className="form">
              <input type="hidden" name="intent" value="request-review" />
              <ReviewerPicker reviewers={pm.status === "draft" ? reviewers : notYetAsked} failure={failure} />
              <button type="submit" className={pm.status === "draft" ? "button" : "button secondary small"} disabled={busy}>
                {pm.status === "draft" ? "Request review" : "Ask them too"}
              </button>
            </Form>
          ) : null}
          {pm.status === "in_review" ? (
            <Form method="post" className="form">
              <input type="hidden" name="intent" value="review" />
              <fieldset className="fieldset">
                <legend>Your verdict on version {pm.version}</legend>
                {canApprove ? (
                  <label className="checkbox">
                    <input type="radio" name="verdict" value="approve" defaultChecked /> Approve
                  </label>
                ) : null}
                <label className="checkbox">
                  <input type="radio" name="verdict" value="request_changes" /> Request changes
                </label>
                <label className="checkbox">
                  <input type="radio" name="verdict" value="comment" defaultChecked={!canApprove} /> Comment only
                </label>
              </fieldset>
              {isAuthor && canApprove ? <p className="hint muted">You started it; at this tier your own approval counts.</p> : null}
              <div className="field">
                <label htmlFor="review-comment">Comment</label>
                <textarea id="review-comment" name="comment" maxLength={LIMITS.note} />
              </div>
              <button type="submit" className="button secondary" disabled={busy}>
                Submit review
              </button>
            </Form>
          ) : null}
          {pm.status === "in_review" || (pm.status === "draft" && canPublish) ? (
            <Form method="post">
              <input type="hidden" name="intent" value="publish" />
              <button type="submit" className="button" disabled={busy || !canPublish} aria-describedby="publish-note">
                Publish
              </button>
              <p className="hint muted" id="publish-note">
                {pm.blockers.length
                  ? "Publishing opens once the points above are met."
                  : pm.warnings?.length
                    ? "All rules are met. Some sections still hold only the template's guidance (above)."
                    : "All rules are met."}
              </p>
            </Form>
          ) : null}
          {pm.status !== "draft" ? (
            <Form method="post">
              <input type="hidden" name="intent" value="reopen" />
              <button type="submit" className="button secondary small" disabled={busy}>
                {pm.status === "published" ? "Reopen for edits" : "Back to draft"}
              </button>
            </Form>
          ) : null}
        </div>
      ) : null}
      <h3 className="auth-alt">Reviews</h3>
      {pm.reviews.length === 0 ? (
        <p className="muted">No reviews yet.</p>
      ) : (
        <ol className="reviews">
          {pm.reviews.map((r) => (
            <li key={r.id}>
              <strong>{r.reviewer_name}</strong> <span className="badge">{verdictWords(r.verdict)}</span>{" "}
              <span className={r.verdict === "approve" && !r.current ? "stale-approval" : "muted"}>
                version {r.postmortem_version}
                {r.verdict === "approve" && !r.current && r.review_round === pm.review_round ? ", changed since: no longer counts until renewed" : ""}
                {r.verdict === "approve" && r.current && r.postmortem_version !== pm.version ? ", changed since within the workspace's tolerance" : ""}
              </span>
              {r.review_round !== pm.review_round ? <span className="muted"> (earlier round)</span> : null}
              {pm.maintainerIds.includes(r.reviewer_id) ? <span className="muted"> · maintainer</span> : null}
              <div className="muted"><When at={r.created_at} /></div>
              {r.comment ? <p className="pre-line">{r.comment}</p> : null}
            </li>
          ))}
        </ol>
      )}
    </aside>
  );
}

function verdictWords(verdict: ReviewVerdict): string {
  return verdict === "request_changes" ? "requested changes" : verdict === "approve" ? "approved" : "commented";
}

/** Members who may review, the affected areas' maintainers first and marked as suggested. */
function ReviewerPicker({ reviewers, failure }: { reviewers: ReviewerChoice[]; failure: FormState }) {
  const errors = failure?.fieldErrors?.reviewers;
  if (!reviewers.length) return <p className="hint muted">Nobody else here can review yet (editors and admins can). Invite a colleague in Settings.</p>;
  const suggested = reviewers.filter((r) => r.maintains.length);
  const others = reviewers.filter((r) => !r.maintains.length);
  return (
    <fieldset className="fieldset reviewer-picker" aria-describedby={errors?.length ? "reviewers-error" : undefined}>
      <legend>Who should review?</legend>
      {suggested.length ? <p className="hint">Suggested: maintainers of the affected areas</p> : null}
      <ul className="list-plain">
        {[...suggested, ...others].map((r, index) => (
          <li key={r.id} className={index === suggested.length && suggested.length ? "picker-divider" : undefined}>
            <label className="checkbox">
              <input type="checkbox" name="reviewers" value={r.id} /> {r.name}
              {r.maintains.length ? <span className="muted small-text maintains"> · maintains {r.maintains.join(", ")}</span> : null}
            </label>
          </li>
        ))}
      </ul>
      <FieldError id="reviewers-error" errors={errors} />
    </fieldset>
  );
}
