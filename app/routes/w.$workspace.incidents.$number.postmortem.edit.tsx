import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { WorkspaceRouteError } from "~/components/route-error";
import { FactorsSection } from "~/components/factors-section";
import { TrackedActionsTable } from "~/components/tracked-actions";
import { renderDocumentHtml } from "~/domain/documents/index.server";
import { factorsOfPostmortem, gateBypasses, gateChoices } from "~/domain/guardrails/index.server";
import { incidentReference } from "~/domain/incidents/rules";
import { findIncident } from "~/domain/incidents/index.server";
import { findPostmortem, withTrackedRecords } from "~/domain/postmortems/index.server";
import { listMembers } from "~/domain/workspaces/index.server";
import { CollaborativeDocument } from "~/editor/collaboration/collaborative-document";
import { liveSession, type DocumentJSON } from "~/domain/documents/rules";
import { database } from "~/http/db.server";
import { notFound, requireNumberParam } from "~/http/params.server";
import { memberActor, requireAbility } from "~/http/authorize.server";
import { can } from "~/domain/policy/rules";
import { When } from "~/components/when";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Editing ${data.postmortem.title} · Hindsight` : "Postmortem · Hindsight" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireAbility(request, params.workspace, "postmortem.edit");
  const { workspace, user } = access;
  const number = requireNumberParam(params.number);
  const db = await database();
  const [postmortem, incident, members, gates, bypasses] = await Promise.all([
    findPostmortem(db, workspace.id, number),
    findIncident(db, workspace.id, number),
    listMembers(db, workspace.id),
    gateChoices(db, workspace.id),
    gateBypasses(db, workspace.id, {}, 10),
  ]);
  if (!postmortem || !incident) throw notFound("This incident has no postmortem yet.");
  const factors = await factorsOfPostmortem(db, workspace.id, postmortem.id);
  const base = `/w/${workspace.slug}/incidents/${number}/postmortem`;
  if (postmortem.status === "published") throw redirect(base);
  return {
    base,
    slug: workspace.slug,
    // The live blocks' records (ADR 25): editable in place by those who may edit factors.
    tracked: {
      factors,
      gates,
      bypasses: bypasses.map((b) => ({ id: b.id, label: `${b.pr_repository}#${b.pr_number} skipped “${b.check_name}” (${b.gate_name})` })),
      members: members.map((m) => ({ id: m.id, display_name: m.display_name })),
      canEdit: can(memberActor(access), "factor.edit") && can(memberActor(access), "action.create"),
      defaultTier: incident.tier,
    },
    incident: { number, title: incident.title, timeline: incident.timeline.map((e) => ({ id: e.id, at: e.occurred_at, kind: e.kind, text: e.text })) },
    postmortem: {
      id: postmortem.id,
      title: postmortem.title,
      version: postmortem.version,
      status: postmortem.status,
      body: postmortem.body as unknown as DocumentJSON,
      html: renderDocumentHtml(withTrackedRecords(postmortem.body as unknown as DocumentJSON, workspace.slug, factors)),
      updatedByName: postmortem.updated_by_name,
      updatedAt: postmortem.updated_at,
    },
    // The live room of this text, and who you are in it (docs/decisions/0029).
    live: liveSession({ store: "postmortem", recordId: postmortem.id }, user),
    // Names the blameless hints watch for as the subject of a failure.
    names: [...new Set(members.flatMap((m) => [m.display_name, m.display_name.split(" ")[0] ?? ""]).filter((n) => n.length > 1))],
  };
}

export default function EditPostmortem() {
  const { base, slug, tracked, incident, postmortem, names, live } = useLoaderData<typeof loader>();
  return (
    <CollaborativeDocument
      // Loader JSON types erase the document's shape; it is the DocumentJSON the server validated.
      document={{ ...postmortem, body: postmortem.body as unknown as DocumentJSON }}
      saveUrl={`${base}/save`}
      label="Postmortem body"
      titleFieldId="postmortem-title"
      context={
        <>
          <Link to={base}>Back to the postmortem</Link> · {incidentReference(incident.number)} {incident.title}
        </>
      }
      names={names}
      tracked={(kind) =>
        kind === "factors" ? (
          <FactorsSection
            slug={slug}
            factors={tracked.factors}
            gates={tracked.gates}
            bypasses={tracked.bypasses}
            members={tracked.members}
            canEdit={tracked.canEdit}
            editable
            defaultTier={tracked.defaultTier}
            actionUrl={`${base}?index`}
            embedded
          />
        ) : (
          <TrackedActionsTable slug={slug} factors={tracked.factors} />
        )
      }
      live={live}
      side={<IncidentTimeline incident={incident} workspaceSlug={base.split("/")[2] ?? ""} />}
    />
  );
}

function IncidentTimeline({
  incident,
  workspaceSlug,
}: {
  incident: { number: number; timeline: { id: string; at: string | Date; kind: string; text: string }[] };
  workspaceSlug: string;
}) {
  return (
    <section className="editor-timeline" aria-labelledby="timeline-title">
      <h2 id="timeline-title">Incident timeline</h2>
      {incident.timeline.length === 0 ? (
        <p className="muted">
          No events yet. <Link to={`/w/${workspaceSlug}/incidents/${incident.number}`}>Add them on the incident</Link>.
        </p>
      ) : (
        <ol className="timeline">
          {incident.timeline.map((e) => (
            <li key={e.id}>
              <time dateTime={new Date(e.at).toISOString()}><When at={e.at} /></time> <span className="badge">{e.kind}</span>
              <p className="pre-line">{e.text}</p>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

export const ErrorBoundary = WorkspaceRouteError;
