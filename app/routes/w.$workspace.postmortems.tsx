import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { EmptyState } from "~/components/empty-state";
import { PageHead } from "~/components/page-head";
import { WorkspaceRouteError } from "~/components/route-error";
import { incidentReference } from "~/domain/incidents/rules";
import { listPostmortems } from "~/domain/postmortems/index.server";
import { POSTMORTEM_STATUS_LABELS } from "~/domain/postmortems/rules";
import { database } from "~/http/db.server";
import { requireMember } from "~/http/session.server";
import { When } from "~/components/when";

export const meta: MetaFunction = () => [{ title: "Postmortems · Hindsight" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace } = await requireMember(request, params.workspace);
  return { slug: workspace.slug, postmortems: await listPostmortems(await database(), workspace.id) };
}

export default function Postmortems() {
  const { slug, postmortems } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHead title="Postmortems" description="Blameless write-ups: what happened, why it got through, and what changes now." />
      {postmortems.length === 0 ? (
        <EmptyState
          title="No postmortems yet"
          action={
            <Link className="button" to={`/w/${slug}/incidents`}>
              Go to incidents
            </Link>
          }
        >
          <p>A postmortem starts from an incident. Open the incident and choose a template to start the write-up.</p>
        </EmptyState>
      ) : (
        <div className="card table-wrap">
          <table>
            <caption className="visually-hidden">Postmortems, most recently edited first</caption>
            <thead>
              <tr>
                <th scope="col">Postmortem</th>
                <th scope="col">Status</th>
                <th scope="col">Incident</th>
                <th scope="col">Last saved</th>
              </tr>
            </thead>
            <tbody>
              {postmortems.map((p) => (
                <tr key={p.id}>
                  <td>
                    <Link to={`/w/${slug}/incidents/${p.incident_number}/postmortem`}>{p.title}</Link>
                  </td>
                  <td>
                    <span className={`status-pill status-${p.status}`}>{POSTMORTEM_STATUS_LABELS[p.status]}</span>
                  </td>
                  <td>
                    {incidentReference(p.incident_number)} <span className={`sev sev-${p.incident_severity}`}>{p.incident_severity}</span>{" "}
                    <span className={`badge tier-${p.incident_tier}`}>{p.incident_tier}</span>
                  </td>
                  <td>
                    <When at={p.updated_at} /> by {p.updated_by_name}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

export const ErrorBoundary = WorkspaceRouteError;
