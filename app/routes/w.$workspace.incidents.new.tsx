import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { formProblem } from "~/http/outcomes.server";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FormError } from "~/components/form";
import { IncidentFields } from "~/components/incident-fields";
import { PageHead } from "~/components/page-head";
import { WorkspaceRouteError } from "~/components/route-error";
import { listAreas } from "~/domain/workspaces/index.server";
import { createIncident } from "~/domain/incidents/index.server";
import { IncidentForm } from "~/domain/incidents/forms";
import { database } from "~/http/db.server";
import { invalid, parseForm } from "~/http/forms.server";
import { requireAbility } from "~/http/authorize.server";

export const meta: MetaFunction = () => [{ title: "Record an incident · Hindsight" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace } = await requireAbility(request, params.workspace, "incident.create");
  const areas = await listAreas(await database(), workspace.id);
  return { slug: workspace.slug, areas, now: new Date().toISOString() };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { workspace, user } = await requireAbility(request, params.workspace, "incident.create");
  const formData = await request.formData();
  const parsed = parseForm(IncidentForm, formData);
  if (!parsed.ok) return invalid(parsed);
  const result = await createIncident(await database(), user, workspace.id, parsed.data);
  if (!result.ok) return formProblem(formData, result);
  return redirect(`/w/${workspace.slug}/incidents/${result.number}`);
}

export default function NewIncident() {
  const { slug, areas, now } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <>
      <PageHead title="Record an incident" description="The facts first. The postmortem comes after, from a template." />
      <Form method="post" className="form card" noValidate>
        <FormError state={state} />
        <IncidentFields state={state} areas={areas} defaults={{ started_at: now }} />
        <div className="inline-form">
          <button type="submit" className="button" disabled={busy}>
            {busy ? "Recording…" : "Record incident"}
          </button>
          <Link to={`/w/${slug}/incidents`}>Cancel</Link>
        </div>
      </Form>
    </>
  );
}

export const ErrorBoundary = WorkspaceRouteError;
