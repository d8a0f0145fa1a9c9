/**
 * One search over incidents, postmortems, contributing factors, guardrail actions and decision
 * records: Postgres full-text search on `search_documents` (docs/decisions/0006-search-in-postgres.md).
 *
 * Writing: every mutation of a searchable record calls `refreshSearchDocument` (or
 * `refreshIncidentSearch` when incident fields shared by its whole family change) with its own
 * transaction, so a saved record is findable the moment its transaction commits, and a rolled
 * back one never is. What a record's document contains is defined once, by the
 * `search_document_sources` view.
 *
 * Reading: `searchWorkspace` runs one statement per search: the matches of the workspace are
 * ranked once, counted for the facets, and only the page shown gets highlighted snippets.
 */
import { sql, type CompiledQuery, type Insertable, type RawBuilder } from "kysely";
import type { Db } from "#db/connection";
import type { SearchDocumentsTable, SearchEntityType, TierKey } from "#db/schema";
import {
  COUNT_LIMIT,
  HIGHLIGHT_START,
  PHRASE_COUNT_LIMIT,
  RANKED_CANDIDATES,
  SEARCH_PAGE_SIZE,
  HIGHLIGHT_STOP,
  highlightLike,
  parseSearchQuery,
  splitHighlights,
  wordsToTsquery,
  type Highlighted,
  type ParsedQuery,
  type Refusal,
} from "./rules";

export type SearchDocument = Insertable<SearchDocumentsTable>;

const DOCUMENT_COLUMNS = [
  "workspace_id",
  "entity_type",
  "entity_id",
  "reference",
  "title",
  "body",
  "status",
  "tier",
  "area_slugs",
  "tags",
  "occurred_at",
  "updated_at",
] as const;

const columnList = sql.raw(DOCUMENT_COLUMNS.join(", "));
const updateFromExcluded = sql.raw(
  DOCUMENT_COLUMNS.filter((c) => c !== "entity_type" && c !== "entity_id")
    .map((c) => `${c} = excluded.${c}`)
    .join(", "),
);

// ---------------------------------------------------------------------------------------------
// Writing the index

/** Stores (or replaces) one record's search document. */
export async function indexSearchDocument(trx: Db, doc: SearchDocument): Promise<void> {
  await trx
    .insertInto("search_documents")
    .values(doc)
    .onConflict((oc) =>
      oc.columns(["entity_type", "entity_id"]).doUpdateSet((eb) => ({
        workspace_id: eb.ref("excluded.workspace_id"),
        reference: eb.ref("excluded.reference"),
        title: eb.ref("excluded.title"),
        body: eb.ref("excluded.body"),
        status: eb.ref("excluded.status"),
        tier: eb.ref("excluded.tier"),
        area_slugs: eb.ref("excluded.area_slugs"),
        tags: eb.ref("excluded.tags"),
        occurred_at: eb.ref("excluded.occurred_at"),
        updated_at: eb.ref("excluded.updated_at"),
      })),
    )
    .execute();
}

export async function removeSearchDocument(trx: Db, type: SearchEntityType, id: string): Promise<void> {
  await trx.deleteFrom("search_documents").where("entity_type", "=", type).where("entity_id", "=", id).execute();
}

/** A record's search document as it should be now, read from the record itself; null when it is gone. */
async function searchDocumentFor(trx: Db, type: SearchEntityType, id: string): Promise<SearchDocument | null> {
  const row = await trx
    .selectFrom("search_document_sources")
    .select(DOCUMENT_COLUMNS)
    .where("entity_type", "=", type)
    .where("entity_id", "=", id)
    .executeTakeFirst();
  return row ?? null;
}

export const searchDocumentForIncident = (trx: Db, id: string) => searchDocumentFor(trx, "incident", id);

/**
 * The one line each mutation adds, inside its transaction: brings the record's search document
 * in line with the record (inserted, updated, or removed when the record is gone). One statement.
 */
export async function refreshSearchDocument(trx: Db, type: SearchEntityType, id: string): Promise<void> {
  await sql`
    with source as (
      select ${columnList} from search_document_sources where entity_type = ${type} and entity_id = ${id}
    ), removed as (
      delete from search_documents
       where entity_type = ${type} and entity_id = ${id} and not exists (select 1 from source)
    )
    insert into search_documents (${columnList})
    select ${columnList} from source
    on conflict (entity_type, entity_id) do update set ${updateFromExcluded}`.execute(trx);
}

/** refreshSearchDocument for many records of one type at once (an import), in one statement. */
export async function refreshSearchDocuments(trx: Db, type: SearchEntityType, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await sql`
    insert into search_documents (${columnList})
    select ${columnList} from search_document_sources where entity_type = ${type} and entity_id = any(${[...ids]}::uuid[])
    on conflict (entity_type, entity_id) do update set ${updateFromExcluded}`.execute(trx);
}

/**
 * An incident and everything filed under it (its postmortem, factors and actions): they carry the
 * incident's tier, areas and date, so an incident edit refreshes all of them.
 */
export async function refreshIncidentSearch(trx: Db, incidentId: string): Promise<void> {
  await sql`
    insert into search_documents (${columnList})
    select ${columnList} from search_document_sources where incident_id = ${incidentId}
    on conflict (entity_type, entity_id) do update set ${updateFromExcluded}`.execute(trx);
}

/**
 * Rebuilds a workspace's documents from its records (bulk seeding, or after a change to what is
 * indexed): one type at a time, then removes documents whose record is gone.
 */
export async function rebuildWorkspaceSearch(db: Db, workspaceId: string): Promise<number> {
  let written = 0;
  for (const type of ["incident", "postmortem", "factor", "action", "decision"] as const) {
    const result = await sql`
      insert into search_documents (${columnList})
      select ${columnList} from search_document_sources where workspace_id = ${workspaceId} and entity_type = ${type}
      on conflict (entity_type, entity_id) do update set ${updateFromExcluded}`.execute(db);
    written += Number(result.numAffectedRows ?? 0);
  }
  await sql`
    delete from search_documents d
     where d.workspace_id = ${workspaceId}
       and not exists (select 1 from search_document_sources s where s.entity_type = d.entity_type and s.entity_id = d.entity_id)`.execute(db);
  return written;
}

// ---------------------------------------------------------------------------------------------
// Searching

/**
 * How many of the newest records (after the filters) the overflow path reads, at most, to find
 * RANKED_CANDIDATES matches: a bound on its cost when a filter makes matches rarer than the
 * word alone suggests.
 */
const NEWEST_WINDOW = 5000;

export type SearchFilters = {
  type?: SearchEntityType;
  status?: string;
  tier?: TierKey;
  area?: string;
  tag?: string;
  /** Calendar days, inclusive, UTC: "2026-01-31". */
  from?: string;
  to?: string;
};

export type SearchSort = "relevance" | "newest";

export type SearchRequest = SearchFilters & {
  q: string;
  page?: number;
  sort?: SearchSort;
  pageSize?: number;
  /** COUNT_LIMIT unless set: tests use a small one. */
  countLimit?: number;
};

export type SearchHit = {
  type: SearchEntityType;
  id: string;
  reference: string;
  title: Highlighted;
  snippet: Highlighted;
  status: string | null;
  tier: TierKey | null;
  occurredAt: string;
  /** Where the record lives, relative to its workspace: "incidents/12/postmortem#factor-…". */
  path: string;
};

export type SearchFacets = {
  types: Array<{ value: SearchEntityType; count: number }>;
  statuses: Array<{ type: SearchEntityType; value: string; count: number }>;
  tiers: Array<{ value: TierKey; count: number }>;
};

export type SearchOutcome =
  | { kind: "empty" }
  | Refusal
  | {
      kind: "results";
      /** The number of matches; a lower bound when `countsExact` is false. */
      total: number;
      /** False when more than COUNT_LIMIT records match: the total and the facet counts are then lower bounds. */
      countsExact: boolean;
      page: number;
      pageCount: number;
      /** False when more records match than are ranked: the page then ranks the newest RANKED_CANDIDATES matches. */
      rankedAll: boolean;
      hits: SearchHit[];
      facets: SearchFacets;
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

/**
 * ts_headline parses and stems every word of the text it is given (about 0.2 ms per kilobyte here), so a
 * snippet is made from a window of the body: SNIPPET_WINDOW characters starting SNIPPET_LEAD
 * before the first place a searched word appears as typed (or at the start when it appears only
 * in another form). A long postmortem then costs what a short one does.
 */
const SNIPPET_WINDOW = 560;
const SNIPPET_LEAD = 120;
const HEADLINE_OPTIONS = `StartSel=${HIGHLIGHT_START}, StopSel=${HIGHLIGHT_STOP}, MaxWords=32, MinWords=12, ShortWord=3, MaxFragments=2, FragmentDelimiter=" … "`;
const TITLE_OPTIONS = `StartSel=${HIGHLIGHT_START}, StopSel=${HIGHLIGHT_STOP}, HighlightAll=true`;

/**
 * The tsquery for a parsed query, as SQL: every word and every phrase is required. A prefix word
 * matches as stemmed or as typed: stemming treats a partial word as a whole one ("fly" becomes
 * "fli", which "flyway" does not start with), so the typed form is tried as well when it differs.
 *
 * `phrases: "as words"` asks only that a phrase's words all occur, in any order: the GIN index
 * answers that alone, while word order needs each record's full text vector. `join: "any"` is
 * for highlighting: any word or phrase marks, and ts_headline's fragments need not each hold all
 * of them, which costs it far less on a long postmortem.
 */
function tsqueryOf(
  parsed: Extract<ParsedQuery, { kind: "query" }>,
  phrases: "exact" | "as words" = "exact",
  join: "all" | "any" = "all",
): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [];
  const whole = parsed.words.filter((w) => !w.prefix);
  if (whole.length) parts.push(sql`to_tsquery('english', ${wordsToTsquery(whole)})`);
  for (const word of parsed.words.filter((w) => w.prefix)) {
    const term = wordsToTsquery([word]);
    // Mostly the stem starts the typed word ("migrat", "migration"), and the stemmed prefix
    // already covers it: the typed form is added only when stemming changed the start ("fli").
    parts.push(sql`(case when starts_with(${word.word}, (ts_lexize('english_stem', ${word.word}))[1])
                         then to_tsquery('english', ${term})
                         else to_tsquery('english', ${term}) || to_tsquery('simple', ${term}) end)`);
  }
  for (const phrase of parsed.phrases) {
    parts.push(phrases === "exact" ? sql`phraseto_tsquery('english', ${phrase})` : sql`plainto_tsquery('english', ${phrase})`);
  }
  return sql`(${sql.join(parts, join === "all" ? sql` && ` : sql` || `)})`;
}

type Page = {
  page: number;
  pageSize: number;
  sort: SearchSort;
  /** How many matches are counted exactly: COUNT_LIMIT (PHRASE_COUNT_LIMIT with a phrase) unless a test or the bench sets it. */
  countLimit?: number;
};

/**
 * The search statement, one round trip. Its cost is bounded by COUNT_LIMIT, not by how many
 * records a word is found in (docs/decisions/0008-bounded-search.md):
 * - `sample`: the first COUNT_LIMIT + 1 records of the workspace that match, in the order the
 *   GIN index finds them. The index answers the words, the area and the tag alone; only narrow
 *   columns are read. A quoted phrase is matched here by its words and checked for word order in
 *   `matches`, and its sample stops at PHRASE_COUNT_LIMIT + 1 records, so that is the most ever
 *   checked for it.
 * - `overflow`: whether the sample is full. If it is not, every match is in it and everything
 *   below is exact. If it is, the counts are lower bounds ("5,000+").
 * - `newest_matches`, on overflow only (its scan sits under a one-time filter and never starts
 *   otherwise): walks the workspace's records (of the chosen type) newest first
 *   (search_documents_recent_idx, _filter_idx) and keeps those that match and pass the other
 *   filters, stopping at RANKED_CANDIDATES matches or NEWEST_WINDOW records.
 *   Past COUNT_LIMIT matches a word is in at least 1 record in 20 of a 100k workspace, so the
 *   walk is short.
 * - `counts`: matches per (type, status, tier), a few dozen rows; the facets and the total are
 *   summed from them (`facetsFrom`). On overflow the sample is mostly the oldest records
 *   (physical order) and the walk the newest: kinds of record (type, status, tier) the sample has
 *   none of are counted from the walk, so a type found only among the newest still gets a facet.
 * - `candidates`: with the type, status and tier filters, exact references first, then newest
 *   first, at most RANKED_CANDIDATES, from the sample's matches and the walk's. Without overflow
 *   these are exactly the newest matches; with it the walk supplies them, and the sample fills in
 *   when the walk finds few (a rare phrase made of common words).
 * - `page`: the candidates ranked by ts_rank over their full text vectors, one page of them.
 * - highlighted titles and snippets (from a window of the body) for the page only.
 */
export function searchStatement(workspaceId: string, parsed: Extract<ParsedQuery, { kind: "query" }>, filters: SearchFilters, page: Page) {
  const query = tsqueryOf(parsed);
  const highlight = tsqueryOf(parsed, "exact", "any");
  const hasPhrases = parsed.phrases.length > 0;
  // What the GIN index answers alone: the words, and the area and tag as lexemes (migration 0008).
  const lexemes = [...(filters.area ? [filterLexeme("area", filters.area)] : []), ...(filters.tag ? [filterLexeme("tag", filters.tag)] : [])];
  const indexed = sql.join([hasPhrases ? tsqueryOf(parsed, "as words") : query, ...lexemes.map((l) => sql`${l}::tsquery`)], sql` && `);
  const countLimit = page.countLimit ?? (hasPhrases ? PHRASE_COUNT_LIMIT : COUNT_LIMIT);
  const dated: RawBuilder<unknown>[] = [sql`d.workspace_id = ${workspaceId}`];
  if (filters.from) dated.push(sql`d.occurred_at >= ${dayStart(filters.from)}`);
  if (filters.to) dated.push(sql`d.occurred_at < ${dayStart(filters.to, 1)}`);
  // The walk reads index columns only (workspace, type, date) so the planner keeps it an ordered
  // index scan that stops early; the other filters are checked on the records it reads.
  const walked = filters.type ? [...dated, sql`d.entity_type = ${filters.type}`] : dated;
  const kept: RawBuilder<unknown>[] = [];
  if (filters.status) kept.push(sql`r.status = ${filters.status}`);
  if (filters.tier) kept.push(sql`r.tier = ${filters.tier}`);
  if (filters.area) kept.push(sql`r.area_slugs @> array[${filters.area}]::text[]`);
  if (filters.tag) kept.push(sql`r.tags @> array[${filters.tag}]::text[]`);
  kept.push(sql`r.tsv @@ ${query}`);
  const chosen = (t: string) => {
    const c = (column: string) => sql.raw(`${t}.${column}`);
    const parts: RawBuilder<unknown>[] = [];
    if (filters.type) parts.push(sql`${c("entity_type")} = ${filters.type}`);
    if (filters.status) parts.push(sql`${c("status")} = ${filters.status}`);
    if (filters.tier) parts.push(sql`${c("tier")} = ${filters.tier}`);
    return parts.length ? sql.join(parts, sql` and `) : sql`true`;
  };
  const references = parsed.references.length ? sql`array[${sql.join(parsed.references)}]::text[]` : sql`'{}'::text[]`;
  // Where a snippet's window starts: just before the first place a searched word or phrase is typed as such.
  const needles = [...parsed.words.map((w) => w.word), ...parsed.phrases.map((p) => p.toLowerCase())];
  const newest = page.sort === "newest";
  const rank = newest ? sql`0::real` : sql`ts_rank(d.tsv, ${query}, 1)`;
  /** Sort keys over alias `t`; `rankBy` is the rank expression, or null before ranking. */
  const order = (t: string, rankBy: RawBuilder<unknown> | null) => {
    const c = (column: string) => sql.raw(`${t}.${column}`);
    const lead = newest ? sql`` : sql`${c("exact")} desc, `;
    const byRank = rankBy && !newest ? sql`${rankBy} desc, ` : sql``;
    return sql`${lead}${byRank}${c("occurred_at")} desc, ${c("entity_type")}, ${c("entity_id")}`;
  };
  return sql<SearchRow>`
    with sample as materialized (
      select d.entity_type, d.entity_id, d.status, d.tier, d.occurred_at, d.reference = any(${references}) as exact${hasPhrases ? sql`, d.tsv` : sql``}
        from search_documents d
       where ${sql.join(dated, sql` and `)} and d.tsv @@ (${indexed})
       limit ${countLimit + 1}
    ), overflow as (
      select count(*) > ${countLimit} as yes from sample
    ), matches as (
      select entity_type, entity_id, status, tier, occurred_at, exact from sample${hasPhrases ? sql` where tsv @@ ${query}` : sql``}
    ), newest_matches as (
      select r.entity_type, r.entity_id, r.occurred_at, r.exact, r.status, r.tier
        from (
          select d.entity_type, d.entity_id, d.occurred_at, d.reference = any(${references}) as exact,
                 d.status, d.tier, d.area_slugs, d.tags, d.tsv
            from search_documents d
           where (select yes from overflow) and ${sql.join(walked, sql` and `)}
           order by d.occurred_at desc, d.entity_id
           limit ${NEWEST_WINDOW}
        ) r
       where ${sql.join(kept, sql` and `)}
       limit ${RANKED_CANDIDATES}
    ), sample_counts as (
      select entity_type, status, tier, count(*)::int as n from matches group by entity_type, status, tier
    ), counts as (
      select * from sample_counts
      union all
      -- Kinds of record the sample has none of can't be double counted: their walk finds are added.
      select n.entity_type, n.status, n.tier, count(*)::int from newest_matches n
       where not exists (
               select 1 from sample_counts c
                where c.entity_type = n.entity_type and c.status is not distinct from n.status and c.tier is not distinct from n.tier)
       group by n.entity_type, n.status, n.tier
    ), candidates as (
      select u.* from (
        (select m.entity_type, m.entity_id, m.occurred_at, m.exact from matches m
          where ${chosen("m")}${
            // When the walk found a full set of newest matches, older sampled ones can't displace
            // them (only an exact reference could): a one-time filter skips sorting the sample.
            parsed.references.length
              ? sql``
              : sql` and not ((select yes from overflow) and (select count(*) from newest_matches) >= ${RANKED_CANDIDATES})`
          }
          order by ${order("m", null)}
          limit ${RANKED_CANDIDATES})
        union
        select n.entity_type, n.entity_id, n.occurred_at, n.exact from newest_matches n
      ) u
       order by ${order("u", null)}
       limit ${RANKED_CANDIDATES}
    ), page as (
      select c.*, ${rank} as rank
        from candidates c
        join search_documents d on d.entity_type = c.entity_type and d.entity_id = c.entity_id
       order by ${order("c", rank)}
       limit ${page.pageSize} offset ${(page.page - 1) * page.pageSize}
    )
    select
      (select yes from overflow) as overflow,
      (select count(*)::int from candidates) as ranked,
      (select json_agg(json_build_object('type', entity_type, 'status', status, 'tier', tier, 'n', n)) from counts) as counts,
      (select json_agg(json_build_object(
                'type', page.entity_type, 'id', page.entity_id, 'reference', d.reference, 'status', d.status,
                'tier', d.tier, 'occurredAt', page.occurred_at,
                'title', d.title,
                'titleMarked', ts_headline('english', d.title, ${highlight}, ${TITLE_OPTIONS}),
                'snippet', ts_headline('english', substr(d.body, w.start, ${SNIPPET_WINDOW}), ${highlight}, ${HEADLINE_OPTIONS})
              ) order by ${order("page", sql.raw("page.rank"))})
         from page
         join search_documents d on d.entity_type = page.entity_type and d.entity_id = page.entity_id
         cross join lateral (
           select greatest(1, coalesce(least(${sql.join(needles.map((n) => sql`nullif(strpos(lower(d.body), ${n}), 0)`))}), 1) - ${SNIPPET_LEAD}) as start
         ) w) as hits`;
}

type SearchRow = { counts: CountRow[] | null; hits: HitRow[] | null; overflow: boolean; ranked: number };

/**
 * Runs a compiled search statement with sequential scans priced out. The planner does not count
 * the cost of reading the out-of-line text vector a sequential scan must check on every row, so
 * for a common word under a LIMIT it prefers walking the table to the GIN index, at 5–10 times the
 * cost (docs/benchmarks/search.md). `set local` keeps the setting to this one transaction.
 */
export async function runSearchStatement(db: Db, compiled: CompiledQuery<SearchRow>): Promise<SearchRow[]> {
  const run = async (trx: Db) => {
    await sql`set local enable_seqscan = off`.execute(trx);
    return (await trx.executeQuery(compiled)).rows;
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}

type CountRow = { type: SearchEntityType; status: string | null; tier: TierKey | null; n: number };
type HitRow = {
  type: SearchEntityType;
  id: string;
  reference: string;
  status: string | null;
  tier: TierKey | null;
  occurredAt: string;
  title: string;
  titleMarked: string;
  snippet: string;
};

/**
 * Facet counts from the per-(type, status, tier) counts: each dimension is counted with the
 * other dimensions' filters, so a facet shows what choosing it would give; the total uses all.
 */
export function facetsFrom(rows: CountRow[], filters: Pick<SearchFilters, "type" | "status" | "tier">): { facets: SearchFacets; total: number } {
  const typeOk = (r: CountRow) => !filters.type || r.type === filters.type;
  const statusOk = (r: CountRow) => !filters.status || r.status === filters.status;
  const tierOk = (r: CountRow) => !filters.tier || r.tier === filters.tier;
  const sum = <K extends string>(keep: (r: CountRow) => boolean, key: (r: CountRow) => K | null) => {
    const totals = new Map<K, number>();
    for (const r of rows) {
      const k = key(r);
      if (k !== null && keep(r)) totals.set(k, (totals.get(k) ?? 0) + r.n);
    }
    return totals;
  };
  const typeOrder: readonly string[] = ["incident", "postmortem", "factor", "action", "decision"];
  const types = [...sum((r) => statusOk(r) && tierOk(r), (r) => r.type)]
    .filter(([, count]) => count > 0)
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => typeOrder.indexOf(a.value) - typeOrder.indexOf(b.value));
  const statuses = [...sum((r) => typeOk(r) && tierOk(r), (r) => (r.status === null ? null : `${r.type}|${r.status}`))]
    .filter(([, count]) => count > 0)
    .map(([key, count]) => {
      const [type, value] = key.split("|") as [SearchEntityType, string];
      return { type, value, count };
    })
    .sort((a, b) => typeOrder.indexOf(a.type) - typeOrder.indexOf(b.type) || b.count - a.count || a.value.localeCompare(b.value));
  const tiers = [...sum((r) => typeOk(r) && statusOk(r), (r) => r.tier)]
    .filter(([, count]) => count > 0)
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => a.value.localeCompare(b.value));
  const total = rows.filter((r) => typeOk(r) && statusOk(r) && tierOk(r)).reduce((n, r) => n + r.n, 0);
  return { facets: { types, statuses, tiers }, total };
}

/**
 * An area or tag filter as one quoted tsquery lexeme, `'#area:billing'`: quotes and backslashes
 * escaped as tsquery input reads them, so a value is only ever a lexeme, never query syntax.
 */
function filterLexeme(kind: "area" | "tag", value: string): string {
  return `'#${kind}:${value.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`;
}

function dayStart(day: string, plusDays = 0): Date {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + plusDays);
  return date;
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
