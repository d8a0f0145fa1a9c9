import { sql, type Kysely } from "kysely";

/**
 * Runs DDL one statement at a time: PGlite's query path uses the extended protocol, which
 * takes a single statement per call, so a migration lists its statements instead of one script.
 */
export async function runStatements(db: Kysely<unknown>, statements: string[]): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}
