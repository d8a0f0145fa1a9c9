import { Form } from "@remix-run/react";
import type { PostmortemStatus, ReviewVerdict } from "#db/schema";
import { formatUtc } from "~/domain/shared/fields";
import { LIMITS } from "~/domain/shared/limits";

type ReviewedPostmortem = {
  status: PostmortemStatus;
  blockers: string[];
  /** Worth a look before publishing, never a block: sections still holding only guidance. */
  warnings?: string[];
  published_at: string | Date | null;
  review_round: number;
  maintainerIds: string[];
  reviews: {
    id: string;
    reviewer_id: string;
    reviewer_name: string;
    verdict: ReviewVerdict;
    comment: string;
    review_round: number;
    created_at: string | Date;
  }[];
};

/** A postmortem's review: what still blocks publishing, the workflow buttons, and the reviews so far. */
export function ReviewPanel({
  postmortem: pm,
  canEdit,
  isAuthor,
  busy,
}: {
  postmortem: ReviewedPostmortem;
  canEdit: boolean;
  isAuthor: boolean;
  busy: boolean;
}) {
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
      {pm.status === "published" ? <p>Published {formatUtc(pm.published_at)}.</p> : null}
      {canEdit ? (
        <div className="form auth-alt">
          {pm.status === "draft" ? (
            <Form method="post">
              <input type="hidden" name="intent" value="request-review" />
              <button type="submit" className="button" disabled={busy}>
                Request review
              </button>
            </Form>
          ) : null}
          {pm.status === "in_review" ? (
            <Form method="post" className="form">
              <input type="hidden" name="intent" value="review" />
              <fieldset className="fieldset">
                <legend>Your verdict</legend>
                {!isAuthor ? (
                  <label className="checkbox">
                    <input type="radio" name="verdict" value="approve" defaultChecked /> Approve
                  </label>
                ) : null}
                <label className="checkbox">
                  <input type="radio" name="verdict" value="request_changes" /> Request changes
                </label>
                <label className="checkbox">
                  <input type="radio" name="verdict" value="comment" defaultChecked={isAuthor} /> Comment only
                </label>
              </fieldset>
              <div className="field">
                <label htmlFor="review-comment">Comment</label>
                <textarea id="review-comment" name="comment" maxLength={LIMITS.note} />
              </div>
              <button type="submit" className="button secondary" disabled={busy}>
                Submit review
              </button>
            </Form>
          ) : null}
          {pm.status === "in_review" ? (
            <Form method="post">
              <input type="hidden" name="intent" value="publish" />
              <button type="submit" className="button" disabled={busy || pm.blockers.length > 0} aria-describedby="publish-note">
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
              <strong>{r.reviewer_name}</strong>{" "}
              <span className="badge">
                {r.verdict === "request_changes" ? "requested changes" : r.verdict === "approve" ? "approved" : "commented"}
              </span>
              {r.review_round !== pm.review_round ? <span className="muted"> (earlier round)</span> : null}
              {pm.maintainerIds.includes(r.reviewer_id) ? <span className="muted"> · maintainer</span> : null}
              <div className="muted">{formatUtc(r.created_at)}</div>
              {r.comment ? <p className="pre-line">{r.comment}</p> : null}
            </li>
          ))}
        </ol>
      )}
    </aside>
  );
}
