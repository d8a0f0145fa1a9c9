/**
 * One search over incidents, postmortems, contributing factors, guardrail actions and decision
 * records: Postgres full-text search on `search_documents` (docs/decisions/0006-search-in-postgres.md).
 * The index is written by ./indexing.server.ts, the statement built by ./statement.server.ts.
 */
import type { Db } from "#db/connection";
import type { SearchEntityType } from "#db/schema";
import { RANKED_CANDIDATES, SEARCH_PAGE_SIZE, highlightLike, parseSearchQuery, splitHighlights, type SearchOutcome } from "./rules";
import { facetsFrom, runSearchStatement, searchStatement, type SearchFilters, type SearchSort } from "./statement.server";

export type SearchRequest = SearchFilters & {
  q: string;
  page?: number;
  sort?: SearchSort;
  pageSize?: number;
  /** COUNT_LIMIT unless set: tests use a small one. */
  countLimit?: number;
};

/** Where a hit links to, under /w/:workspace/. */
function searchResultPath(type: SearchEntityType, reference: string, id: string): string {
  const number = reference.slice(reference.indexOf("-") + 1);
  switch (type) {
    case "incident":
      return `incidents/${number}`;
    case "postmortem":
      return `incidents/${number}/postmortem`;
    case "factor":
      return `incidents/${number}/postmortem#factor-${id}`;
    case "action":
      return `guardrails/actions/${number}`;
    case "decision":
      return `decisions/${reference}`;
  }
}

/** Searches one workspace. A query a person can't mean (empty, too long, only common words) is an outcome, not an error. */
export async function searchWorkspace(db: Db, workspaceId: string, request: SearchRequest): Promise<SearchOutcome> {
  const parsed = parseSearchQuery(request.q);
  if (parsed.kind !== "query") return parsed;
  const pageSize = request.pageSize ?? SEARCH_PAGE_SIZE;
  const lastPage = Math.ceil(RANKED_CANDIDATES / pageSize);
  const page = Math.max(1, Math.floor(request.page ?? 1));
  if (page > lastPage) {
    return { kind: "refused", code: "page_limit", message: `Only the first ${lastPage} pages are shown. Add a word or a filter to narrow the search.` };
  }
  const statement = searchStatement(workspaceId, parsed, request, { page, pageSize, sort: request.sort ?? "relevance", countLimit: request.countLimit });
  const row = (await runSearchStatement(db, statement.compile(db)))[0];
  const countsExact = !row?.overflow;
  const counted = facetsFrom(row?.counts ?? [], request);
  const ranked = row?.ranked ?? 0;
  // Past COUNT_LIMIT the sample may hold fewer of a chosen type than the newest ones found.
  const total = countsExact ? counted.total : Math.max(counted.total, ranked);
  return {
    kind: "results",
    total,
    countsExact,
    page,
    pageCount: Math.min(lastPage, Math.ceil(ranked / pageSize)),
    rankedAll: countsExact && total <= RANKED_CANDIDATES,
    facets: counted.facets,
    hits: (row?.hits ?? []).map((h) => ({
      type: h.type,
      id: h.id,
      reference: h.reference,
      title: highlightLike(h.title, splitHighlights(h.titleMarked)),
      snippet: splitHighlights(h.snippet),
      status: h.status,
      tier: h.tier,
      occurredAt: new Date(h.occurredAt).toISOString(),
      path: searchResultPath(h.type, h.reference, h.id),
    })),
  };
}
