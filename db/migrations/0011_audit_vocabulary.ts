import type { Kysely } from "kysely";
import { runStatements } from "./statements";

/**
 * The audit log names records with the same words as search (ADR 0018): a contributing factor is a
 * `factor`, a guardrail action an `action`. Earlier rows are renamed once, with the append-only
 * trigger paused for this statement only; no row's content changes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `alter table audit_events disable trigger audit_events_no_update`,
    `update audit_events set entity_type = 'factor' where entity_type = 'contributing_factor'`,
    `update audit_events set entity_type = 'action' where entity_type = 'guardrail_action'`,
    `alter table audit_events enable trigger audit_events_no_update`,
  ]);
}
