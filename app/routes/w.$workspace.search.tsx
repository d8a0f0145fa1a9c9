import { data, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation, useSearchParams, useSubmit } from "@remix-run/react";
import { useEffect, useRef, type ChangeEvent, type FormEvent } from "react";
import { DateRangeFilter, FilterSelect } from "~/components/filters";
import { PageHead } from "~/components/page-head";
import { WorkspaceRouteError } from "~/components/route-error";
import { SearchResults } from "~/components/search-results";
import { listAreas } from "~/domain/workspaces/index.server";
import { TIER_KEYS } from "~/domain/workspaces/rules";
import { SearchParams } from "~/domain/search/forms";
import { ALL_SEARCH_STATUSES, MAX_QUERY_LENGTH, SEARCH_STATUSES, SEARCH_TYPE_LABELS, SEARCH_TYPES, statusLabel } from "~/domain/search/rules";
import { searchWorkspace } from "~/domain/search/index.server";
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
            <FilterSelect idPrefix="search" name="type" label="Type" value={filters.type} options={SEARCH_TYPES.map((t) => ({ value: t, label: SEARCH_TYPE_LABELS[t] }))} />
            <FilterSelect
              idPrefix="search"
              name="status"
              label="Status"
              value={filters.status}
              options={(filters.type ? SEARCH_STATUSES[filters.type] : ALL_SEARCH_STATUSES).map((s) => ({ value: s, label: statusLabel(s) }))}
            />
            <FilterSelect idPrefix="search" name="tier" label="Tier" value={filters.tier} options={TIER_KEYS} />
            <FilterSelect idPrefix="search" name="area" label="Area" value={filters.area} options={areas.map((a) => ({ value: a.slug, label: a.name }))} />
            <div className="field">
              <label htmlFor="search-tag">Tag</label>
              <input id="search-tag" type="text" name="tag" defaultValue={filters.tag ?? ""} placeholder="security, missing_test…" />
            </div>
            <DateRangeFilter idPrefix="search" from={filters.from} to={filters.to} labels={["From", "Until"]} />
            <FilterSelect
              idPrefix="search"
              name="sort"
              label="Order"
              value={filters.sort}
              placeholder="Best match"
              options={[{ value: "newest", label: "Newest first" }]}
            />
            {filtersActive ? <Link to={`?${new URLSearchParams({ q }).toString()}`}>Clear filters</Link> : null}
          </div>
        </details>
      </Form>
      <SearchResults outcome={outcome} q={q} slug={slug} params={params} filters={filters} searching={searching} />
    </>
  );
}

export const ErrorBoundary = WorkspaceRouteError;
