import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { submitForm } from "~/http/outcomes.server";
import { useActionData, useLoaderData } from "@remix-run/react";
import { ConflictPanel, VersionedEditForm } from "~/components/conflict-panel";
import { IncidentFields } from "~/components/incident-fields";
import { PageHead } from "~/components/page-head";
import { WorkspaceRouteError } from "~/components/route-error";
import { listAreas } from "~/domain/workspaces/index.server";
import { incidentReference } from "~/domain/incidents/rules";
import { findIncident, updateIncident } from "~/domain/incidents/index.server";
import { EditIncidentForm } from "~/domain/incidents/forms";
import { database } from "~/http/db.server";
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
  const db = await database();
  return submitForm(request, EditIncidentForm, ({ version, ...input }) => updateIncident(db, user, workspace.id, number, version, input), `/w/${workspace.slug}/incidents/${number}`);
}

export default function EditIncident() {
  const { slug, incident, areas } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
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
      <VersionedEditForm version={incident.version} state={state} conflict={Boolean(conflict)} cancelTo={`/w/${slug}/incidents/${incident.number}`}>
        <IncidentFields state={state} areas={areas} defaults={{ ...incident, areaIds: incident.areas.map((a) => a.id) }} />
      </VersionedEditForm>
    </>
  );
}

export { revalidateAfterConflict as shouldRevalidate } from "~/components/revalidate";

export const ErrorBoundary = WorkspaceRouteError;
