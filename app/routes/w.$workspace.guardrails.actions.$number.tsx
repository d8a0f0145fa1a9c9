import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { abilities, memberActor } from "~/http/authorize.server";
import { can } from "~/domain/policy/rules";
import { formProblem } from "~/http/outcomes.server";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import type { ActionStatus } from "#db/schema";
import { Field, FormError, SelectField, TextAreaField, typedValue, type FormState } from "~/components/form";
import { PageHead } from "~/components/page-head";
import { GateStatePill } from "~/components/gate-evidence";
import { WorkspaceRouteError } from "~/components/route-error";
import { changeActionStatus, findAction, gateChoices, gateSighting, updateAction } from "~/domain/guardrails/index.server";
import {
  ACTION_KINDS,
  ACTION_STATUSES,
  actionReference,
  FACTOR_CATEGORIES,
  GATE_STATUSES,
  isOverdue,
  todayUtc,
  transitionProblem,
} from "~/domain/guardrails/rules";
import { incidentReference } from "~/domain/incidents/rules";
import { listMembers } from "~/domain/workspaces/index.server";
import { formatUtc } from "~/forms/fields";
import { ActionDetailsForm, StatusChangeForm } from "~/forms/guardrail-forms";
import { database } from "~/http/db.server";
import { formFailure, invalid, parseForm, submittedValues } from "~/http/forms.server";
import { notFound, requireNumberParam } from "~/http/params.server";
import { requireAbility } from "~/http/authorize.server";
import { requireMember } from "~/http/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${actionReference(data.action.number)} ${data.action.title} · Hindsight` : "Guardrail action · Hindsight" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireMember(request, params.workspace);
  const { workspace } = access;
  const number = requireNumberParam(params.number);
  const db = await database();
  const action = await findAction(db, workspace.id, number);
  if (!action) throw notFound("Action not found");
  const canEdit = can(memberActor(access), "action.edit");
  const [sighting, members, gates] = await Promise.all([
    action.gate_id ? gateSighting(db, workspace.id, action.gate_id) : null,
    canEdit ? listMembers(db, workspace.id) : [],
    canEdit ? gateChoices(db, workspace.id) : [],
  ]);
  return {
    slug: workspace.slug,
    abilities: abilities(access),
    action,
    overdue: isOverdue(action.status, action.due_on, todayUtc()),
    gateLastSeenUrl: sighting?.last_seen_url ?? null,
    members: members.map((m) => ({ id: m.id, name: m.display_name })),
    gates: gates.map((g) => ({ id: g.id, name: g.name })),
  };
}

const EditDetailsForm = ActionDetailsForm.extend({ expectedVersion: z.coerce.number().int().positive() });

export async function action({ request, params }: ActionFunctionArgs) {
  const { workspace, user } = await requireAbility(request, params.workspace, "action.edit");
  const number = requireNumberParam(params.number);
  const formData = await request.formData();
  const intent = formData.get("intent");
  const db = await database();
  let result;
  if (intent === "status") {
    const parsed = parseForm(StatusChangeForm, formData);
    if (!parsed.ok) return invalid(parsed);
    const { to, expectedVersion, reason, evidenceUrl, evidenceNote } = parsed.data;
    result = await changeActionStatus(db, user, workspace.id, number, { to, expectedVersion, reason, evidenceUrl, evidenceNote });
  } else if (intent === "details") {
    const parsed = parseForm(EditDetailsForm, formData);
    if (!parsed.ok) return invalid(parsed);
    const { expectedVersion, ...input } = parsed.data;
    result = await updateAction(db, user, workspace.id, number, expectedVersion, input);
  } else {
    return formFailure(formData, { formError: "Unknown action." });
  }
  if (result.ok) return redirect(`/w/${workspace.slug}/guardrails/actions/${number}`);
  if (result.kind === "conflict") {
    // A stale version, or a move the stored status doesn't allow: nothing was saved.
    return data({ ok: false as const, fieldErrors: {}, values: submittedValues(formData), conflict: result.message ?? "This action changed meanwhile." }, { status: 409 });
  }
  return formProblem(formData, result);
}

export { revalidateAfterConflict as shouldRevalidate } from "~/components/revalidate";

const SIMPLE_MOVES: Partial<Record<ActionStatus, string>> = { open: "Mark as open", in_progress: "Mark as in progress", done: "Mark as done" };

export default function ActionPage() {
  const { slug, abilities, action: a, overdue, gateLastSeenUrl, members, gates } = useLoaderData<typeof loader>();
  const canEdit = abilities["action.edit"] === true;
  const result = useActionData<typeof action>();
  const conflict = result && "conflict" in result ? result.conflict : null;
  const failure = result && !conflict ? (result as FormState) : undefined;
  const failedIntent = typedValue(failure, "intent");
  const statusFailure = failedIntent === "status" ? failure : undefined;
  const detailsFailure = failedIntent === "details" ? failure : undefined;
  const reference = actionReference(a.number);
  const postmortemUrl = `/w/${slug}/incidents/${a.incident_number}/postmortem`;
  return (
    <>
      <PageHead title={`${reference} · ${a.title}`} description={ACTION_KINDS[a.kind]} />
      <nav aria-label="Chain" className="chain">
        <ol>
          <li>
            <Link to={`/w/${slug}/incidents/${a.incident_number}`}>
              {incidentReference(a.incident_number)} {a.incident_title}
            </Link>
          </li>
          <li>
            <Link to={postmortemUrl}>Postmortem</Link>
          </li>
          <li>
            <Link to={postmortemUrl} title={a.factor_text}>
              Factor: {FACTOR_CATEGORIES[a.factor_category]}
            </Link>
          </li>
          <li aria-current="page">{reference}</li>
          <li>{a.gate_id ? <Link to={`/w/${slug}/gates/${a.gate_id}`}>Gate: {a.gate_name}</Link> : <span className="muted">No gate yet</span>}</li>
        </ol>
      </nav>
      {conflict ? (
        <section className="card conflict" role="alert" aria-labelledby="conflict-title">
          <h2 id="conflict-title">Nothing was saved: this action changed while you were looking at it</h2>
          <p>{conflict}</p>
          <p className="muted">The page now shows what is saved. Your edits to the details are still in their form below.</p>
        </section>
      ) : null}
      <div className="layout-side">
        <div>
          {a.drift_reason ? (
            <p className="drift-reason" role="note" aria-label="Why this action is back in progress">
              <strong>Back in progress:</strong> {a.drift_reason}
            </p>
          ) : null}
          <section className="card" aria-labelledby="facts-title">
            <h2 id="facts-title">Details</h2>
            <blockquote className="factor-quote">
              <span className="muted">Contributing factor · {FACTOR_CATEGORIES[a.factor_category]}</span>
              <p className="pre-line">{a.factor_text}</p>
            </blockquote>
            <dl className="facts">
              <div>
                <dt>Owner</dt>
                <dd>{a.owner_name ?? <span className="muted">No owner yet</span>}</dd>
              </div>
              <div>
                <dt>Due</dt>
                <dd>
                  {a.due_on ?? <span className="muted">No due date</span>} {overdue ? <span className="badge overdue">Overdue</span> : null}
                </dd>
              </div>
              <div>
                <dt>Kind</dt>
                <dd>{ACTION_KINDS[a.kind]}</dd>
              </div>
              <div>
                <dt>Gate</dt>
                <dd>
                  {a.gate_id ? (
                    <>
                      <Link to={`/w/${slug}/gates/${a.gate_id}`}>{a.gate_name}</Link>{" "}
                      {a.gate_status ? <span className={`status-pill small gate-${a.gate_status}`}>{GATE_STATUSES[a.gate_status]}</span> : null}{" "}
                      {a.gate_state && a.gate_status !== "retired" ? <GateStatePill state={a.gate_state} /> : null}
                    </>
                  ) : (
                    <span className="muted">None yet</span>
                  )}
                </dd>
              </div>
              <div>
                <dt>Gate last seen enforced</dt>
                <dd>
                  {a.gate_last_seen_at ? (
                    gateLastSeenUrl ? (
                      <a href={gateLastSeenUrl} rel="noopener noreferrer">
                        {formatUtc(a.gate_last_seen_at)}
                      </a>
                    ) : (
                      formatUtc(a.gate_last_seen_at)
                    )
                  ) : (
                    <span className="muted">{a.gate_id ? "Not seen yet" : "—"}</span>
                  )}
                </dd>
              </div>
              <div>
                <dt>Implementing pull request</dt>
                <dd>
                  {a.pr_url ? (
                    <a href={a.pr_url} rel="noopener noreferrer">
                      {a.pr_repository}#{a.pr_number}
                    </a>
                  ) : (
                    <span className="muted">None linked</span>
                  )}
                </dd>
              </div>
            </dl>
          </section>
          <Evidence action={a} />
        </div>
        <aside className="card" aria-labelledby="status-title">
          <h2 id="status-title">Status</h2>
          <p className="actions-row">
            <span className={`status-pill action-${a.status}`} data-testid="action-status">
              {ACTION_STATUSES[a.status]}
            </span>
            {overdue ? <span className="badge overdue">Overdue</span> : null}
          </p>
          {a.status === "wont_do" && a.wont_do_reason ? <p className="pre-line">Won&rsquo;t do: {a.wont_do_reason}</p> : null}
          {canEdit ? <StatusForms status={a.status} version={a.version} failure={statusFailure} /> : null}
        </aside>
      </div>
      {canEdit ? (
        <section className="card" aria-labelledby="edit-title">
          <details className="edit guardrail-edit" open={Boolean(detailsFailure) || (conflict !== null && typedValue(result, "intent") === "details")}>
            <summary id="edit-title">Edit details</summary>
            <DetailsForm action={a} members={members} gates={gates} state={detailsFailure ?? (conflict ? (result as FormState) : undefined)} />
          </details>
        </section>
      ) : null}
    </>
  );
}

type ActionView = ReturnType<typeof useLoaderData<typeof loader>>["action"];

function Evidence({ action: a }: { action: ActionView }) {
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
          Verified {a.verified_by_name ? `by ${a.verified_by_name}` : "when its gate's check run was seen"} on {formatUtc(a.verified_at)}
        </p>
      ) : null}
    </section>
  );
}

/** One small form per allowed move; verified asks for evidence and won't do for a reason. */
function StatusForms({ status, version, failure }: { status: ActionStatus; version: number; failure?: FormState }) {
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
          <TextAreaField id="status-evidence-note" name="evidenceNote" label="Evidence note" rows={3} maxLength={4000} state={stateFor("verified")} />
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
            <TextAreaField id="status-reason" name="reason" label="Why it won't be done" rows={3} maxLength={2000} state={stateFor("wont_do")} />
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

function DetailsForm({
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
      <Field id="details-title" name="title" label="Title" defaultValue={a.title} state={state} required maxLength={200} />
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

export const ErrorBoundary = WorkspaceRouteError;
