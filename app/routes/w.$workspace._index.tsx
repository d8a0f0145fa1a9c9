import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { OverdueGuardrails } from "~/components/overdue-guardrails";
import { PageHead } from "~/components/page-head";
import { WorkspaceRouteError } from "~/components/route-error";
import { listAreas, listMembers, listTiers } from "~/domain/workspaces/index.server";
import { overdueActionsFor } from "~/domain/integrations/index.server";
import { roleAllows } from "~/domain/workspaces/rules";
import { database } from "~/http/db.server";
import { requireMember } from "~/http/session.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace, role, user } = await requireMember(request, params.workspace);
  const db = await database();
  const [tiers, areas, members, overdue] = await Promise.all([
    listTiers(db, workspace.id),
    listAreas(db, workspace.id),
    listMembers(db, workspace.id),
    overdueActionsFor(db, workspace.id, user.id),
  ]);
  return {
    slug: workspace.slug,
    name: workspace.name,
    isAdmin: roleAllows(role, "admin"),
    tierCount: tiers.length,
    areaCount: areas.length,
    memberCount: members.length,
    overdue,
  };
}

export default function WorkspaceOverview() {
  const w = useLoaderData<typeof loader>();
  return (
    <>
      <PageHead title={w.name} description="Incidents, what they taught you, and the guardrails that keep it from happening again." />
      <OverdueGuardrails slug={w.slug} actions={w.overdue} />
      <section className="card" aria-labelledby="start-title">
        <h2 id="start-title">Getting started</h2>
        <ol className="steps">
          <li>
            <div>
              <strong>Check your risk tiers and critical areas.</strong>
              <p className="muted">
                This workspace starts with {w.tierCount} tiers (T0 low to T3 systemic) and {w.areaCount} critical areas.{" "}
                <Link to={`/w/${w.slug}/settings#catalog`}>Review them in Settings</Link>.
              </p>
            </div>
          </li>
          <li>
            <div>
              <strong>Bring your team.</strong>
              <p className="muted">
                {w.memberCount === 1 ? "You are the only member so far." : `${w.memberCount} people are members.`}{" "}
                {w.isAdmin ? <Link to={`/w/${w.slug}/settings#members`}>Create an invite link</Link> : "An admin can invite more people."}
              </p>
            </div>
          </li>
          <li>
            <div>
              <strong>Record an incident and write its postmortem.</strong>
              <p className="muted">
                Start from <Link to={`/w/${w.slug}/incidents`}>Incidents</Link>. Each contributing factor becomes a guardrail
                action that is finished only when its gate is seen enforced.
              </p>
            </div>
          </li>
        </ol>
      </section>
    </>
  );
}

export const ErrorBoundary = WorkspaceRouteError;
