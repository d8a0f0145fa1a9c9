import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { abilities } from "~/http/authorize.server";
import { Link, useLoaderData } from "@remix-run/react";
import { InboxSection } from "~/components/inbox";
import { PageHead } from "~/components/page-head";
import { WorkspaceRouteError } from "~/components/route-error";
import { guardrailCounts } from "~/domain/guardrails/index.server";
import { listIncidents } from "~/domain/incidents/index.server";
import { overviewHeadline } from "~/domain/insights/index.server";
import { formatDays } from "~/domain/insights/rules";
import { todayUtc } from "~/domain/guardrails/rules";
import { inboxFor } from "~/domain/notifications/index.server";
import { listAreas, listMembers, listTiers } from "~/domain/workspaces/index.server";
import { database } from "~/http/db.server";
import { requireMember } from "~/http/session.server";
import insightsStyles from "~/styles/insights.css?url";
import { When } from "~/components/when";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: insightsStyles }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireMember(request, params.workspace);
  const { workspace, user } = access;
  const db = await database();
  const today = todayUtc();
  const [tiers, areas, members, inbox, recent, guardrails, headline] = await Promise.all([
    listTiers(db, workspace.id),
    listAreas(db, workspace.id),
    listMembers(db, workspace.id),
    inboxFor(db, workspace.id, user.id, today),
    listIncidents(db, workspace.id, {}, null, 5),
    guardrailCounts(db, workspace.id),
    overviewHeadline(db, workspace.id),
  ]);
  return {
    slug: workspace.slug,
    name: workspace.name,
    abilities: abilities(access),
    tierCount: tiers.length,
    areaCount: areas.length,
    memberCount: members.length,
    inbox,
    today,
    recent: recent.incidents.map((i) => ({ number: i.number, title: i.title, severity: i.severity, status: i.status, tier: i.tier, startedAt: i.started_at.toISOString() })),
    guardrails,
    headline,
  };
}

type Overview = ReturnType<typeof useLoaderData<typeof loader>>;

export default function WorkspaceOverview() {
  const w = useLoaderData<typeof loader>();
  return (
    <>
      <PageHead title={w.name} description="Incidents, what they taught you, and the guardrails that keep it from happening again." />
      <InboxSection slug={w.slug} inbox={w.inbox} today={w.today} />
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
      {w.recent.length > 0 ? <TeamAtAGlance {...w} /> : <GettingStarted {...w} />}
    </>
  );
}

/** Once incidents are recorded, the overview shows the latest of them and where the guardrail work stands. */
function TeamAtAGlance({ slug, recent, guardrails }: Pick<Overview, "slug" | "recent" | "guardrails">) {
  return (
    <>
      <section className="card" aria-labelledby="recent-title">
        <h2 id="recent-title">Recent incidents</h2>
        <ul className="action-list list-plain">
          {recent.map((i) => (
            <li key={i.number}>
              <Link to={`/w/${slug}/incidents/${i.number}`}>
                INC-{i.number} {i.title}
              </Link>{" "}
              <span className="muted small-text">
                {i.severity} · {i.tier} · {i.status} · started <When at={i.startedAt} />
              </span>
            </li>
          ))}
        </ul>
        <p className="small-text">
          <Link to={`/w/${slug}/incidents`}>All incidents</Link>
        </p>
      </section>
      <section className="card" aria-labelledby="guardrails-title">
        <h2 id="guardrails-title">Guardrail actions</h2>
        <p>
          {guardrails.open} open, {guardrails.overdue} of them overdue; {guardrails.awaiting_verification} done and waiting for their gate to be seen;{" "}
          {guardrails.verified} verified. <Link to={`/w/${slug}/guardrails`}>Open the board</Link>
        </p>
      </section>
    </>
  );
}

function GettingStarted(w: Pick<Overview, "slug" | "tierCount" | "areaCount" | "memberCount" | "abilities">) {
  return (
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
              {w.abilities["member.invite"] ? <Link to={`/w/${w.slug}/settings#members`}>Create an invite link</Link> : "An admin can invite more people."}
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
