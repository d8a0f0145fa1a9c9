import { Form } from "@remix-run/react";
import type { TierApproval } from "#db/schema";
import { Field, SelectField, type FormState } from "~/components/form";
import { TIER_APPROVAL_LABELS } from "~/domain/postmortems/rules";
import { MAX_APPROVAL_TOLERANCE, TIER_APPROVALS } from "~/domain/workspaces/rules";

const approvalOptions = TIER_APPROVALS.map((a) => ({ value: a, label: TIER_APPROVAL_LABELS[a] }));

/** Settings: who approves a postmortem before it is published, and when a change calls for a renewed approval. */
export function ReviewRulesSettings({
  isAdmin,
  rules,
  failure,
  busy,
}: {
  isAdmin: boolean;
  rules: { t0: TierApproval; t1: TierApproval; tolerance: number };
  failure: FormState;
  busy: boolean;
}) {
  const tolerance = rules.tolerance === 0 ? "Strict: any change to the text after an approval needs a renewed approval." : `A change of up to ${rules.tolerance} characters (inserted plus removed) keeps an approval; more needs a renewed one.`;
  return (
    <section className="card" aria-labelledby="review-rules-title" id="review-rules">
      <h2 id="review-rules-title">Review rules</h2>
      <p className="muted">
        T2 needs a maintainer of an affected area to approve and T3 two approvals, always. An approval is for the version it was given on.
      </p>
      {isAdmin ? (
        <Form method="post" className="form" noValidate>
          <input type="hidden" name="intent" value="save-review-rules" />
          <div className="grid-3">
            <SelectField id="review-rules-t0" name="t0" label="Before publishing at T0" options={approvalOptions} defaultValue={rules.t0} state={failure} />
            <SelectField id="review-rules-t1" name="t1" label="Before publishing at T1" options={approvalOptions} defaultValue={rules.t1} state={failure} />
            <Field
              id="review-rules-tolerance"
              name="tolerance"
              type="number"
              min={0}
              max={MAX_APPROVAL_TOLERANCE}
              inputMode="numeric"
              label="Characters that may change after an approval"
              hint="0 is strict (the default). A typo fix is about 2 to 10 characters, counting what is inserted plus what is removed."
              defaultValue={String(rules.tolerance)}
              state={failure}
            />
          </div>
          <div>
            <button type="submit" className="button secondary" disabled={busy}>
              Save review rules
            </button>
          </div>
        </Form>
      ) : (
        <ul>
          <li>T0: {TIER_APPROVAL_LABELS[rules.t0]}</li>
          <li>T1: {TIER_APPROVAL_LABELS[rules.t1]}</li>
          <li>{tolerance}</li>
        </ul>
      )}
    </section>
  );
}
