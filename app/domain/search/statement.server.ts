/**
 * The search statement: Postgres full-text search on `search_documents`, one statement per search.
 * The matches of the workspace are ranked once, counted for the facets, and only the page shown
 * gets highlighted snippets (docs/decisions/0008-bounded-search.md).
 */
import { sql, type CompiledQuery, type RawBuilder } from "kysely";
import type { Db } from "#db/connection";
import type { SearchEntityType, TierKey } from "#db/schema";
import { COUNT_LIMIT, HIGHLIGHT_START, HIGHLIGHT_STOP, PHRASE_COUNT_LIMIT, RANKED_CANDIDATES, wordsToTsquery, type ParsedQuery, type SearchFacets } from "./rules";

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
