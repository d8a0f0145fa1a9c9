import { data, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation, useSearchParams, useSubmit } from "@remix-run/react";
import { useEffect, useRef, type ChangeEvent, type FormEvent } from "react";
import { PageHead } from "~/components/page-head";
import { WorkspaceRouteError } from "~/components/route-error";
import { listAreas } from "~/domain/workspaces/index.server";
import { TIER_KEYS } from "~/domain/workspaces/rules";
import { SearchParams } from "~/domain/search/forms";
import {
  ALL_SEARCH_STATUSES,
  formatCount,
  MAX_QUERY_LENGTH,
  RANKED_CANDIDATES,
  SEARCH_STATUSES,
  SEARCH_TYPE_LABELS,
  SEARCH_TYPE_PLURALS,
  SEARCH_TYPES,
  statusLabel,
  type Highlighted,
} from "~/domain/search/rules";
import { searchWorkspace, type SearchHit, type SearchOutcome } from "~/domain/search/index.server";
import { database } from "~/http/db.server";
import { requireMember } from "~/http/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.q.trim() ? `“${data.q.trim().slice(0, 60)}” · Search · Hindsight` : "Search · Hindsight" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace } = await requireMember(request, params.workspace);
  const input = SearchParams.parse(Object.fromEntries(new URL(request.url).searchParams));
  const db = await database();
  let ms = 0;
  const timedSearch = async () => {
    const started = performance.now();
    const outcome = await searchWorkspace(db, workspace.id, input);
    ms = performance.now() - started;
    return outcome;
  };
  const [outcome, areas] = await Promise.all([timedSearch(), listAreas(db, workspace.id)]);
  const refusedInput = outcome.kind === "refused" && (outcome.code === "too_long" || outcome.code === "too_many_terms");
  return data(
    {
      slug: workspace.slug,
      // A pasted essay is not echoed back into the page.
      q: input.q.length > MAX_QUERY_LENGTH * 4 ? "" : input.q,
      filters: { type: input.type, status: input.status, tier: input.tier, area: input.area, tag: input.tag, from: input.from, to: input.to, sort: input.sort },
      outcome,
      areas: areas.map((a) => ({ slug: a.slug, name: a.name })),
    },
    // Server-Timing: what the search itself cost, for the browser's network panel and bench/search.
    { status: refusedInput ? 400 : 200, headers: { "Server-Timing": `search;dur=${ms.toFixed(2)}` } },
  );
}

export const headers: HeadersFunction = ({ loaderHeaders }) => {
  const headers = new Headers();
  const timing = loaderHeaders.get("Server-Timing");
  if (timing) headers.set("Server-Timing", timing);
  return headers;
};

type Filters = ReturnType<typeof useLoaderData<typeof loader>>["filters"];

export default function Search() {
  const { slug, q, filters, outcome, areas } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const submit = useSubmit();
  const formRef = useRef<HTMLFormElement>(null);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const searching = navigation.state === "loading" && navigation.location.pathname === `/w/${slug}/search`;

  // Facet links, Back and Forward change the search under fields the user is not typing in.
  useEffect(() => {
    const form = formRef.current;
    if (!form) return;
    for (const [name, value] of Object.entries({ ...filters, q })) {
      const field = form.elements.namedItem(name);
      if ((field instanceof HTMLInputElement || field instanceof HTMLSelectElement) && field !== document.activeElement && field.value !== (value ?? "")) {
        field.value = value ?? "";
      }
    }
  }, [filters, q]);
  useEffect(() => () => clearTimeout(timer.current), []);

  /** A GET with only the fields that are set, so the address stays short and shareable. */
  function search(form: HTMLFormElement, replace: boolean) {
    clearTimeout(timer.current);
    const query = new URLSearchParams();
    for (const [name, value] of new FormData(form)) if (typeof value === "string" && value.trim() !== "") query.set(name, value);
    submit(query, { method: "get", replace, preventScrollReset: true });
  }

  // Search as you type: after a short pause, a GET that replaces this history entry, so the
  // address always holds the search and Back leaves the page.
  function changed(event: ChangeEvent<HTMLFormElement>) {
    const form = event.currentTarget;
    const typing = event.target instanceof HTMLInputElement && (event.target.type === "search" || event.target.type === "text");
    clearTimeout(timer.current);
    timer.current = setTimeout(() => search(form, true), typing ? 200 : 0);
  }

  function submitted(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    search(event.currentTarget, false);
  }

  const filtersActive = Boolean(filters.type || filters.status || filters.tier || filters.area || filters.tag || filters.from || filters.to);
  return (
    <>
      <PageHead title="Search" description="One search over incidents, postmortems, contributing factors, guardrail actions and decisions." />
      <Form ref={formRef} method="get" role="search" className="card search-form" onChange={changed} onSubmit={submitted}>
        <div className="search-box">
          <label htmlFor="search-q" className="visually-hidden">
            Search terms
          </label>
          <input
            id="search-q"
            type="search"
            name="q"
            defaultValue={q}
            placeholder="Words, “exact phrases”, INC-12…"
            autoComplete="off"
            spellCheck={false}
            data-search-input=""
            aria-describedby="search-help"
          />
          <button type="submit" className="button">
            Search
          </button>
        </div>
        <p id="search-help" className="hint">
          Press <kbd>/</kbd> anywhere to search. Words match as you type; put “quotes” around an exact phrase.
        </p>
        <details className="search-filters" open={filtersActive}>
          <summary>Filters</summary>
          <div className="filters">
            <Select name="type" label="Type" value={filters.type} options={SEARCH_TYPES.map((t) => [t, SEARCH_TYPE_LABELS[t]])} />
            <Select
              name="status"
              label="Status"
              value={filters.status}
              options={(filters.type ? SEARCH_STATUSES[filters.type] : ALL_SEARCH_STATUSES).map((s) => [s, statusLabel(s)])}
            />
            <Select name="tier" label="Tier" value={filters.tier} options={TIER_KEYS.map((t) => [t, t])} />
            <Select name="area" label="Area" value={filters.area} options={areas.map((a) => [a.slug, a.name])} />
            <div className="field">
              <label htmlFor="search-tag">Tag</label>
              <input id="search-tag" type="text" name="tag" defaultValue={filters.tag ?? ""} placeholder="security, missing_test…" />
            </div>
            <div className="field">
              <label htmlFor="search-from">From</label>
              <input id="search-from" type="date" name="from" defaultValue={filters.from ?? ""} />
            </div>
            <div className="field">
              <label htmlFor="search-to">Until</label>
              <input id="search-to" type="date" name="to" defaultValue={filters.to ?? ""} />
            </div>
            <Select name="sort" label="Order" value={filters.sort} placeholder="Best match" options={[["newest", "Newest first"]]} />
            {filtersActive ? <Link to={`?${new URLSearchParams({ q }).toString()}`}>Clear filters</Link> : null}
          </div>
        </details>
      </Form>
      <Outcome outcome={outcome} q={q} slug={slug} params={params} filters={filters} searching={searching} />
    </>
  );
}

function Outcome({
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
  filters: Filters;
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
        <time dateTime={hit.occurredAt}>{hit.occurredAt.slice(0, 10)}</time>
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

function Select({
  name,
  label,
  value,
  options,
  placeholder = "Any",
}: {
  name: string;
  label: string;
  value: string | undefined;
  options: ReadonlyArray<readonly [string, string]>;
  placeholder?: string;
}) {
  return (
    <div className="field">
      <label htmlFor={`search-${name}`}>{label}</label>
      <select id={`search-${name}`} name={name} defaultValue={value ?? ""}>
        <option value="">{placeholder}</option>
        {options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    </div>
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

export const ErrorBoundary = WorkspaceRouteError;
