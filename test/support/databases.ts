/**
 * Real databases for integration tests: every suite runs against PGlite (in memory) and
 * against Postgres (a fresh database per suite, dropped afterwards). Postgres comes from
 * TEST_DATABASE_URL, or the local server on 127.0.0.1:5432. When neither answers, the
 * Postgres half is skipped with a note, unless REQUIRE_POSTGRES=1 (as in CI), which fails instead.
 */
import pg from "pg";
import { afterAll, beforeAll, describe } from "vitest";
import { Migrator, type Kysely } from "kysely";
import { migrateToLatest, openDatabase, type Db } from "#db/connection";
import { migrations } from "#db/migrations/index";

export const POSTGRES_ADMIN_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const ADMIN_URL = POSTGRES_ADMIN_URL;

let postgresAnswers: Promise<boolean> | null = null;
export function postgresAvailable(): Promise<boolean> {
  postgresAnswers ??= (async () => {
    const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.query("select 1");
      return true;
    } catch (error) {
      if (process.env.REQUIRE_POSTGRES === "1") throw new Error(`Postgres required but not reachable at ${ADMIN_URL}: ${String(error)}`);
      console.warn(`[tests] Postgres not reachable at ${ADMIN_URL}; running the PGlite half only.`);
      return false;
    } finally {
      await client.end().catch(() => {});
    }
  })();
  return postgresAnswers;
}

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export type Engine = "pglite" | "postgres";
export type TestDatabase = { engine: Engine; db: Db; close: () => Promise<void>; /** Postgres: where it is. */ url?: string };

/** Migrates to the latest schema, or only up to `upTo` (a migration's name), to test an upgrade. */
async function migrate(db: Db, upTo?: string): Promise<void> {
  if (!upTo) {
    await migrateToLatest(db as never);
    return;
  }
  const migrator = new Migrator({ db: db as unknown as Kysely<unknown>, provider: { getMigrations: async () => migrations } });
  const result = await migrator.migrateTo(upTo);
  if (result.error) throw result.error;
}

export async function createTestDatabase(engine: Engine, options: { upTo?: string } = {}): Promise<TestDatabase> {
  if (engine === "pglite") {
    const db = openDatabase({ engine: "pglite", dataDir: null });
    await migrate(db, options.upTo);
    return { engine, db, close: () => db.destroy() };
  }
  const name = `hindsight_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  await withAdmin((c) => c.query(`create database ${name}`));
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const db = openDatabase({ engine: "postgres", url: url.toString() });
  await migrate(db, options.upTo);
  return {
    engine,
    db,
    url: url.toString(),
    close: async () => {
      await db.destroy();
      await withAdmin((c) => c.query(`drop database if exists ${name} with (force)`));
    },
  };
}

const ENGINES: Engine[] = ["pglite", "postgres"];
const postgresReady = await postgresAvailable();

/**
 * describe() once per engine; `use()` gives the suite's database inside tests.
 * Each suite gets one fresh, migrated database; tests make their own data (unique names),
 * so they don't depend on order.
 */
export function describeEachEngine(title: string, body: (testDb: () => Db, engine: Engine) => void): void {
  for (const engine of ENGINES) {
    const skip = engine === "postgres" && !postgresReady;
    describe.skipIf(skip)(`${title} [${engine}]`, () => {
      let current: TestDatabase | null = null;
      beforeAll(async () => {
        current = await createTestDatabase(engine);
      });
      afterAll(async () => {
        await current?.close();
      });
      body(() => {
        if (!current) throw new Error("test database not ready");
        return current.db;
      }, engine);
    });
  }
}
