import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import reviewWorkflowStyles from "~/styles/review-workflow.css?url";
import { Form, Link, NavLink, Outlet, useLoaderData, useLocation } from "@remix-run/react";
import { WorkspaceSearch } from "~/components/workspace-search";
import { inboxCount } from "~/domain/notifications/index.server";
import { database } from "~/http/db.server";
import { requireMember } from "~/http/session.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: reviewWorkflowStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.workspace.name} · Hindsight` : "Hindsight" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, workspace, role } = await requireMember(request, params.workspace);
  const waiting = await inboxCount(await database(), workspace.id, user.id);
  return { user, role, waiting, workspace: { slug: workspace.slug, name: workspace.name } };
}

const SECTIONS = [
  { to: "incidents", label: "Incidents" },
  { to: "postmortems", label: "Postmortems" },
  { to: "guardrails", label: "Guardrails" },
  { to: "decisions", label: "Decisions" },
  { to: "insights", label: "Insights" },
  { to: "search", label: "Search" },
  { to: "settings", label: "Settings" },
] as const;

export default function WorkspaceShell() {
  const { user, role, waiting, workspace } = useLoaderData<typeof loader>();
  // Gates live under the Guardrails section of the navigation.
  const onGates = useLocation().pathname.startsWith(`/w/${workspace.slug}/gates`);
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <div className="shell">
        <aside className="sidebar">
          <NavLink to={`/w/${workspace.slug}`} end className="brand">
            <span className="brand-mark" aria-hidden="true" /> Hindsight
          </NavLink>
          <p className="workspace-name">{workspace.name}</p>
          <WorkspaceSearch slug={workspace.slug} />
          <nav aria-label="Workspace">
            <ul className="nav">
              <li>
                <NavLink to={`/w/${workspace.slug}`} end prefetch="intent" aria-label={`Inbox, ${waiting} waiting`}>
                  Inbox {waiting ? <span className="count-badge" aria-hidden="true">{waiting}</span> : null}
                </NavLink>
              </li>
              {SECTIONS.map((s) => (
                <li key={s.to}>
                  {s.to === "guardrails" && onGates ? (
                    <Link to={`/w/${workspace.slug}/${s.to}`} aria-current="page">
                      {s.label}
                    </Link>
                  ) : (
                    <NavLink to={`/w/${workspace.slug}/${s.to}`} prefetch="intent">
                      {s.label}
                    </NavLink>
                  )}
                </li>
              ))}
            </ul>
          </nav>
          <div className="sidebar-foot">
            <span>
              {user.display_name} <span className={`badge role-${role}`}>{role}</span>
            </span>
            <a href="/account">Your account</a>
            <a href="/workspaces/new">Switch or create workspace</a>
            <Form method="post" action="/logout">
              <button type="submit" className="link-button">
                Log out
              </button>
            </Form>
          </div>
        </aside>
        <main className="main" id="main">
          <Outlet />
        </main>
      </div>
    </>
  );
}
