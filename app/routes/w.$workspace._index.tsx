import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { OverdueGuardrails } from "~/components/overdue-guardrails";
import { PageHead } from "~/components/page-head";
import { WorkspaceRouteError } from "~/components/route-error";
import { listAreas, listTiers } from "~/domain/catalog.server";
import { overviewHeadline } from "~/domain/insights/index.server";
import { formatDays } from "~/domain/insights/rules";
import { overdueActionsFor } from "~/domain/reminders.server";
import { roleAllows } from "~/domain/roles";
import { listMembers } from "~/domain/workspaces.server";
import { database } from "~/http/db.server";
import { requireMember } from "~/http/session.server";
import insightsStyles from "~/styles/insights.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: insightsStyles }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace, role, user } = await requireMember(request, params.workspace);
  const db = await database();
  const [tiers, areas, members, overdue, headline] = await Promise.all([
    listTiers(db, workspace.id),
    listAreas(db, workspace.id),
    listMembers(db, workspace.id),
    overdueActionsFor(db, workspace.id, user.id),
    overviewHeadline(db, workspace.id),
  ]);
  return {
    slug: workspace.slug,
    name: workspace.name,
    isAdmin: roleAllows(role, "admin"),
    tierCount: tiers.length,
    areaCount: areas.length,
    memberCount: members.length,
    overdue,
    headline,
  };
}

export default function WorkspaceOverview() {
  const w = useLoaderData<typeof loader>();
  return (
    <>
      <PageHead title={w.name} description="Incidents, what they taught you, and the guardrails that keep it from happening again." />
      <ul className="overview-strip" aria-label="Guardrail follow-through">
        <StripNumber to={`/w/${w.slug}/insights#follow-through`} label="Overdue guardrail actions" value={String(w.headline.overdueActions)} tone={w.headline.overdueActions > 0 ? "danger" : undefined} />
        <StripNumber to={`/w/${w.slug}/insights#follow-through`} label="Median days to verified, last 90 days" value={formatDays(w.headline.medianDaysToVerified)} />
        <StripNumber
          to={`/w/${w.slug}/insights#learning`}
          label="Recurring factors without a verified guardrail"
          value={String(w.headline.flaggedRecurrences)}
          tone={w.headline.flaggedRecurrences > 0 ? "warn" : undefined}
        />
      </ul>
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

/** One headline number of the overview, linking to the insights behind it. */
function StripNumber({ to, label, value, tone }: { to: string; label: string; value: string; tone?: "danger" | "warn" }) {
  return (
    <li>
      <Link className={tone ? `stat stat-${tone}` : "stat"} to={to}>
        <span className="strip-label">{label}</span>
        <strong className="strip-value">{value}</strong>
      </Link>
    </li>
  );
}

export const ErrorBoundary = WorkspaceRouteError;
