import type { Kysely } from "kysely";
import { runStatements } from "./statements";

/**
 * One search over incidents, postmortems, contributing factors, guardrail actions and decision
 * records (docs/decisions/0006-search-in-postgres.md).
 *
 * - `search_documents` holds one row per searchable record: the text to match and the fields
 *   to filter and facet on. `tsv` is generated from title (weight A) and reference + body
 *   (weight B), so it can never drift from the text it indexes.
 * - `search_document_sources` is the one definition of what a record's search document is.
 *   The app refreshes a record's row from it inside the transaction that changes the record;
 *   the backfill below and `npm run db:seed -- --scale` insert from it in bulk. A later change
 *   to what gets indexed is a new migration that replaces the view and refreshes the rows.
 * - Sentinel characters \x01 and \x02 are removed from the indexed text: search highlights
 *   use them as match delimiters, so none may come from a document.
 * - Bodies are capped at 100,000 characters: far past any real postmortem, well inside
 *   tsvector's 1 MB limit.
 * - toast_tuple_target = 128: a row too big for the page moves its text and vector out of line
 *   entirely, so the heap a search scans to count and filter its matches stays narrow.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `create table search_documents (
        workspace_id uuid not null references workspaces (id) on delete cascade,
        entity_type text not null check (entity_type in ('incident', 'postmortem', 'factor', 'action', 'decision')),
        entity_id uuid not null,
        reference text not null,
        title text not null,
        body text not null default '',
        status text,
        tier text check (tier in ('T0', 'T1', 'T2', 'T3')),
        area_slugs text[] not null default '{}',
        tags text[] not null default '{}',
        occurred_at timestamptz not null,
        updated_at timestamptz not null,
        tsv tsvector generated always as (
          setweight(to_tsvector('english', coalesce(title, '')), 'A') ||
          setweight(to_tsvector('english', coalesce(reference, '') || ' ' || coalesce(body, '')), 'B')
        ) stored,
        primary key (entity_type, entity_id)
      ) with (toast_tuple_target = 128)`,
    `create index search_documents_tsv_idx on search_documents using gin (tsv)`,
    `create index search_documents_filter_idx on search_documents (workspace_id, entity_type, occurred_at desc)`,
    `create view search_document_sources as
      select i.workspace_id,
             'incident'::text as entity_type,
             i.id as entity_id,
             i.id as incident_id,
             'INC-' || i.number as reference,
             translate(i.title, chr(1) || chr(2), '') as title,
             left(translate(concat_ws(chr(10), nullif(i.impact, ''), i.severity, ar.names, tl.texts), chr(1) || chr(2), ''), 100000) as body,
             i.status::text as status,
             i.tier::text as tier,
             ar.slugs as area_slugs,
             '{}'::text[] as tags,
             i.started_at as occurred_at,
             i.updated_at
        from incidents i
        cross join lateral (
          select coalesce(array_agg(a.slug order by a.slug), '{}') as slugs, string_agg(a.name, ', ' order by a.name) as names
            from incident_areas ia join areas a on a.id = ia.area_id
           where ia.incident_id = i.id
        ) ar
        cross join lateral (
          select string_agg(t.text, chr(10) order by t.occurred_at, t.created_at) as texts
            from timeline_events t
           where t.incident_id = i.id
        ) tl
      union all
      select p.workspace_id,
             'postmortem'::text,
             p.id,
             p.incident_id,
             'INC-' || i.number,
             translate(p.title, chr(1) || chr(2), ''),
             left(translate(p.body_text, chr(1) || chr(2), ''), 100000),
             p.status::text,
             i.tier::text,
             ar.slugs,
             '{}'::text[],
             i.started_at,
             p.updated_at
        from postmortems p
        join incidents i on i.id = p.incident_id
        cross join lateral (
          select coalesce(array_agg(a.slug order by a.slug), '{}') as slugs
            from incident_areas ia join areas a on a.id = ia.area_id
           where ia.incident_id = i.id
        ) ar
      union all
      select f.workspace_id,
             'factor'::text,
             f.id,
             p.incident_id,
             'INC-' || i.number,
             translate(f.text, chr(1) || chr(2), ''),
             left(translate(concat_ws(chr(10), replace(f.category, '_', ' '), f.no_action_reason), chr(1) || chr(2), ''), 100000),
             null::text,
             f.tier::text,
             ar.slugs,
             array[f.category::text],
             i.started_at,
             f.updated_at
        from contributing_factors f
        join postmortems p on p.id = f.postmortem_id
        join incidents i on i.id = p.incident_id
        cross join lateral (
          select coalesce(array_agg(a.slug order by a.slug), '{}') as slugs
            from incident_areas ia join areas a on a.id = ia.area_id
           where ia.incident_id = i.id
        ) ar
      union all
      select ga.workspace_id,
             'action'::text,
             ga.id,
             p.incident_id,
             'ACT-' || ga.number,
             translate(ga.title, chr(1) || chr(2), ''),
             left(translate(concat_ws(chr(10), 'INC-' || i.number, replace(ga.kind, '_', ' '), ga.wont_do_reason, ga.evidence_note), chr(1) || chr(2), ''), 100000),
             ga.status::text,
             f.tier::text,
             ar.slugs,
             array[ga.kind::text],
             ga.created_at,
             ga.updated_at
        from guardrail_actions ga
        join contributing_factors f on f.id = ga.factor_id
        join postmortems p on p.id = f.postmortem_id
        join incidents i on i.id = p.incident_id
        cross join lateral (
          select coalesce(array_agg(a.slug order by a.slug), '{}') as slugs
            from incident_areas ia join areas a on a.id = ia.area_id
           where ia.incident_id = i.id
        ) ar
      union all
      select d.workspace_id,
             'decision'::text,
             d.id,
             null::uuid,
             upper(d.kind) || '-' || d.number,
             translate(d.title, chr(1) || chr(2), ''),
             left(translate(concat_ws(chr(10), d.body_text, dl.deciders), chr(1) || chr(2), ''), 100000),
             d.status::text,
             null::text,
             '{}'::text[],
             dt.tags,
             coalesce(d.decided_on::timestamp at time zone 'UTC', d.created_at),
             d.updated_at
        from decision_records d
        cross join lateral (
          select string_agg(x, ', ') as deciders from jsonb_array_elements_text(d.deciders) as x
        ) dl
        cross join lateral (
          select coalesce(array_agg(x), '{}') as tags from jsonb_array_elements_text(d.tags) as x
        ) dt`,
    // Records written before search existed become findable with the upgrade.
    `insert into search_documents (workspace_id, entity_type, entity_id, reference, title, body, status, tier, area_slugs, tags, occurred_at, updated_at)
      select workspace_id, entity_type, entity_id, reference, title, body, status, tier, area_slugs, tags, occurred_at, updated_at
        from search_document_sources`,
  ]);
}
