import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { ActionCells } from "~/components/action-row";
import { EmptyState } from "~/components/empty-state";
import { FilterSelect } from "~/components/filters";
import { GuardrailTabs } from "~/components/guardrail-tabs";
import { PageHead } from "~/components/page-head";
import { WorkspaceRouteError } from "~/components/route-error";
import { listAreas, listMembers } from "~/domain/workspaces/index.server";
import { TIER_KEYS } from "~/domain/workspaces/rules";
import { SEVERITIES, incidentReference } from "~/domain/incidents/rules";
import {
  BOARD_DATES,
  BOARD_GROUPS,
  BOARD_PAGE_SIZE,
  BOARD_STATUSES,
  BOARD_VERIFIERS,
  boardFilters,
  boardHref,
  boardQuery,
  FACTOR_CATEGORIES,
  GATE_STATUSES,
  isNarrowed,
  type BoardStatus,
} from "~/domain/guardrails/rules";
import { parseBoardView } from "~/domain/guardrails/forms";
import {
  boardTotals,
  countActions,
  decodeBoardCursor,
  encodeBoardCursor,
  gateBypasses,
  gateChoices,
  guardrailBoard,
  guardrailCounts,
  recurrences,
} from "~/domain/guardrails/index.server";
import { BypassList, GateStatePill } from "~/components/gate-evidence";
import { withImplementedDecisions } from "~/domain/decisions/index.server";
import { trackerLinks } from "~/domain/trackers/index.server";
import { database } from "~/http/db.server";
import { withoutEmptyParams } from "~/http/params.server";
import { requireMember } from "~/http/session.server";
import boardStyles from "~/styles/board.css?url";
import { ColumnHeads } from "~/components/column-heads";

export const meta: MetaFunction = () => [{ title: "Guardrails · Hindsight" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: boardStyles }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace, user } = await requireMember(request, params.workspace);
  const tidy = withoutEmptyParams(request);
  if (tidy) throw tidy;
  const url = new URL(request.url);
  const view = parseBoardView(url.searchParams);
  const filters = boardFilters(view, user.id);
  const db = await database();
  const [page, totals, counts, recurring, total, areas, members, gates, bypasses] = await Promise.all([
    guardrailBoard(db, workspace.id, filters, { after: decodeBoardCursor(url.searchParams.get("after")), limit: BOARD_PAGE_SIZE }),
    boardTotals(db, workspace.id, filters),
    guardrailCounts(db, workspace.id),
    recurrences(db, workspace.id),
    countActions(db, workspace.id),
    listAreas(db, workspace.id),
    listMembers(db, workspace.id),
    gateChoices(db, workspace.id),
    gateBypasses(db, workspace.id, {}, 10),
  ]);
  const [links, actions] = await Promise.all([trackerLinks(db, workspace.id, page.actions.map((a) => a.id)), withImplementedDecisions(db, workspace.id, page.actions)]);
  const tracked = new Map(links.map((l) => [l.actionId, l]));
  return {
    slug: workspace.slug,
    me: user.id,
    view,
    counts,
    total,
    matching: totals.total,
    groupCounts: Object.fromEntries(totals.groups),
    actions: actions.map((a) => ({ ...a, tracker: tracked.get(a.id) ?? null })),
    next: page.next ? encodeBoardCursor(page.next) : null,
    bypasses,
    recurring,
    areas: areas.map((a) => ({ slug: a.slug, name: a.name })),
    members: members.map((m) => ({ id: m.id, name: m.display_name })),
    gates: gates.map((g) => ({ id: g.id, name: g.name })),
  };
}

type Card = { label: string; value: number; status: BoardStatus; tone?: "danger" | "warn" | "ok" };

export default function GuardrailBoard() {
  const { slug, me, view, counts, total, matching, groupCounts, actions, next, bypasses, recurring, areas, members, gates } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const hasRecurring = recurring.categories.length > 0 || recurring.gates.length > 0;
  const cards: Card[] = [
    { label: "Open", value: counts.open, status: "open" },
    { label: "Overdue", value: counts.overdue, status: "overdue", tone: counts.overdue > 0 ? "danger" : undefined },
    { label: "Regressed", value: counts.regressed, status: "regressed", tone: counts.regressed > 0 ? "danger" : undefined },
    { label: "Awaiting verification", value: counts.awaiting_verification, status: "done", tone: counts.awaiting_verification > 0 ? "warn" : undefined },
    { label: "Verified", value: counts.verified, status: "verified", tone: counts.verified > 0 ? "ok" : undefined },
  ];
  // A card's number is the whole workspace's, so its view is that status alone.
  const cardView = (status: BoardStatus) => boardQuery({ status }) === boardQuery({ ...view, group: undefined });
  const moreFilters = Boolean(view.severity || view.from || view.to || view.verifiedBy);
  const nextParams = new URLSearchParams(params);
  if (next) nextParams.set("after", next);
  const firstParams = new URLSearchParams(params);
  firstParams.delete("after");
  const groupName = (id: string | null, label: string | null) =>
    label ?? (view.group === "owner" ? "No owner" : view.group === "gate" ? "No gate" : view.group === "area" ? "No area" : "");
  const columns = 7;
  return (
    <>
      <PageHead
        title="Guardrails"
        description="Actions from postmortems that add or sharpen a gate. An action is finished only when its gate is seen enforced."
      />
      <GuardrailTabs slug={slug} />
      <nav aria-label="Actions across the workspace">
        <ul className="board-cards">
          {cards.map((c) => (
            <li key={c.status}>
              <Link
                to={boardHref(slug, { status: c.status })}
                className={c.tone ? `board-card board-card-${c.tone}` : "board-card"}
                aria-current={cardView(c.status) ? "true" : undefined}
              >
                <span className="board-card-value">{c.value}</span>
                <span className="board-card-label">{c.label}</span>
              </Link>
            </li>
          ))}
        </ul>
      </nav>
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
          <nav className="board-views" aria-label="Saved views">
            <span className="muted">Views:</span>
            <Link to={boardHref(slug, { owner: "me" })}>My open actions</Link>
            <Link to={boardHref(slug, { status: "overdue", group: "owner" })}>Team overdue, by owner</Link>
            <Link to={boardHref(slug, { status: "regressed", group: "gate" })}>Regressed, by gate</Link>
            <Link to={boardHref(slug, { group: "area" })}>Open, by area</Link>
          </nav>
          {/* Keyed by the query: the fields are uncontrolled, so a link to another view must remount them. */}
          <Form method="get" className="filters card board-filters" aria-label="Choose which actions to show" key={params.toString()}>
            <FilterSelect
              idPrefix="view"
              name="status"
              label="Status"
              value={view.status}
              placeholder={BOARD_STATUSES.open}
              options={Object.entries(BOARD_STATUSES)
                .filter(([value]) => value !== "open")
                .map(([value, label]) => ({ value, label }))}
            />
            <FilterSelect
              idPrefix="view"
              name="owner"
              label="Owner"
              value={view.owner === me ? "me" : view.owner}
              placeholder="Anyone"
              options={[{ value: "me", label: "Me" }, { value: "none", label: "No owner" }, ...members.filter((m) => m.id !== me).map((m) => ({ value: m.id, label: m.name }))]}
            />
            <FilterSelect idPrefix="view" name="tier" label="Tier" value={view.tier} options={TIER_KEYS} />
            <FilterSelect
              idPrefix="view"
              name="gate"
              label="Gate"
              value={view.gate}
              options={[{ value: "none", label: "No gate" }, ...gates.map((g) => ({ value: g.id, label: g.name }))]}
            />
            <FilterSelect
              idPrefix="view"
              name="group"
              label="Group by"
              value={view.group}
              placeholder="No grouping"
              options={Object.entries(BOARD_GROUPS).map(([value, label]) => ({ value, label }))}
            />
            {areas.length ? (
              <fieldset className="fieldset board-areas">
                <legend>Areas</legend>
                {areas.map((a) => (
                  <label key={a.slug} className="checkbox">
                    <input type="checkbox" name="area" value={a.slug} defaultChecked={view.areas.includes(a.slug)} /> {a.name}
                  </label>
                ))}
              </fieldset>
            ) : null}
            <details className="board-more" open={moreFilters}>
              <summary>Severity, dates, verified by</summary>
              <div className="filters">
                <FilterSelect idPrefix="view" name="severity" label="Severity" value={view.severity} options={SEVERITIES} />
                <FilterSelect
                  idPrefix="view"
                  name="dates"
                  label="Dates bound"
                  value={view.dates === "opened" ? "" : view.dates}
                  placeholder="When opened"
                  options={Object.entries(BOARD_DATES)
                    .filter(([value]) => value !== "opened")
                    .map(([value, label]) => ({ value, label: `When ${label.toLowerCase()}` }))}
                />
                <div className="field">
                  <label htmlFor="view-from">From</label>
                  <input id="view-from" type="date" name="from" defaultValue={view.from ?? ""} />
                </div>
                <div className="field">
                  <label htmlFor="view-to">To</label>
                  <input id="view-to" type="date" name="to" defaultValue={view.to ?? ""} />
                </div>
                <FilterSelect
                  idPrefix="view"
                  name="verifiedBy"
                  label="Verified by"
                  value={view.verifiedBy}
                  placeholder="Anyone or anything"
                  options={Object.entries(BOARD_VERIFIERS).map(([value, label]) => ({ value, label }))}
                />
              </div>
            </details>
            <div className="board-submit">
              <button type="submit" className="button secondary">
                Show
              </button>
              {isNarrowed(view) || view.group ? <Link to={`/w/${slug}/guardrails`}>Clear</Link> : null}
            </div>
          </Form>
          <p className="board-summary" role="status">
            {matching === 1 ? "1 action matches" : `${matching} actions match`}
            {view.group ? `, grouped by ${BOARD_GROUPS[view.group].toLowerCase()}` : ""}; overdue first, then by due date.
            {matching > actions.length ? ` ${BOARD_PAGE_SIZE} a page.` : ""}
          </p>
          {actions.length === 0 ? (
            <p className="card">No actions match this view.</p>
          ) : (
            <div className="card table-wrap">
              <table className="board-table">
                <caption className="visually-hidden">
                  Guardrail actions{view.group ? `, grouped by ${BOARD_GROUPS[view.group].toLowerCase()}` : ""}, overdue first, then by due date
                </caption>
                <ColumnHeads labels={["Action", "Status", "Owner", "Due", "Gate", "Incident", "Decision"]} />
                {groupsOf(actions).map((group) => (
                  <tbody key={group.key}>
                    {view.group ? (
                      <tr className="board-group">
                        <th scope="rowgroup" colSpan={columns}>
                          {groupName(group.id, group.label)} <span className="muted">· {groupCounts[group.id ?? ""] ?? group.rows.length}</span>
                        </th>
                      </tr>
                    ) : null}
                    {group.rows.map((a) => (
                      <tr key={`${group.key}:${a.id}`} className={a.overdue ? "overdue-row" : undefined}>
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
                        <td>
                          {a.decisions.length ? (
                            a.decisions.map((d, i) => (
                              <span key={d.ref}>
                                {i > 0 ? ", " : null}
                                <Link to={`/w/${slug}/decisions/${d.ref}`} title={d.title}>
                                  {d.ref}
                                </Link>
                              </span>
                            ))
                          ) : (
                            <span className="muted">—</span>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                ))}
              </table>
            </div>
          )}
          <nav className="pager" aria-label="Pages">
            {params.get("after") ? <Link to={`?${firstParams.toString()}`}>First page</Link> : <span />}
            {next ? <Link to={`?${nextParams.toString()}`}>Next {BOARD_PAGE_SIZE} actions</Link> : null}
          </nav>
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

/** Consecutive rows of one group (the page is ordered by group first). */
function groupsOf<T extends { group_id: string | null; group_label: string | null }>(rows: T[]) {
  const groups: { key: string; id: string | null; label: string | null; rows: T[] }[] = [];
  for (const row of rows) {
    const last = groups.at(-1);
    if (last && last.id === row.group_id) last.rows.push(row);
    else groups.push({ key: row.group_id ?? "none", id: row.group_id, label: row.group_label, rows: [row] });
  }
  return groups;
}

export const ErrorBoundary = WorkspaceRouteError;
