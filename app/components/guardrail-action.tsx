import { Form, useNavigation } from "@remix-run/react";
import type { ActionKind, ActionStatus } from "#db/schema";
import { Field, FormError, SelectField, TextAreaField, typedValue, type FormState } from "~/components/form";
import { ACTION_KINDS, ACTION_STATUSES, transitionProblem } from "~/domain/guardrails/rules";
import { LIMITS } from "~/domain/shared/limits";
import { When } from "~/components/when";

/** What the action page's panels read of an action. */
type ActionView = {
  status: ActionStatus;
  version: number;
  title: string;
  kind: ActionKind;
  owner_id: string | null;
  owner_name: string | null;
  due_on: string | null;
  gate_id: string | null;
  gate_name: string | null;
  pr_url: string | null;
  evidence_url: string | null;
  evidence_note: string | null;
  verified_at: string | Date | null;
  verified_by_name: string | null;
};

const SIMPLE_MOVES: Partial<Record<ActionStatus, string>> = { open: "Mark as open", in_progress: "Mark as in progress", done: "Mark as done" };


export function Evidence({ action: a }: { action: ActionView }) {
  if (!a.evidence_url && !a.evidence_note) return null;
  const current = a.status === "verified";
  return (
    <section className="card" aria-labelledby="evidence-title">
      <h2 id="evidence-title">Evidence</h2>
      {current ? null : <p className="muted">From an earlier verification; the action is no longer verified.</p>}
      {a.evidence_url ? (
        <p>
          <a href={a.evidence_url} rel="noopener noreferrer" className="break">
            {a.evidence_url}
          </a>
        </p>
      ) : null}
      {a.evidence_note ? <p className="pre-line">{a.evidence_note}</p> : null}
      {current && a.verified_at ? (
        <p className="muted">
          Verified {a.verified_by_name ? `by ${a.verified_by_name}` : "when its gate's check run was seen"} on <When at={a.verified_at} />
        </p>
      ) : null}
    </section>
  );
}

/** One small form per allowed move; verified asks for evidence and won't do for a reason. */
export function StatusForms({ status, version, failure }: { status: ActionStatus; version: number; failure?: FormState }) {
  const busy = useNavigation().state === "submitting";
  // The moves this status allows, proof aside: transitionProblem is the one rule, the server checks it again.
  const allowed = (Object.keys(ACTION_STATUSES) as ActionStatus[]).filter(
    (to) => transitionProblem(status, to, { reason: "given", evidenceUrl: "given" }) === null,
  );
  const failedTo = typedValue(failure, "to");
  const stateFor = (to: ActionStatus) => (failedTo === to ? failure : undefined);
  const general = failure?.fieldErrors?.to ?? failure?.fieldErrors?.from ?? failure?.fieldErrors?.expectedVersion;
  const hidden = (to: ActionStatus) => (
    <>
      <input type="hidden" name="intent" value="status" />
      <input type="hidden" name="from" value={status} />
      <input type="hidden" name="to" value={to} />
      <input type="hidden" name="expectedVersion" value={version} />
    </>
  );
  const simple = allowed.filter((to) => SIMPLE_MOVES[to]);
  return (
    <div className="status-forms">
      {general ? (
        <div className="form-error" role="alert">
          {general.join(" ")}
        </div>
      ) : null}
      <FormError state={failure} />
      {simple.length ? (
        <div className="actions-row">
          {simple.map((to) => (
            <Form method="post" key={to}>
              {hidden(to)}
              <button type="submit" className="button secondary small" disabled={busy}>
                {SIMPLE_MOVES[to]}
              </button>
            </Form>
          ))}
        </div>
      ) : null}
      {allowed.includes("verified") ? (
        <Form method="post" className="form" noValidate aria-labelledby="verify-title">
          <h3 id="verify-title">Verify</h3>
          <p className="hint">Verified means the gate is seen enforced: link a check run, or note what you saw.</p>
          {hidden("verified")}
          <Field id="status-evidence-url" name="evidenceUrl" label="Evidence URL" type="url" placeholder="https://github.com/…/runs/…" state={stateFor("verified")} />
          <TextAreaField id="status-evidence-note" name="evidenceNote" label="Evidence note" rows={3} maxLength={LIMITS.note} state={stateFor("verified")} />
          <div>
            <button type="submit" className="button" disabled={busy}>
              Mark as verified
            </button>
          </div>
        </Form>
      ) : null}
      {allowed.includes("wont_do") ? (
        <details className="edit" open={failedTo === "wont_do"}>
          <summary>Won&rsquo;t do…</summary>
          <Form method="post" className="form" noValidate>
            {hidden("wont_do")}
            <TextAreaField id="status-reason" name="reason" label="Why it won't be done" rows={3} maxLength={LIMITS.text} state={stateFor("wont_do")} />
            <div>
              <button type="submit" className="button danger small" disabled={busy}>
                Mark as won&rsquo;t do
              </button>
            </div>
          </Form>
        </details>
      ) : null}
    </div>
  );
}

export function DetailsForm({
  action: a,
  members,
  gates,
  state,
}: {
  action: ActionView;
  members: { id: string; name: string }[];
  gates: { id: string; name: string }[];
  state?: FormState;
}) {
  const busy = useNavigation().state === "submitting";
  const ownerOptions = [{ value: "", label: "No owner yet" }, ...members.map((m) => ({ value: m.id, label: m.name }))];
  // Keep a former member or a retired gate visible, so saving never drops them silently.
  if (a.owner_id && !members.some((m) => m.id === a.owner_id)) ownerOptions.push({ value: a.owner_id, label: `${a.owner_name ?? "Someone"} (no longer a member)` });
  const gateOptions = [{ value: "", label: "No gate" }, ...gates.map((g) => ({ value: g.id, label: g.name }))];
  if (a.gate_id && !gates.some((g) => g.id === a.gate_id)) gateOptions.push({ value: a.gate_id, label: `${a.gate_name ?? "Gate"} (retired)` });
  return (
    // Keyed by version: after a conflict it carries the version now saved, so saving again is deliberate.
    <Form method="post" className="form guardrail-form" noValidate key={a.version}>
      <input type="hidden" name="intent" value="details" />
      <input type="hidden" name="expectedVersion" value={a.version} />
      <Field id="details-title" name="title" label="Title" defaultValue={a.title} state={state} required maxLength={LIMITS.title} />
      <div className="grid-3">
        <SelectField
          id="details-kind"
          name="kind"
          label="Kind"
          options={Object.entries(ACTION_KINDS).map(([value, label]) => ({ value, label }))}
          defaultValue={a.kind}
          state={state}
        />
        <SelectField id="details-owner" name="ownerId" label="Owner" options={ownerOptions} defaultValue={a.owner_id ?? ""} state={state} />
        <Field id="details-due" name="dueOn" label="Due date" type="date" defaultValue={a.due_on ?? ""} state={state} />
      </div>
      <div className="grid-2">
        <SelectField id="details-gate" name="gateId" label="Gate" options={gateOptions} defaultValue={a.gate_id ?? ""} state={state} />
        <Field
          id="details-pr"
          name="implementingPrUrl"
          label="Implementing pull request"
          type="url"
          placeholder="https://github.com/owner/repo/pull/123"
          defaultValue={a.pr_url ?? ""}
          state={state}
        />
      </div>
      <div className="inline-form">
        <button type="submit" className="button" disabled={busy}>
          Save details
        </button>
      </div>
    </Form>
  );
}
