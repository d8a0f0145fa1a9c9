import type { Kysely } from "kysely";
import { runStatements } from "./statements";

/**
 * An action's tracker key in its search document (issue 19, docs/decisions/0028): searching
 * "PLAT-123" finds ACT-7 once ACT-7 is linked to PLAT-123, and the result's snippet shows
 * "↔ PLAT-123". The view `search_document_sources` is replaced as a whole (same columns, so
 * `create or replace`): it is 0006's definition with the action's `tracker_links.external_key`
 * (one per action) as a line of the action's body. Linking, unlinking and an issue's creation
 * refresh the action's document in their own transaction (app/domain/trackers); the actions
 * indexed before this migration are refreshed here.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `create or replace view search_document_sources as
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
             left(translate(concat_ws(chr(10), 'INC-' || i.number, '↔ ' || trk.external_key, replace(ga.kind, '_', ' '), ga.wont_do_reason, ga.evidence_note), chr(1) || chr(2), ''), 100000),
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
        left join tracker_links trk on trk.action_id = ga.id
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
    `insert into search_documents (workspace_id, entity_type, entity_id, reference, title, body, status, tier, area_slugs, tags, occurred_at, updated_at)
      select workspace_id, entity_type, entity_id, reference, title, body, status, tier, area_slugs, tags, occurred_at, updated_at
        from search_document_sources
       where entity_type = 'action'
      on conflict (entity_type, entity_id) do update set body = excluded.body`,
  ]);
}
