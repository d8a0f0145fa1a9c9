import type { Kysely } from "kysely";
import { runStatements } from "./statements";

/**
 * Imported decision records keep their Markdown as written (docs/decisions/0022).
 *
 * - `source_text`: the file as it was imported, byte for byte (as text); null for records made here.
 * - `source_map`: where the body's blocks came from in it (offsets and hashes), the head's end,
 *   the text's list and emphasis style, and a hash of the metadata as imported. An export writes
 *   the file back unchanged while nothing changed, and re-writes only the blocks that did.
 * - `status_word`: the status as the file wrote it when it is not one of the five ("On hold").
 * - ADR-0 is a record: MADR and others number their first decision 0000.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `alter table decision_records add column source_text text`,
    `alter table decision_records add column source_map jsonb`,
    `alter table decision_records add column status_word text`,
    `alter table decision_records drop constraint decision_records_number_check`,
    `alter table decision_records add constraint decision_records_number_check check (number >= 0)`,
  ]);
}
