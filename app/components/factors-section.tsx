import { Form, Link, useNavigation } from "@remix-run/react";
import { Field, FieldError, FormError, SelectField, typedValue, type FormState } from "~/components/form";
import { tierOptions } from "~/components/tier-badges";
import { ACTION_KINDS, ACTION_STATUSES, actionReference, FACTOR_CATEGORIES, GATE_INVOLVEMENTS, GATE_KINDS } from "~/domain/guardrails/rules";
import { LIMITS } from "~/domain/shared/limits";
import { Day } from "~/components/when";

type Factor = {
  id: string;
  text: string;
  category: keyof typeof FACTOR_CATEGORIES;
  tier: string;
  no_action_reason: string | null;
  gates: { id: string; name: string; involvement: keyof typeof GATE_INVOLVEMENTS }[];
  pullRequests: { id: string; repository: string; number: number; url: string }[];
  actions: { number: number; title: string; status: keyof typeof ACTION_STATUSES; due_on: string | null; owner_name: string | null; gate_id: string | null; gate_name: string | null }[];
};
type Gate = { id: string; name: string; kind: keyof typeof GATE_KINDS; repository: string; check_name: string };
type Member = { id: string; display_name: string };

const TIER_OPTIONS = tierOptions();
const CATEGORY_OPTIONS = Object.entries(FACTOR_CATEGORIES).map(([value, label]) => ({ value, label }));

/** Contributing factors of a postmortem, each with its guardrail actions: the heart of the loop. */
export function FactorsSection({
  slug,
  factors,
  gates,
  bypasses = [],
  members,
  canEdit,
  editable,
  failure,
  defaultTier,
}: {
  slug: string;
  factors: Factor[];
  gates: Gate[];
  /** Recorded bypasses, offered as evidence for a "gate bypassed" factor. */
  bypasses?: { id: string; label: string }[];
  members: Member[];
  canEdit: boolean;
  /** False once published: factors are then read-only. */
  editable: boolean;
  failure?: FormState & { values?: Record<string, string | string[]> };
  defaultTier: string;
}) {
  const busy = useNavigation().state === "submitting";
  const failedIntent = typedValue(failure, "intent");
  const failedFactor = typedValue(failure, "factorId");
  return (
    <section className="card" aria-labelledby="factors-title">
      <h2 id="factors-title">Contributing factors</h2>
      <p className="muted">
        Conditions that let this happen, not people. Each needs a guardrail action (a sharper gate, a better test, a narrower
        permission, a clearer tier rule) or a recorded reason for none.
      </p>
      {failedIntent === "remove-factor" || failedIntent === "no-action" ? <FormError state={failure} /> : null}
      {factors.length === 0 ? <p>No factors recorded yet.</p> : null}
      {factors.map((f, i) => (
        <article key={f.id} className="factor" aria-labelledby={`factor-${f.id}`}>
          <h3 id={`factor-${f.id}`} className="factor-title">
            <span className="muted">Factor {i + 1}</span> <span className="badge">{FACTOR_CATEGORIES[f.category]}</span>{" "}
            <span className={`badge tier-${f.tier}`}>{f.tier}</span>
          </h3>
          <p className="pre-line">{f.text}</p>
          {f.gates.length ? (
            <p className="muted">
              Gates:{" "}
              {f.gates.map((g, gi) => (
                <span key={g.id}>
                  {gi ? "; " : ""}
                  <Link to={`/w/${slug}/gates/${g.id}`}>{g.name}</Link> {GATE_INVOLVEMENTS[g.involvement]}
                </span>
              ))}
            </p>
          ) : null}
          {f.pullRequests.length ? (
            <p className="muted">
              Pull requests:{" "}
              {f.pullRequests.map((p, pi) => (
                <span key={p.id}>
                  {pi ? ", " : ""}
                  <a href={p.url} rel="noopener noreferrer">
                    {p.repository}#{p.number}
                  </a>
                </span>
              ))}
            </p>
          ) : null}
          {f.actions.length ? (
            <ul className="list-plain action-list">
              {f.actions.map((a) => (
                <li key={a.number}>
                  <Link to={`/w/${slug}/guardrails/actions/${a.number}`}>
                    {actionReference(a.number)} {a.title}
                  </Link>{" "}
                  <span className={`status-pill action-${a.status}`}>{ACTION_STATUSES[a.status]}</span>
                  <span className="muted">
                    {a.owner_name ? ` · ${a.owner_name}` : " · no owner"}
                    {a.due_on ? (
                      <>
                        {" "}
                        · due <Day value={a.due_on} />
                      </>
                    ) : (
                      ""
                    )}
                    {a.gate_name ? ` · gate ${a.gate_name}` : ""}
                  </span>
                </li>
              ))}
            </ul>
          ) : f.no_action_reason ? (
            <p className="notice">No action needed: {f.no_action_reason}</p>
          ) : (
            <p className="blockers">No guardrail action yet.</p>
          )}
          {canEdit && editable ? (
            <div className="factor-forms">
              <details className="edit" open={failedIntent === "create-action" && failedFactor === f.id}>
                <summary>Create a guardrail action</summary>
                <Form method="post" className="form" noValidate>
                  <input type="hidden" name="intent" value="create-action" />
                  <input type="hidden" name="factorId" value={f.id} />
                  <CreateActionFields idPrefix={`act-${f.id}`} state={failedFactor === f.id && failedIntent === "create-action" ? failure : undefined} gates={gates} members={members} />
                  <div>
                    <button type="submit" className="button" disabled={busy}>
                      Create action
                    </button>
                  </div>
                </Form>
              </details>
              {f.actions.length === 0 ? (
                <details className="edit" open={failedIntent === "no-action" && failedFactor === f.id}>
                  <summary>{f.no_action_reason ? "Change the reason for no action" : "Record that no action is needed"}</summary>
                  <Form method="post" className="form" noValidate>
                    <input type="hidden" name="intent" value="no-action" />
                    <input type="hidden" name="factorId" value={f.id} />
                    <Field
                      id={`noaction-${f.id}`}
                      name="reason"
                      label="Why no action"
                      defaultValue={f.no_action_reason ?? ""}
                      state={failedFactor === f.id && failedIntent === "no-action" ? failure : undefined}
                      maxLength={LIMITS.noActionReason}
                    />
                    <div>
                      <button type="submit" className="button secondary small" disabled={busy}>
                        Save reason
                      </button>
                    </div>
                  </Form>
                </details>
              ) : null}
              {f.actions.length === 0 ? (
                <Form method="post">
                  <input type="hidden" name="intent" value="remove-factor" />
                  <input type="hidden" name="factorId" value={f.id} />
                  <button type="submit" className="button danger small" disabled={busy}>
                    Remove factor<span className="visually-hidden"> {i + 1}</span>
                  </button>
                </Form>
              ) : null}
            </div>
          ) : null}
        </article>
      ))}
      {canEdit && editable ? (
        <details className="edit add-factor" open={failedIntent === "add-factor" || factors.length === 0}>
          <summary>Add a factor</summary>
          <Form method="post" className="form" noValidate>
            <FormError state={failedIntent === "add-factor" ? failure : undefined} />
            <input type="hidden" name="intent" value="add-factor" />
            <div className="field">
              <label htmlFor="factor-text">What made this possible</label>
              <p className="hint" id="factor-text-hint">
                A condition or gap in the system, e.g. &ldquo;Config changes skip the canary stage&rdquo;.
              </p>
              <textarea
                id="factor-text"
                name="text"
                maxLength={LIMITS.text}
                defaultValue={failedIntent === "add-factor" ? typedValue(failure, "text") : undefined}
                aria-describedby="factor-text-hint"
                aria-invalid={failedIntent === "add-factor" && failure?.fieldErrors?.text ? true : undefined}
              />
              <FieldError id="factor-text-error" errors={failedIntent === "add-factor" ? failure?.fieldErrors?.text : undefined} />
            </div>
            <div className="grid-3">
              <SelectField id="factor-category" name="category" label="Category" options={CATEGORY_OPTIONS} state={failedIntent === "add-factor" ? failure : undefined} />
              <SelectField id="factor-tier" name="tier" label="Tier" options={TIER_OPTIONS} defaultValue={defaultTier} state={failedIntent === "add-factor" ? failure : undefined} />
            </div>
            {gates.length ? (
              <fieldset className="fieldset">
                <legend>Gates involved</legend>
                <div className="grid-3">
                  {gates.map((g) => (
                    <div className="field" key={g.id}>
                      <label htmlFor={`involve-${g.id}`}>{g.name}</label>
                      <select id={`involve-${g.id}`} name={`gate:${g.id}`} defaultValue="">
                        <option value="">Not involved</option>
                        {Object.entries(GATE_INVOLVEMENTS).map(([value, label]) => (
                          <option key={value} value={value}>
                            {label[0]!.toUpperCase() + label.slice(1)}
                          </option>
                        ))}
                      </select>
                    </div>
                  ))}
                </div>
                <FieldError id="factor-gates-error" errors={failedIntent === "add-factor" ? failure?.fieldErrors?.gates : undefined} />
              </fieldset>
            ) : null}
            {bypasses.length ? (
              <fieldset className="fieldset">
                <legend>Bypasses Hindsight saw</legend>
                <p className="hint">Evidence for a “Gate bypassed” factor: the pull request and its gate (as bypassed) are added to the factor.</p>
                {bypasses.map((b) => (
                  <label key={b.id} className="checkbox">
                    <input type="checkbox" name="bypass" value={b.id} /> {b.label}
                  </label>
                ))}
              </fieldset>
            ) : null}
            <div className="field">
              <label htmlFor="factor-prs">Pull requests involved</label>
              <p className="hint" id="factor-prs-hint">
                GitHub pull request URLs, one a line.
              </p>
              <textarea
                id="factor-prs"
                name="pullRequestUrls"
                rows={2}
                defaultValue={failedIntent === "add-factor" ? typedValue(failure, "pullRequestUrls") : undefined}
                aria-describedby="factor-prs-hint"
                aria-invalid={failedIntent === "add-factor" && failure?.fieldErrors?.pullRequestUrls ? true : undefined}
              />
              <FieldError id="factor-prs-error" errors={failedIntent === "add-factor" ? failure?.fieldErrors?.pullRequestUrls : undefined} />
            </div>
            <div>
              <button type="submit" className="button secondary" disabled={busy}>
                Add factor
              </button>
            </div>
          </Form>
        </details>
      ) : null}
    </section>
  );
}

function CreateActionFields({ idPrefix, state, gates, members }: { idPrefix: string; state?: FormState; gates: Gate[]; members: Member[] }) {
  return (
    <>
      <FormError state={state} />
      <Field id={`${idPrefix}-title`} name="title" label="Action title" state={state} maxLength={LIMITS.title} />
      <div className="grid-3">
        <SelectField
          id={`${idPrefix}-kind`}
          name="kind"
          label="Kind"
          options={Object.entries(ACTION_KINDS).map(([value, label]) => ({ value, label }))}
          state={state}
        />
        <SelectField
          id={`${idPrefix}-owner`}
          name="ownerId"
          label="Owner"
          options={[{ value: "", label: "No owner yet" }, ...members.map((m) => ({ value: m.id, label: m.display_name }))]}
          state={state}
        />
        <Field id={`${idPrefix}-due`} name="dueOn" label="Due date" type="date" state={state} />
      </div>
      <SelectField
        id={`${idPrefix}-gate`}
        name="gateId"
        label="Gate"
        options={[{ value: "", label: "No existing gate" }, ...gates.map((g) => ({ value: g.id, label: `${g.name}${g.check_name ? ` (${g.repository} · ${g.check_name})` : ""}` }))]}
        state={state}
      />
      <fieldset className="fieldset">
        <legend>Or propose a new gate</legend>
        <div className="grid-3">
          <Field id={`${idPrefix}-ng-name`} name="newGateName" label="Or propose a new gate: name" state={state} maxLength={LIMITS.gateName} />
          <SelectField
            id={`${idPrefix}-ng-kind`}
            name="newGateKind"
            label="Gate kind"
            options={Object.entries(GATE_KINDS).map(([value, label]) => ({ value, label }))}
            state={state}
          />
          <Field id={`${idPrefix}-ng-check`} name="newGateCheckName" label="Check name" state={state} maxLength={LIMITS.checkName} />
          <Field id={`${idPrefix}-ng-repo`} name="newGateRepository" label="Repository" placeholder="owner/name" state={state} />
        </div>
      </fieldset>
      <Field id={`${idPrefix}-pr`} name="implementingPrUrl" label="Implementing pull request (optional)" type="url" state={state} />
    </>
  );
}
