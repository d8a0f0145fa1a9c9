import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { formProblem } from "~/http/outcomes.server";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Field, FieldError, FormError, SelectField, typedValue, type FormState } from "~/components/form";
import { PageHead } from "~/components/page-head";
import { DecidersField } from "~/components/deciders-field";
import { listMembers } from "~/domain/workspaces/index.server";
import { WorkspaceRouteError } from "~/components/route-error";
import { DECISION_KIND_LABELS, DECISION_KINDS, DECISION_STATUS_LABELS, DECISION_STATUSES, parseDecisionReference } from "~/domain/decisions/rules";
import { createDecision, listDecisionTemplates } from "~/domain/decisions/index.server";
import { NewDecisionForm } from "~/domain/decisions/forms";
import { database } from "~/http/db.server";
import { invalid, parseForm } from "~/http/forms.server";
import { requireAbility } from "~/http/authorize.server";
import { LIMITS } from "~/domain/shared/limits";

export const meta: MetaFunction = () => [{ title: "New decision record · Hindsight" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace } = await requireAbility(request, params.workspace, "decision.create");
  const members = await listMembers(await database(), workspace.id);
  const url = new URL(request.url);
  const kind = url.searchParams.get("kind") === "rfc" ? "rfc" : "adr";
  const supersedes = parseDecisionReference(url.searchParams.get("supersedes") ?? "");
  return {
    slug: workspace.slug,
    kind,
    supersedes: supersedes ? `${DECISION_KIND_LABELS[supersedes.kind]}-${supersedes.number}` : "",
    templates: listDecisionTemplates(),
    members: members.map((m) => ({ id: m.id, display_name: m.display_name })),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { workspace, user } = await requireAbility(request, params.workspace, "decision.create");
  const formData = await request.formData();
  const parsed = parseForm(NewDecisionForm, formData);
  if (!parsed.ok) return invalid(parsed);
  const created = await createDecision(await database(), user, workspace.id, parsed.data);
  if (!created.ok) return formProblem(formData, created);
  return redirect(`/w/${workspace.slug}/decisions/${created.ref}/edit`);
}

export default function NewDecision() {
  const { slug, kind, supersedes, templates, members } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>() as FormState;
  const busy = useNavigation().state === "submitting";
  const chosenKind = typedValue(state, "kind") ?? kind;
  const chosenTemplate = typedValue(state, "template") ?? templates.find((t) => t.kind === chosenKind)?.key ?? templates[0]?.key;
  return (
    <>
      <PageHead
        title={`New ${DECISION_KIND_LABELS[chosenKind as "adr" | "rfc"] ?? "decision record"}`}
        description={<Link to={`/w/${slug}/decisions`}>Back to the decision log</Link>}
      />
      <FormError state={state} />
      <Form method="post" className="form card" noValidate>
        <fieldset className="fieldset">
          <legend>Kind</legend>
          <div className="checkbox-grid">
            {DECISION_KINDS.map((k) => (
              <label key={k} className="checkbox">
                <input type="radio" name="kind" value={k} defaultChecked={k === chosenKind} />{" "}
                {k === "adr" ? "ADR · a decision, numbered ADR-n" : "RFC · a proposal for comment, numbered RFC-n"}
              </label>
            ))}
          </div>
          <FieldError id="field-kind-error" errors={state?.fieldErrors?.kind} />
        </fieldset>
        <Field name="title" label="Title" hint="The decision in a few words, e.g. “Require a second reviewer for T2 changes”." state={state} required maxLength={LIMITS.title} />
        <fieldset className="fieldset" aria-describedby={state?.fieldErrors?.template ? "field-template-error" : undefined}>
          <legend>Start from a template</legend>
          <div className="template-choices">
            {templates.map((t) => (
              <label key={t.key} className="template-choice">
                <input type="radio" name="template" value={t.key} defaultChecked={t.key === chosenTemplate} />
                <span>
                  <strong>{t.name}</strong>
                  <span className="muted"> {t.description}</span>
                </span>
              </label>
            ))}
          </div>
          <FieldError id="field-template-error" errors={state?.fieldErrors?.template} />
        </fieldset>
        <div className="grid-3">
          <SelectField
            name="status"
            label="Status"
            options={DECISION_STATUSES.map((s) => ({ value: s, label: DECISION_STATUS_LABELS[s] }))}
            defaultValue="proposed"
            state={state}
          />
          <Field name="decidedOn" label="Decided on" type="date" hint="Leave empty until it is decided." state={state} />
          <Field name="supersedes" label="Supersedes (optional)" hint="ADR-3 or RFC-1; that record becomes superseded." defaultValue={supersedes} state={state} maxLength={40} />
        </div>
        <DecidersField members={members} selected={[]} state={state} />
        <Field name="tags" label="Tags" hint="Words separated by commas, e.g. security, ci." state={state} maxLength={LIMITS.tags} />
        <div>
          <button type="submit" className="button" disabled={busy}>
            Create and start writing
          </button>
        </div>
      </Form>
    </>
  );
}

export const ErrorBoundary = WorkspaceRouteError;
