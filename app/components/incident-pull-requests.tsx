import { Form, Link } from "@remix-run/react";
import type { AssistedByModel, InferredBy, PullRequestRole } from "#db/schema";
import { Field, SelectField, type FormState } from "~/components/form";
import { tierOptions } from "~/components/tier-badges";
import { ASSISTED, PR_ROLES } from "~/domain/guardrails/rules";

type LinkedPullRequest = {
  id: string;
  url: string;
  repository: string;
  number: number;
  title: string | null;
  role: PullRequestRole;
  tier: string | null;
  /** "webhook" when the tier came from a label on the pull request. */
  tier_source: InferredBy | null;
  assisted: AssistedByModel;
  assisted_source: InferredBy | null;
  state: string;
  /** Gates whose required check this pull request was merged without. */
  bypassed: { gateId: string; gate: string; check: string }[];
};

/** The pull requests linked to an incident (the change that triggered it, the fixes), and linking another. */
export function IncidentPullRequests({
  slug,
  pullRequests,
  canEdit,
  failure,
}: {
  slug: string;
  pullRequests: LinkedPullRequest[];
  canEdit: boolean;
  failure?: FormState;
}) {
  return (
    <section className="card" aria-labelledby="prs-title">
      <h2 id="prs-title">Pull requests</h2>
      {pullRequests.length === 0 ? (
        <p className="muted">No pull requests linked. Link the change that triggered it and the ones that fixed it.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Pull request</th>
                <th scope="col">Role</th>
                <th scope="col">Tier</th>
                <th scope="col">Assisted by a model</th>
                <th scope="col">State</th>
                {canEdit ? (
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {pullRequests.map((p) => (
                <tr key={p.id}>
                  <td>
                    <a href={p.url} rel="noopener noreferrer">
                      {p.repository}#{p.number}
                    </a>
                    {p.title ? <span className="muted"> {p.title}</span> : null}
                    {p.bypassed.map((b) => (
                      <span key={b.gateId}>
                        {" "}
                        <Link to={`/w/${slug}/gates/${b.gateId}`} className="badge overdue" title={`Merged without “${b.check}” passing`}>
                          Bypassed {b.gate}
                        </Link>
                      </span>
                    ))}
                  </td>
                  <td>{PR_ROLES[p.role]}</td>
                  <td>
                    {p.tier ? <span className={`badge tier-${p.tier}`}>{p.tier}</span> : "—"}
                    {p.tier_source === "webhook" ? <span className="muted"> from a label</span> : null}
                  </td>
                  <td>
                    {ASSISTED[p.assisted]}
                    {p.assisted_source === "webhook" ? <span className="muted"> (from the PR)</span> : null}
                  </td>
                  <td>{p.state === "unknown" ? "—" : p.state}</td>
                  {canEdit ? (
                    <td>
                      <Form method="post">
                        <input type="hidden" name="intent" value="unlink-pr" />
                        <input type="hidden" name="pullRequestId" value={p.id} />
                        <button type="submit" className="link-button">
                          Unlink
                          <span className="visually-hidden">
                            {" "}
                            {p.repository}#{p.number}
                          </span>
                        </button>
                      </Form>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {canEdit ? (
        <Form method="post" className="form auth-alt" noValidate>
          <input type="hidden" name="intent" value="link-pr" />
          <Field id="pr-url" name="url" label="Pull request URL" type="url" placeholder="https://github.com/owner/repo/pull/123" state={failure} />
          <div className="grid-3">
            <SelectField
              id="pr-role"
              name="role"
              label="Role"
              options={Object.entries(PR_ROLES).map(([value, label]) => ({ value, label }))}
              state={failure}
            />
            <SelectField
              id="pr-tier"
              name="tier"
              label="Tier of the change"
              options={[{ value: "", label: "Not classified" }, ...tierOptions()]}
              state={failure}
            />
            <SelectField
              id="pr-assisted"
              name="assisted"
              label="Assisted by a model"
              options={Object.entries(ASSISTED).map(([value, label]) => ({ value, label }))}
              defaultValue="unknown"
              state={failure}
            />
          </div>
          <div>
            <button type="submit" className="button secondary">
              Link pull request
            </button>
          </div>
        </Form>
      ) : null}
    </section>
  );
}
