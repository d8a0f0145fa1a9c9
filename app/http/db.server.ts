import { getDb, type Db } from "#db/connection";

/** The app's one database handle (pg pool or PGlite), migrated before first use. */
export function database(): Promise<Db> {
  return getDb();
}
