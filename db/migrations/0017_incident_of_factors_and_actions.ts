import type { Kysely } from "kysely";
import { runStatements } from "./statements";

/**
 * Each contributing factor and guardrail action carries its incident (`incident_id`), set by the
 * database from the factor's postmortem and the action's factor, on insert and if those ever
 * change. The insights and board aggregates group actions and factors by their incident's areas,
 * tier and severity; without the column every one of them joined factors → postmortems first
 * (two hash joins over the whole workspace), which was most of their time at 100k records
 * (docs/benchmarks/insights.md, docs/decisions/0026). The covering indexes of 0010 are rebuilt
 * to hold it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `alter table contributing_factors add column incident_id uuid references incidents(id) on delete cascade`,
    `alter table guardrail_actions add column incident_id uuid references incidents(id) on delete cascade`,
    `update contributing_factors f set incident_id = p.incident_id from postmortems p where p.id = f.postmortem_id`,
    `update guardrail_actions ga set incident_id = f.incident_id from contributing_factors f where f.id = ga.factor_id`,
    `alter table contributing_factors alter column incident_id set not null`,
    `alter table guardrail_actions alter column incident_id set not null`,
    `create function contributing_factors_incident() returns trigger language plpgsql as $$
      begin
        select p.incident_id into new.incident_id from postmortems p where p.id = new.postmortem_id;
        return new;
      end;
      $$`,
    `create trigger contributing_factors_incident before insert or update of postmortem_id on contributing_factors
        for each row execute function contributing_factors_incident()`,
    `create function guardrail_actions_incident() returns trigger language plpgsql as $$
      begin
        select f.incident_id into new.incident_id from contributing_factors f where f.id = new.factor_id;
        return new;
      end;
      $$`,
    `create trigger guardrail_actions_incident before insert or update of factor_id on guardrail_actions
        for each row execute function guardrail_actions_incident()`,
    // Lookups by incident: the cascade when an incident is deleted, and plans that start from incidents.
    `create index contributing_factors_incident_idx on contributing_factors (incident_id) include (id, category)`,
    `create index guardrail_actions_incident_idx on guardrail_actions (incident_id)`,
    `drop index contributing_factors_insights_idx`,
    `create index contributing_factors_insights_idx on contributing_factors (workspace_id) include (id, incident_id, postmortem_id, category)`,
    `drop index guardrail_actions_insights_idx`,
    `create index guardrail_actions_insights_idx on guardrail_actions (workspace_id)
       include (id, incident_id, factor_id, status, created_at, done_at, verified_at, due_on, updated_at, verified_by, gate_id, owner_id)`,
  ]);
}
