import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { abilities } from "~/http/authorize.server";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { EmptyState } from "~/components/empty-state";
import { DateRangeFilter, FilterSelect } from "~/components/filters";
import { PageHead } from "~/components/page-head";
import { WorkspaceRouteError } from "~/components/route-error";
import { listAreas } from "~/domain/workspaces/index.server";
import { formatDuration, incidentReference, INCIDENT_STATUSES, SEVERITIES } from "~/domain/incidents/rules";
import { countIncidents, decodeIncidentCursor, encodeIncidentCursor, listIncidents } from "~/domain/incidents/index.server";
import { TIER_KEYS } from "~/domain/workspaces/rules";
import { IncidentFilters } from "~/domain/incidents/forms";
import { database } from "~/http/db.server";
import { requireMember } from "~/http/session.server";
import { When } from "~/components/when";

export const meta: MetaFunction = () => [{ title: "Incidents · Hindsight" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireMember(request, params.workspace);
  const { workspace } = access;
  const url = new URL(request.url);
  const filters = IncidentFilters.parse(Object.fromEntries(url.searchParams));
  const db = await database();
  const to = filters.to ? new Date(filters.to.getTime() + 24 * 3600 * 1000) : undefined;
  const [page, areas, total] = await Promise.all([
    listIncidents(
      db,
      workspace.id,
      { ...filters, to },
      decodeIncidentCursor(url.searchParams.get("after")),
    ),
    listAreas(db, workspace.id),
    countIncidents(db, workspace.id),
  ]);
  return {
    slug: workspace.slug,
    abilities: abilities(access),
    total,
    areas: areas.map((a) => ({ slug: a.slug, name: a.name })),
    incidents: page.incidents,
    next: page.next ? encodeIncidentCursor(page.next) : null,
  };
}

export default function Incidents() {
  const { slug, abilities, total, areas, incidents, next } = useLoaderData<typeof loader>();
  const canEdit = abilities["incident.create"] === true;
  const [params] = useSearchParams();
  const newButton = canEdit ? (
    <Link className="button" to={`/w/${slug}/incidents/new`}>
      Record an incident
    </Link>
  ) : null;
  if (total === 0) {
    return (
      <>
        <PageHead title="Incidents" description="What broke, when it was detected and mitigated, and which changes were involved." />
        <EmptyState title="No incidents recorded yet" action={newButton}>
          <p>
            When something breaks, record it here with its severity, tier and affected areas, then write a blameless
            postmortem from a template.
          </p>
          {canEdit ? null : <p>Editors and admins can record incidents.</p>}
        </EmptyState>
      </>
    );
  }
  const filtered = ["status", "severity", "tier", "area", "from", "to"].some((k) => params.get(k));
  const nextParams = new URLSearchParams(params);
  if (next) nextParams.set("after", next);
  return (
    <>
      <PageHead title="Incidents" description={`${total} recorded in this workspace.`} actions={newButton} />
      <Form method="get" className="filters card" aria-label="Filter incidents">
        <FilterSelect name="status" label="Status" value={params.get("status")} options={INCIDENT_STATUSES} />
        <FilterSelect name="severity" label="Severity" value={params.get("severity")} options={SEVERITIES} />
        <FilterSelect name="tier" label="Tier" value={params.get("tier")} options={TIER_KEYS} />
        <FilterSelect name="area" label="Area" value={params.get("area")} options={areas.map((a) => ({ value: a.slug, label: a.name }))} />
        <DateRangeFilter from={params.get("from")} to={params.get("to")} labels={["Started from", "Started until"]} />
        <button type="submit" className="button secondary">
          Filter
        </button>
        {filtered ? <Link to={`/w/${slug}/incidents`}>Clear filters</Link> : null}
      </Form>
      {incidents.length === 0 ? (
        <p className="card">No incidents match these filters.</p>
      ) : (
        <div className="card table-wrap">
          <table>
            <caption className="visually-hidden">Incidents, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Incident</th>
                <th scope="col">Severity</th>
                <th scope="col">Status</th>
                <th scope="col">Tier</th>
                <th scope="col">Areas</th>
                <th scope="col">Started</th>
                <th scope="col">To detect</th>
                <th scope="col">To mitigate</th>
              </tr>
            </thead>
            <tbody>
              {incidents.map((i) => (
                <tr key={i.id}>
                  <td>
                    <Link to={`/w/${slug}/incidents/${i.number}`}>
                      <span className="muted">{incidentReference(i.number)}</span> {i.title}
                    </Link>
                  </td>
                  <td className={`sev sev-${i.severity}`}>{i.severity}</td>
                  <td>{i.status}</td>
                  <td>
                    <span className={`badge tier-${i.tier}`}>{i.tier}</span>
                  </td>
                  <td>{i.areas.join(", ") || "—"}</td>
                  <td><When at={i.started_at} /></td>
                  <td>{formatDuration(i.started_at, i.detected_at) ?? "—"}</td>
                  <td>{formatDuration(i.started_at, i.mitigated_at) ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav className="pager" aria-label="Pages">
        {params.get("after") ? <Link to={`?${withoutCursor(params)}`}>Newest</Link> : <span />}
        {next ? <Link to={`?${nextParams.toString()}`}>Older incidents</Link> : null}
      </nav>
    </>
  );
}

function withoutCursor(params: URLSearchParams): string {
  const copy = new URLSearchParams(params);
  copy.delete("after");
  return copy.toString();
}

export const ErrorBoundary = WorkspaceRouteError;
