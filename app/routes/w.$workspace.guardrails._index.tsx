import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { ActionCells } from "~/components/action-row";
import { EmptyState } from "~/components/empty-state";
import { GuardrailTabs } from "~/components/guardrail-tabs";
import { PageHead } from "~/components/page-head";
import { WorkspaceRouteError } from "~/components/route-error";
import { listAreas, listMembers } from "~/domain/workspaces/index.server";
import { FACTOR_CATEGORIES, GATE_STATUSES } from "~/domain/guardrails/rules";
import { GuardrailView } from "~/domain/guardrails/forms";
import { countActions, gateBypasses, guardrailBoard, guardrailCounts, recurrences } from "~/domain/guardrails/index.server";
import { BypassList, GateStatePill } from "~/components/gate-evidence";
import { incidentReference } from "~/domain/incidents/rules";
import { trackerLinks } from "~/domain/trackers/index.server";
import { database } from "~/http/db.server";
import { requireMember } from "~/http/session.server";

export const meta: MetaFunction = () => [{ title: "Guardrails · Hindsight" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace, user } = await requireMember(request, params.workspace);
  const view = GuardrailView.parse(Object.fromEntries(new URL(request.url).searchParams));
  const ownerId = view.owner === "me" ? user.id : view.owner;
  const db = await database();
  const [actions, counts, recurring, total, areas, members, bypasses] = await Promise.all([
    guardrailBoard(db, workspace.id, { ownerId, areaSlug: view.area || undefined, status: view.status }),
    guardrailCounts(db, workspace.id),
    recurrences(db, workspace.id),
    countActions(db, workspace.id),
    listAreas(db, workspace.id),
    listMembers(db, workspace.id),
    gateBypasses(db, workspace.id, {}, 10),
  ]);
  const tracked = new Map((await trackerLinks(db, workspace.id, actions.map((a) => a.id))).map((l) => [l.actionId, l]));
  return {
    slug: workspace.slug,
    me: user.id,
    counts,
    total,
    actions: actions.map((a) => ({ ...a, tracker: tracked.get(a.id) ?? null })),
    bypasses,
    recurring,
    areas: areas.map((a) => ({ slug: a.slug, name: a.name })),
    members: members.map((m) => ({ id: m.id, name: m.display_name })),
  };
}

export default function GuardrailBoard() {
  const { slug, me, counts, total, actions, bypasses, recurring, areas, members } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const owner = params.get("owner") ?? "";
  const mine = owner === "me" || owner === me;
  const filtered = ["owner", "area", "status"].some((k) => params.get(k));
  const hasRecurring = recurring.categories.length > 0 || recurring.gates.length > 0;
  return (
    <>
      <PageHead
        title="Guardrails"
        description="Actions from postmortems that add or sharpen a gate. An action is finished only when its gate is seen enforced."
      />
      <GuardrailTabs slug={slug} />
      <dl className="stats" aria-label="Actions across the workspace">
        <Stat label="Open" value={counts.open} />
        <Stat label="Overdue" value={counts.overdue} tone={counts.overdue > 0 ? "danger" : undefined} />
        <Stat label="Awaiting verification" value={counts.awaiting_verification} tone={counts.awaiting_verification > 0 ? "warn" : undefined} />
        <Stat label="Verified" value={counts.verified} tone={counts.verified > 0 ? "ok" : undefined} />
      </dl>
      {total === 0 ? (
        <EmptyState
          title="No guardrail actions yet"
          action={
            <Link className="button" to={`/w/${slug}/postmortems`}>
              Go to postmortems
            </Link>
          }
        >
          <p>
            Guardrail actions come from the contributing factors of a postmortem. For each factor, name what would have stopped
            the change — a new or sharper gate, a better test, a narrower permission — with an owner and a due date.
          </p>
          <p>
            An action counts as finished only when it is verified with evidence that its gate runs. Gates you already have are
            listed under <Link to={`/w/${slug}/gates`}>Gates</Link>.
          </p>
        </EmptyState>
      ) : (
        <>
          <Form method="get" className="filters card" aria-label="Choose which actions to show">
            <div className="field">
              <label htmlFor="view-status">Status</label>
              <select id="view-status" name="status" defaultValue={params.get("status") ?? "open"}>
                <option value="open">Open</option>
                <option value="closed">Closed</option>
                <option value="all">All</option>
                <option value="regressed">Regressed</option>
              </select>
            </div>
            <div className="field">
              <label htmlFor="view-owner">Owner</label>
              <select id="view-owner" name="owner" defaultValue={mine ? "me" : owner}>
                <option value="">Anyone</option>
                <option value="me">Me</option>
                {members
                  .filter((m) => m.id !== me)
                  .map((m) => (
                    <option key={m.id} value={m.id}>
                      {m.name}
                    </option>
                  ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="view-area">Area</label>
              <select id="view-area" name="area" defaultValue={params.get("area") ?? ""}>
                <option value="">Any</option>
                {areas.map((a) => (
                  <option key={a.slug} value={a.slug}>
                    {a.name}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit" className="button secondary">
              Show
            </button>
            {mine ? null : (
              <Link to="?owner=me" className="button secondary">
                Mine
              </Link>
            )}
            {filtered ? <Link to={`/w/${slug}/guardrails`}>Clear</Link> : null}
          </Form>
          {actions.length === 0 ? (
            <p className="card">No actions match this view.</p>
          ) : (
            <div className="card table-wrap">
              <table>
                <caption className="visually-hidden">Guardrail actions, overdue first, then by due date</caption>
                <thead>
                  <tr>
                    <th scope="col">Action</th>
                    <th scope="col">Status</th>
                    <th scope="col">Owner</th>
                    <th scope="col">Due</th>
                    <th scope="col">Gate</th>
                    <th scope="col">Incident</th>
                  </tr>
                </thead>
                <tbody>
                  {actions.map((a) => (
                    <tr key={a.id} className={a.overdue ? "overdue-row" : undefined}>
                      <ActionCells slug={slug} action={a} />
                      <td>
                        {a.gate_id ? (
                          <>
                            <Link to={`/w/${slug}/gates/${a.gate_id}`}>{a.gate_name}</Link> {a.gate_state ? <GateStatePill state={a.gate_state} /> : null}
                          </>
                        ) : (
                          <span className="muted">—</span>
                        )}
                      </td>
                      <td>
                        <Link to={`/w/${slug}/incidents/${a.incident_number}`} title={a.incident_title}>
                          {incidentReference(a.incident_number)}
                        </Link>{" "}
                        <span className="muted">{FACTOR_CATEGORIES[a.category]}</span>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
      {bypasses.length ? (
        <section className="card" aria-labelledby="bypasses-title">
          <h2 id="bypasses-title">Bypassed gates</h2>
          <p className="muted">Pull requests merged while a required check had failed, or had never passed, on their head commit.</p>
          <BypassList slug={slug} bypasses={bypasses} showGate />
        </section>
      ) : null}
      {hasRecurring ? (
        <section className="card" aria-labelledby="recurring-title">
          <h2 id="recurring-title">Recurring</h2>
          <p className="muted">What keeps coming back: factor categories and gates named in more than one incident.</p>
          <div className="grid-2">
            <div>
              <h3>Factor categories</h3>
              {recurring.categories.length ? (
                <ul className="list-plain recurring">
                  {recurring.categories.map((c) => (
                    <li key={c.category}>
                      <strong>{FACTOR_CATEGORIES[c.category]}</strong> <span className="muted">in {c.incidents} incidents</span>{" "}
                      {c.flagged ? <span className="badge flag">No verified guardrail yet</span> : null}
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="muted">No category has recurred.</p>
              )}
            </div>
            <div>
              <h3>Gates</h3>
              {recurring.gates.length ? (
                <ul className="list-plain recurring">
                  {recurring.gates.map((g) => (
                    <li key={g.id}>
                      <Link to={`/w/${slug}/gates/${g.id}`}>{g.name}</Link>{" "}
                      <span className="muted">
                        {GATE_STATUSES[g.status].toLowerCase()} · in {g.incidents} incidents
                      </span>{" "}
                      {g.flagged ? <span className="badge flag">No verified guardrail yet</span> : null}
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="muted">No gate has been named in more than one incident.</p>
              )}
            </div>
          </div>
        </section>
      ) : null}
    </>
  );
}

function Stat({ label, value, tone }: { label: string; value: number; tone?: "danger" | "warn" | "ok" }) {
  return (
    <div className={tone ? `stat stat-${tone}` : "stat"}>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

export const ErrorBoundary = WorkspaceRouteError;
