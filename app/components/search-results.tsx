import { Link } from "@remix-run/react";
import {
  formatCount,
  RANKED_CANDIDATES,
  SEARCH_TYPE_LABELS,
  SEARCH_TYPE_PLURALS,
  statusLabel,
  type Highlighted,
  type SearchEntityType,
  type SearchHit,
  type SearchOutcome,
} from "~/domain/search/rules";
import { When } from "~/components/when";

/** The filters the page was searched with, as the address says them. */
type SearchedFilters = { type?: SearchEntityType; status?: string; tier?: string; area?: string; tag?: string; from?: string; to?: string; sort?: string };

/** What a search answered: tips, a refusal, or the results with their facets and pages. */
export function SearchResults({
  outcome,
  q,
  slug,
  params,
  filters,
  searching,
}: {
  outcome: SearchOutcome;
  q: string;
  slug: string;
  params: URLSearchParams;
  filters: SearchedFilters;
  searching: boolean;
}) {
  if (outcome.kind === "empty") return <Tips />;
  if (outcome.kind === "refused") {
    return (
      <>
        <p className="form-error" role="alert">
          {outcome.message}
        </p>
        <Tips />
      </>
    );
  }
  const { total, countsExact, hits, facets, page, pageCount, rankedAll } = outcome;
  return (
    <div className="search-layout" aria-busy={searching}>
      <aside className="search-facets card" aria-label="Narrow the results">
        <FacetList
          title="Type"
          name="type"
          params={params}
          countsExact={countsExact}
          items={facets.types.map((f) => ({ value: f.value, label: SEARCH_TYPE_PLURALS[f.value], count: f.count }))}
        />
        <FacetList
          title="Status"
          name="status"
          params={params}
          countsExact={countsExact}
          items={facets.statuses.map((f) => ({
            value: f.value,
            label: filters.type ? statusLabel(f.value) : `${SEARCH_TYPE_LABELS[f.type]}: ${statusLabel(f.value)}`,
            count: f.count,
            extra: filters.type ? undefined : { type: f.type },
          }))}
        />
        <FacetList
          title="Tier"
          name="tier"
          params={params}
          countsExact={countsExact}
          items={facets.tiers.map((f) => ({ value: f.value, label: f.value, count: f.count }))}
        />
      </aside>
      <section aria-labelledby="results-title" className="search-results-wrap">
        <h2 id="results-title" className="search-count" role="status">
          {total === 0 ? `No results for “${q.trim()}”` : `${formatCount(total, countsExact)} result${total === 1 && countsExact ? "" : "s"}`}
          {searching ? <span className="muted"> · searching…</span> : null}
        </h2>
        {!countsExact ? (
          <p className="hint search-note">
            More records match than are counted, so the counts are lower bounds
            {filters.sort === "newest" ? "" : ` and the ${RANKED_CANDIDATES} newest matches are ranked by relevance`}. Add a word or a filter to
            narrow the search.
          </p>
        ) : rankedAll || filters.sort === "newest" ? null : (
          <p className="hint search-note">
            So many records match that the {RANKED_CANDIDATES} newest are ranked by relevance. Add a word or a filter to rank them all.
          </p>
        )}
        {total === 0 ? (
          <div className="card">
            <p>Nothing matches{Object.values(filters).some(Boolean) ? " with these filters" : ""}.</p>
            <ul>
              <li>Check the spelling, or use fewer words: every word must match.</li>
              {Object.values(filters).some(Boolean) ? (
                <li>
                  <Link to={`?${new URLSearchParams({ q }).toString()}`}>Search without filters</Link>
                </li>
              ) : null}
            </ul>
          </div>
        ) : (
          <ol className="search-results">
            {hits.map((hit) => (
              <Hit key={`${hit.type}:${hit.id}`} hit={hit} slug={slug} />
            ))}
          </ol>
        )}
        {pageCount > 1 ? (
          <nav className="pager" aria-label="Result pages">
            {page > 1 ? <Link to={`?${withParams(params, { page: page === 2 ? null : String(page - 1) })}`}>Previous</Link> : <span />}
            <span className="muted">
              Page {page} of {pageCount}
            </span>
            {page < pageCount ? <Link to={`?${withParams(params, { page: String(page + 1) })}`}>Next</Link> : <span />}
          </nav>
        ) : null}
      </section>
    </div>
  );
}

function Hit({ hit, slug }: { hit: SearchHit; slug: string }) {
  return (
    <li className="search-hit">
      <p className="search-hit-meta">
        <span className={`badge type-${hit.type}`}>{SEARCH_TYPE_LABELS[hit.type]}</span>
        <span className="search-ref">{hit.reference}</span>
        {hit.status ? <span>{statusLabel(hit.status)}</span> : null}
        {hit.tier ? <span className={`badge tier-${hit.tier}`}>{hit.tier}</span> : null}
        <When at={hit.occurredAt} />
      </p>
      <h3 className="search-hit-title">
        <Link to={`/w/${slug}/${hit.path}`}>
          <Marked runs={hit.title} />
        </Link>
      </h3>
      {hit.snippet.length ? (
        <p className="search-hit-snippet">
          <Marked runs={hit.snippet} />
        </p>
      ) : null}
    </li>
  );
}

/** Highlighted text as React text nodes: nothing from a record is ever read as HTML. */
function Marked({ runs }: { runs: Highlighted }) {
  return (
    <>
      {runs.map((run, i) => (run.hit ? <mark key={i}>{run.text}</mark> : <span key={i}>{run.text}</span>))}
    </>
  );
}

type FacetItem = { value: string; label: string; count: number; extra?: Record<string, string> };

function FacetList({
  title,
  name,
  params,
  items,
  countsExact,
}: {
  title: string;
  name: string;
  params: URLSearchParams;
  items: FacetItem[];
  countsExact: boolean;
}) {
  if (items.length === 0) return null;
  const active = params.get(name);
  return (
    <section className="facet">
      <h2 className="facet-title">{title}</h2>
      <ul className="list-plain">
        {items.map((item) => {
          const chosen = active === item.value && Object.entries(item.extra ?? {}).every(([k, v]) => params.get(k) === v);
          const href = `?${withParams(params, chosen ? { [name]: null } : { [name]: item.value, ...item.extra })}`;
          return (
            <li key={`${item.extra?.type ?? ""}${item.value}`}>
              <Link to={href} className={chosen ? "facet-link chosen" : "facet-link"} aria-current={chosen ? "true" : undefined} preventScrollReset>
                <span>{item.label}</span> <span className="facet-count">{formatCount(item.count, countsExact)}</span>
              </Link>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function Tips() {
  return (
    <section className="card search-tips" aria-labelledby="tips-title">
      <h2 id="tips-title">Find what the team learned</h2>
      <ul>
        <li>
          Type a few words: <code>rollback migration</code> finds records with both, and matches as you type (<code>kube</code> finds
          Kubernetes).
        </li>
        <li>
          Put an exact phrase in quotes: <code>"connection pool exhausted"</code>.
        </li>
        <li>
          Jump to a record by its reference: <code>INC-12</code>, <code>ACT-3</code>, <code>ADR-4</code>.
        </li>
        <li>Narrow by type, status, tier, area, tag or date with the filters; the counts beside results show where matches are.</li>
        <li>
          Press <kbd>/</kbd> on any page of the workspace to start a search.
        </li>
      </ul>
    </section>
  );
}

function withParams(params: URLSearchParams, changes: Record<string, string | null>): string {
  const next = new URLSearchParams(params);
  next.delete("page");
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) next.delete(key);
    else next.set(key, value);
  }
  return next.toString();
}

