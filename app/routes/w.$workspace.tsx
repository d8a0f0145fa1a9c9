import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import reviewWorkflowStyles from "~/styles/review-workflow.css?url";
import { Form, Link, NavLink, Outlet, useLoaderData, useLocation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { KeyboardShortcuts, ShortcutsButton } from "~/components/shortcuts";
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
  const { pathname } = useLocation();
  // Gates live under the Guardrails section of the navigation.
  const onGates = pathname.startsWith(`/w/${workspace.slug}/gates`);
  const menu = useRef<HTMLDetailsElement>(null);
  // On a phone the menu closes once a link in it has taken the reader somewhere.
  useEffect(() => {
    if (menu.current) menu.current.open = false;
  }, [pathname]);
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <div className="shell">
        <header className="sidebar">
          <div className="sidebar-top">
            <NavLink to={`/w/${workspace.slug}`} end className="brand">
              <span className="brand-mark" aria-hidden="true" /> Hindsight
            </NavLink>
            <p className="workspace-name">{workspace.name}</p>
          </div>
          {/*
            Wide screens show the menu's content as a sidebar (shell.css opens it with
            ::details-content); narrow ones show the summary as a Menu button. A <details>, so the
            menu opens and closes without JavaScript and says whether it is open to a screen reader.
          */}
          <details
            className="nav-menu"
            ref={menu}
            onKeyDown={(event) => {
              // Escape closes the open menu and gives focus back to its button.
              if (event.key !== "Escape" || !menu.current?.open || !window.matchMedia("(max-width: 48rem)").matches) return;
              menu.current.open = false;
              menu.current.querySelector("summary")?.focus();
            }}
          >
            <summary className="nav-toggle">
              <span className="nav-toggle-icon" aria-hidden="true" />
              <span>Menu</span>
              {waiting ? <span className="count-badge">{waiting}<span className="visually-hidden"> waiting in your inbox</span></span> : null}
            </summary>
            <div className="nav-menu-body">
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
                <ShortcutsButton />
                <Form method="post" action="/logout">
                  <button type="submit" className="link-button">
                    Log out
                  </button>
                </Form>
              </div>
            </div>
          </details>
        </header>
        <main className="main" id="main">
          <Outlet />
        </main>
      </div>
      <KeyboardShortcuts slug={workspace.slug} />
    </>
  );
}
