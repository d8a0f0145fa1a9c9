import { mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { Kysely, Migrator, PostgresDialect, type MigrationResultSet } from "kysely";
import { PGliteDialect } from "kysely-pglite-dialect";
import pg from "pg";
import { migrations } from "./migrations/index";
import type { Database } from "./schema";

export type Db = Kysely<Database>;

export type DatabaseTarget =
  | { engine: "postgres"; url: string }
  | { engine: "pglite"; dataDir: string | null /* null: in memory */ };

const DEFAULT_PGLITE_DIR = "./.data/pglite";

/** DATABASE_URL set: Postgres through pg. Unset: PGlite in PGLITE_DIR (default ./.data/pglite). */
export function targetFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseTarget {
  if (env.DATABASE_URL) return { engine: "postgres", url: env.DATABASE_URL };
  return { engine: "pglite", dataDir: path.resolve(env.PGLITE_DIR ?? DEFAULT_PGLITE_DIR) };
}

/**
 * Calendar dates (type `date`, oid 1082) stay "YYYY-MM-DD" strings on both engines: turning
 * them into a Date at local midnight shifts them a day in some time zones.
 * pg returns int8 and numeric as strings; counts are cast to int in SQL instead (see docs).
 */
const DATE_OID = 1082;
const keepDateText = (value: string) => value;

export function openDatabase(target: DatabaseTarget): Db {
  if (target.engine === "postgres") {
    const pool = new pg.Pool({
      connectionString: target.url,
      max: Number(process.env.DATABASE_POOL_MAX ?? 10),
      types: {
        getTypeParser: ((oid: number, format?: "text" | "binary") =>
          oid === DATE_OID ? keepDateText : pg.types.getTypeParser(oid, format as "text")) as typeof pg.types.getTypeParser,
      },
    });
    // An idle connection that dies (Postgres restarted, backend terminated) is dropped by the pool
    // and replaced on the next query; without a listener its "error" event would crash the process.
    pool.on("error", (error) => console.warn(JSON.stringify({ level: "warn", msg: "idle database connection lost", error: error.message })));
    return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  }
  if (target.dataDir) mkdirSync(path.dirname(target.dataDir), { recursive: true });
  const options = { parsers: { [DATE_OID]: keepDateText } };
  const pglite = target.dataDir ? new PGlite(target.dataDir, options) : new PGlite(options);
  return new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
}

export async function migrateToLatest(db: Kysely<unknown>): Promise<MigrationResultSet> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
  });
  const result = await migrator.migrateToLatest();
  if (result.error) throw result.error;
  return result;
}

type Cached = { key: string; ready: Promise<Db> };
const globalCache = globalThis as typeof globalThis & { __hindsightDb?: Cached };

function cacheKey(target: DatabaseTarget): string {
  return target.engine === "postgres" ? `pg:${target.url}` : `pglite:${target.dataDir ?? ":memory:"}`;
}

/**
 * The process's one database handle, migrated to the latest schema before first use.
 * Cached on globalThis: the server entry, the Remix bundle and dev reloads must share one
 * PGlite instance, since a PGlite data directory may only be opened once.
 */
export function getDb(target: DatabaseTarget = targetFromEnv()): Promise<Db> {
  const key = cacheKey(target);
  const cached = globalCache.__hindsightDb;
  if (cached) {
    if (cached.key !== key) throw new Error(`Database already opened as ${cached.key}, not ${key}`);
    return cached.ready;
  }
  const ready = (async () => {
    const db = openDatabase(target);
    await migrateToLatest(db as unknown as Kysely<unknown>);
    return db;
  })();
  globalCache.__hindsightDb = { key, ready };
  ready.catch(() => {
    if (globalCache.__hindsightDb?.ready === ready) globalCache.__hindsightDb = undefined;
  });
  return ready;
}

export async function closeDb(): Promise<void> {
  const cached = globalCache.__hindsightDb;
  globalCache.__hindsightDb = undefined;
  if (cached) await (await cached.ready).destroy();
}
