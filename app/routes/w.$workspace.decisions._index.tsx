import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { abilities } from "~/http/authorize.server";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { EmptyState } from "~/components/empty-state";
import { DateRangeFilter, FilterSelect } from "~/components/filters";
import { PageHead } from "~/components/page-head";
import { WorkspaceRouteError } from "~/components/route-error";
import { DECISION_KIND_LABELS, DECISION_KINDS, DECISION_STATUS_LABELS, DECISION_STATUSES } from "~/domain/decisions/rules";
import { countDecisions, decisionLogPage, decodeDecisionCursor, encodeDecisionCursor, listDecisionTags } from "~/domain/decisions/index.server";
import { DecisionFilters } from "~/domain/decisions/forms";
import { database } from "~/http/db.server";
import { requireMember } from "~/http/session.server";
import { Day } from "~/components/when";
import { ColumnHeads } from "~/components/column-heads";

export const meta: MetaFunction = () => [{ title: "Decisions · Hindsight" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireMember(request, params.workspace);
  const { workspace } = access;
  const url = new URL(request.url);
  const filters = DecisionFilters.parse(Object.fromEntries(url.searchParams));
  const db = await database();
  const [page, tags, total] = await Promise.all([
    decisionLogPage(db, workspace.id, filters, decodeDecisionCursor(url.searchParams.get("after"))),
    listDecisionTags(db, workspace.id),
    countDecisions(db, workspace.id),
  ]);
  const imported = Number(url.searchParams.get("imported"));
  return {
    slug: workspace.slug,
    abilities: abilities(access),
    total,
    tags,
    decisions: page.decisions,
    next: page.next ? encodeDecisionCursor(page.next) : null,
    imported: Number.isSafeInteger(imported) && imported > 0 ? imported : null,
  };
}

const FILTER_KEYS = ["status", "kind", "tag", "from", "to", "q"] as const;

export default function DecisionLog() {
  const { slug, abilities, total, tags, decisions, next, imported } = useLoaderData<typeof loader>();
  const canEdit = abilities["decision.create"] === true;
  const [params] = useSearchParams();
  const base = `/w/${slug}/decisions`;
  const actions = (
    <div className="actions-row">
      {canEdit ? (
        <>
          <Link className="button" to={`${base}/new?kind=adr`}>
            New ADR
          </Link>
          <Link className="button secondary" to={`${base}/new?kind=rfc`}>
            New RFC
          </Link>
          <Link className="button secondary" to={`${base}/import`}>
            Import Markdown
          </Link>
        </>
      ) : null}
      {total > 0 ? (
        <>
          <a className="button secondary" href={`${base}/export.zip`} download>
            Export all (zip)
          </a>
          <a className="button secondary" href={`${base}/index.md`} download>
            Index (Markdown)
          </a>
        </>
      ) : null}
    </div>
  );
  const notice = imported ? (
    <div className="notice" role="status">
      Imported {imported} {imported === 1 ? "record" : "records"}.
    </div>
  ) : null;
  if (total === 0) {
    return (
      <>
        <PageHead title="Decisions" description="Architecture decision records and RFCs: why the rules and designs are what they are." />
        {notice}
        <EmptyState title="No decision records yet" action={canEdit ? actions : undefined}>
          <p>Write an ADR or RFC from a template (MADR, Nygard or RFC), or import the Markdown ADRs your team keeps in git.</p>
          {canEdit ? null : <p>Editors and admins can write and import decision records.</p>}
        </EmptyState>
      </>
    );
  }
  const filtered = FILTER_KEYS.some((k) => params.get(k));
  const nextParams = new URLSearchParams(params);
  if (next) nextParams.set("after", next);
  const firstParams = new URLSearchParams(params);
  firstParams.delete("after");
  return (
    <>
      <PageHead title="Decisions" description={`${total} ${total === 1 ? "record" : "records"} in the decision log.`} actions={actions} />
      {notice}
      {/* Keyed by the query: the fields are uncontrolled, so "Clear filters" must remount them to empty them. */}
      <Form method="get" className="filters card" aria-label="Filter decisions" key={params.toString()}>
        <div className="field">
          <label htmlFor="filter-q">Title contains</label>
          <input id="filter-q" type="search" name="q" defaultValue={params.get("q") ?? ""} maxLength={100} />
        </div>
        <FilterSelect name="status" label="Status" value={params.get("status")} options={DECISION_STATUSES.map((s) => ({ value: s, label: DECISION_STATUS_LABELS[s] }))} />
        <FilterSelect name="kind" label="Kind" value={params.get("kind")} options={DECISION_KINDS.map((k) => ({ value: k, label: DECISION_KIND_LABELS[k] }))} />
        <FilterSelect name="tag" label="Tag" value={params.get("tag")} options={tags} />
        <DateRangeFilter from={params.get("from")} to={params.get("to")} labels={["Decided from", "Decided until"]} />
        <button type="submit" className="button secondary">
          Filter
        </button>
        {filtered ? <Link to={base}>Clear filters</Link> : null}
      </Form>
      {decisions.length === 0 ? (
        <p className="card">No decision records match these filters.</p>
      ) : (
        <div className="card table-wrap">
          <table>
            <caption className="visually-hidden">Decision records: ADRs then RFCs, newest first</caption>
            <ColumnHeads labels={["Record", "Status", "Decided", "Tags", "Deciders"]} />
            <tbody>
              {decisions.map((d) => (
                <tr key={d.id}>
                  <td>
                    <Link to={`${base}/${d.ref}`}>
                      <span className="muted">{d.ref}</span> {d.title}
                    </Link>
                  </td>
                  <td>
                    <span className={`status-pill small decision-${d.status}`}>{DECISION_STATUS_LABELS[d.status]}</span>
                    {d.supersededBy.length ? (
                      <span className="muted">
                        {" "}
                        by{" "}
                        {d.supersededBy.map((ref, i) => (
                          <span key={ref}>
                            {i > 0 ? ", " : null}
                            <Link to={`${base}/${ref}`}>{ref}</Link>
                          </span>
                        ))}
                      </span>
                    ) : null}
                  </td>
                  <td className="nowrap">
                    <Day value={d.decided_on} hint={false} />
                  </td>
                  <td>
                    {d.tags.length
                      ? d.tags.map((t) => (
                          <Link key={t} className="badge" to={`?tag=${encodeURIComponent(t)}`}>
                            {t}
                          </Link>
                        ))
                      : "—"}
                  </td>
                  <td>{d.deciders.join(", ") || "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav className="pager" aria-label="Pages">
        {params.get("after") ? <Link to={`?${firstParams.toString()}`}>First page</Link> : <span />}
        {next ? <Link to={`?${nextParams.toString()}`}>More records</Link> : null}
      </nav>
    </>
  );
}

export const ErrorBoundary = WorkspaceRouteError;
