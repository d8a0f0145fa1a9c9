import type { Migration } from "kysely";
import * as m0001 from "./0001_foundation";
import * as m0002 from "./0002_incidents";
import * as m0003 from "./0003_postmortems";

/**
 * Every migration, in order. Listed statically (not read from the folder at run time) so the
 * server bundle carries them. Forward-only: a shipped migration is never edited, only followed.
 */
export const migrations: Record<string, Migration> = {
  "0001_foundation": m0001,
  "0002_incidents": m0002,
  "0003_postmortems": m0003,
};
