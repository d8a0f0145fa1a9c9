import type { Kysely } from "kysely";
import { runStatements } from "./statements";

/**
 * Search whose cost is bounded by COUNT_LIMIT rather than by how common a word is
 * (app/domain/search.server.ts, docs/benchmarks/search.md).
 *
 * - Area and tag filters become lexemes of the text vector (`#area:<slug>`, `#tag:<tag>`), so
 *   the GIN index intersects them with the words: "alert" in billing reads the records that are
 *   both, not every "alert" to check its areas. Typed words are letters and digits only, so no
 *   search word (or prefix) can match one. The vector is regenerated; the text is unchanged.
 * - `search_documents_recent_idx` is the newest-first walk that finds the newest matches when
 *   more than COUNT_LIMIT match, in the page's own order (entity_id breaks ties), so no sort runs
 *   and the walk stops as soon as it has enough. With a type filter the type index serves, and
 *   gains entity_id for the same reason.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `create function search_filter_lexemes(area_slugs text[], tags text[]) returns tsvector
        language sql immutable parallel safe
        as $$
          select array_to_tsvector(array(
            select '#area:' || a from unnest(area_slugs) a where a <> ''
            union
            select '#tag:' || t from unnest(tags) t where t <> ''
          ))
        $$`,
    `drop index search_documents_tsv_idx`,
    `alter table search_documents drop column tsv`,
    `alter table search_documents add column tsv tsvector generated always as (
        setweight(to_tsvector('english', coalesce(title, '')), 'A') ||
        setweight(to_tsvector('english', coalesce(reference, '') || ' ' || coalesce(body, '')), 'B') ||
        search_filter_lexemes(area_slugs, tags)
      ) stored`,
    `create index search_documents_tsv_idx on search_documents using gin (tsv)`,
    `create index search_documents_recent_idx on search_documents (workspace_id, occurred_at desc, entity_id)`,
    `drop index search_documents_filter_idx`,
    `create index search_documents_filter_idx on search_documents (workspace_id, entity_type, occurred_at desc, entity_id)`,
  ]);
}
