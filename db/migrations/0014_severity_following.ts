import type { Kysely } from "kysely";
import { SYSTEM_USER_ID } from "./0007_integrations";
import { runStatements } from "./statements";

/**
 * Severity that follows the alerting sender until a person sets it (issue 18, item 8):
 *
 * - `incidents.severity_set_by_person`: true for incidents people record, and once a person
 *   changes the severity of an ingested one; PagerDuty and Alertmanager then leave it alone.
 *   Existing ingested incidents count as set by a person when the audit log shows a person
 *   changing their severity.
 * - `incident_external_keys.severity`: the severity the sender last reported, so a change is
 *   told apart from a repeat (Alertmanager resends a group's labels with every notification).
 *   Existing keys take their incident's current severity.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `alter table incidents add column severity_set_by_person boolean not null default true`,
    `update incidents set severity_set_by_person = false
       where created_by = '${SYSTEM_USER_ID}'
         and not exists (
           select 1 from audit_events a
            where a.entity_type = 'incident' and a.entity_id = incidents.id::text
              and a.action = 'incident.updated' and a.actor_id is not null
              and a.change -> 'severity' is not null)`,
    `alter table incident_external_keys add column severity text check (severity in ('SEV1', 'SEV2', 'SEV3', 'SEV4'))`,
    `update incident_external_keys k set severity = i.severity from incidents i where i.id = k.incident_id`,
    `alter table incident_external_keys alter column severity set not null`,
  ]);
}
