import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { formProblem } from "~/http/outcomes.server";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { ConflictPanel } from "~/components/conflict-panel";
import { FormError } from "~/components/form";
import { IncidentFields } from "~/components/incident-fields";
import { PageHead } from "~/components/page-head";
import { WorkspaceRouteError } from "~/components/route-error";
import { listAreas } from "~/domain/workspaces/index.server";
import { incidentReference } from "~/domain/incidents/rules";
import { findIncident, updateIncident } from "~/domain/incidents/index.server";
import { EditIncidentForm } from "~/domain/incidents/forms";
import { database } from "~/http/db.server";
import { invalid, parseForm, submittedValues } from "~/http/forms.server";
import { notFound, requireNumberParam } from "~/http/params.server";
import { requireAbility } from "~/http/authorize.server";
import { When } from "~/components/when";

export const meta: MetaFunction = () => [{ title: "Edit incident · Hindsight" }];


export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace } = await requireAbility(request, params.workspace, "incident.edit");
  const number = requireNumberParam(params.number);
  const db = await database();
  const [incident, areas] = await Promise.all([findIncident(db, workspace.id, number), listAreas(db, workspace.id)]);
  if (!incident) throw notFound("Incident not found");
  return { slug: workspace.slug, incident, areas };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { workspace, user } = await requireAbility(request, params.workspace, "incident.edit");
  const number = requireNumberParam(params.number);
  const formData = await request.formData();
  const parsed = parseForm(EditIncidentForm, formData);
  if (!parsed.ok) return invalid(parsed);
  const { version, ...input } = parsed.data;
  const result = await updateIncident(await database(), user, workspace.id, number, version, input);
  if (!result) throw notFound("Incident not found");
  if (result.ok) return redirect(`/w/${workspace.slug}/incidents/${number}`);
  if ("current" in result) {
    // Someone saved first: keep what this user typed and show both versions.
    return data(
      { ok: false as const, fieldErrors: {}, values: submittedValues(formData), conflict: result.current },
      { status: 409 },
    );
  }
  return formProblem(formData, result);
}

export default function EditIncident() {
  const { slug, incident, areas } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const conflict = state && "conflict" in state ? state.conflict : null;
  return (
    <>
      <PageHead title={`Edit ${incidentReference(incident.number)}`} description={incident.title} />
      {conflict ? (
        <ConflictPanel
          thing="incident"
          saved={
            <>
              {conflict.updatedBy ?? "Someone"} saved version {conflict.version} at <When at={conflict.updatedAt} />.
            </>
          }
          discardTo={`/w/${slug}/incidents/${incident.number}`}
          reloadDocument
          rows={[
            { label: "Title", theirs: incident.title, mine: String(state?.values.title ?? "") },
            {
              label: "Severity · status · tier",
              theirs: `${incident.severity} · ${incident.status} · ${incident.tier}`,
              mine: `${String(state?.values.severity ?? "")} · ${String(state?.values.status ?? "")} · ${String(state?.values.tier ?? "")}`,
            },
          ]}
        />
      ) : null}
      <Form method="post" className="form card" noValidate key={incident.version}>
        <FormError state={state} />
        {/* After a conflict the form carries the version now saved, so saving again is a deliberate overwrite. */}
        <input type="hidden" name="version" value={incident.version} />
        <IncidentFields state={state} areas={areas} defaults={{ ...incident, areaIds: incident.areas.map((a) => a.id) }} />
        <div className="inline-form">
          <button type="submit" className="button" disabled={busy}>
            {conflict ? "Save mine over theirs" : busy ? "Saving…" : "Save changes"}
          </button>
          <Link to={`/w/${slug}/incidents/${incident.number}`}>Cancel</Link>
        </div>
      </Form>
    </>
  );
}

export { revalidateAfterConflict as shouldRevalidate } from "~/components/revalidate";

export const ErrorBoundary = WorkspaceRouteError;
