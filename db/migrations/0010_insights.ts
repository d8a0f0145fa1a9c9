import type { Kysely } from "kysely";
import { runStatements } from "./statements";

/**
 * Covering indexes for the insights aggregates (app/domain/insights/queries.server.ts,
 * docs/benchmarks/insights.md). Each names the columns the aggregates read, so Postgres answers
 * them from the index alone instead of reading the wide rows (postmortem bodies, factor texts,
 * action titles) from the table.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `create index incidents_insights_idx on incidents (workspace_id, started_at)
       include (id, severity, tier, detected_at, mitigated_at, resolved_at)`,
    `create index incidents_resolved_idx on incidents (workspace_id, resolved_at) include (id, severity, tier)`,
    `create index postmortems_insights_idx on postmortems (incident_id) include (id, status, published_at)`,
    `create index contributing_factors_insights_idx on contributing_factors (workspace_id) include (id, postmortem_id, category)`,
    `create index guardrail_actions_insights_idx on guardrail_actions (workspace_id)
       include (id, factor_id, status, created_at, done_at, verified_at, due_on, updated_at, verified_by, gate_id)`,
  ]);
}
