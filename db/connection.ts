import { mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { CompiledQuery, Kysely, Migrator, PostgresDialect, type Dialect, type MigrationResultSet } from "kysely";
import { PGliteDialect } from "kysely-pglite-dialect";
import pg from "pg";
import lockfile from "proper-lockfile";
import { migrations } from "./migrations/index";
import type { Database } from "./schema";

export type Db = Kysely<Database>;

export type DatabaseTarget =
  | { engine: "postgres"; url: string }
  | { engine: "pglite"; dataDir: string | null /* null: in memory */ };

export const DEFAULT_PGLITE_DIR = "./.data/pglite";

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
/**
 * How long a request waits for a Postgres connection (a new one, or a free one from the pool).
 * Requests wait for their turn before this (server/admission.ts: no more at once than the pool
 * has connections), so a wait this long means the database is not answering.
 */
export const CONNECT_TIMEOUT_MS = 3000;
const keepDateText = (value: string) => value;

// Shared by the server entry and the Remix build, which each load their own copy of this module.
const connectionHealth = ((globalThis as typeof globalThis & { __hindsightConnectionHealth?: { lastFailureAt: number } }).__hindsightConnectionHealth ??= {
  lastFailureAt: Number.NEGATIVE_INFINITY,
});

/**
 * When (performance.now()) a Postgres connection last failed: refused, reset, or lost while in
 * use. A request that failed after this moment failed for the database, whatever a probe says by now.
 */
export function lastConnectionFailureAt(): number {
  return connectionHealth.lastFailureAt;
}

/** pg-pool's error when no connection of the pool came free in time. */
const POOL_WAIT_TIMED_OUT = "timeout exceeded when trying to connect";

function connectionFailed() {
  connectionHealth.lastFailureAt = performance.now();
}

/**
 * pg's client, noting each connection it fails to make. The pool makes a connection for the query
 * first in its queue, and when that query has already given up waiting (its own clock, see
 * POOL_WAIT_TIMED_OUT), the pool drops the connection's failure without telling anyone: a
 * database that takes no calls would then go unnoted for as long as queries keep timing out in
 * the queue, and their 500s would stand once a probe found it back (docs/benchmarks/load.md).
 */
class WatchedClient extends pg.Client {
  override connect(): Promise<pg.Client>;
  override connect(callback: (error: Error) => void): void;
  override connect(callback?: (error: Error) => void): Promise<pg.Client> | void {
    if (!callback) {
      return super.connect().catch((error: unknown) => {
        connectionFailed();
        throw error;
      });
    }
    super.connect((error: Error) => {
      if (error) connectionFailed();
      callback(error);
    });
  }
}

export function openDatabase(target: DatabaseTarget): Db {
  if (target.engine === "postgres") {
    const pool = new pg.Pool({
      Client: WatchedClient,
      connectionString: target.url,
      max: Number(process.env.DATABASE_POOL_MAX ?? 10),
      // A database that takes no calls (a network that drops packets) would leave requests waiting
      // for a connection for ever; after this they fail, and the server answers 503.
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      types: {
        getTypeParser: ((oid: number, format?: "text" | "binary") =>
          oid === DATE_OID ? keepDateText : pg.types.getTypeParser(oid, format as "text")) as typeof pg.types.getTypeParser,
      },
    });
    // An idle connection that dies (Postgres restarted, backend terminated) is dropped by the pool
    // and replaced on the next query; without a listener its "error" event would crash the process.
    pool.on("error", (error) => {
      connectionFailed();
      console.warn(JSON.stringify({ level: "warn", msg: "idle database connection lost", error: error.message }));
    });
    // So would one that dies while checked out between two statements (inside a transaction): the
    // pool listens only to idle ones. The statement after fails, and the pool drops the connection
    // when it comes back (it is no longer queryable).
    pool.on("connect", (client) =>
      client.on("error", (error) => {
        connectionFailed();
        console.warn(JSON.stringify({ level: "warn", msg: "database connection lost while in use", error: error.message }));
      }),
    );
    // Kysely takes connections with the promise form; a connection that can't be made is noted too.
    const connect = pool.connect.bind(pool) as () => Promise<pg.PoolClient>;
    pool.connect = (async () => {
      try {
        return await connect();
      } catch (error) {
        // Not a failure of the database: a wait for one of the pool's busy connections ran out
        // (had those failed, their failures were noted).
        if ((error as Error).message !== POOL_WAIT_TIMED_OUT) connectionFailed();
        throw error;
      }
    }) as typeof pool.connect;
    return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  }
  if (target.dataDir) mkdirSync(path.dirname(target.dataDir), { recursive: true });
  const release = target.dataDir ? lockDataDirectory(target.dataDir) : null;
  const options = { parsers: { [DATE_OID]: keepDateText } };
  const pglite = target.dataDir ? new PGlite(target.dataDir, options) : new PGlite(options);
  const db = new Kysely<Database>({ dialect: yieldingBetweenTurns(new PGliteDialect(pglite)) });
  if (release) dataDirectoryLocks.set(db, release);
  embeddedEngines.set(db, pglite);
  return db;
}

const embeddedEngines = new WeakMap<Db, PGlite>();

/**
 * PGlite runs a query synchronously (WebAssembly on this thread), and Kysely's PGlite driver hands
 * its one connection to the next waiter through a promise: a queue of queries from several
 * requests runs back to back in one stretch of microtasks, and the server reads no socket, answers
 * no health check and fires no timer until the queue is empty. Here whoever gets the connection
 * first lets the event loop go round once (setImmediate: after pending I/O), so the stretch is
 * one query or one transaction long (docs/decisions/0021).
 */
function yieldingBetweenTurns(dialect: Dialect): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createDriver: () => {
      const driver = dialect.createDriver();
      const acquire = driver.acquireConnection.bind(driver);
      driver.acquireConnection = async () => {
        const connection = await acquire();
        await new Promise((resolve) => setImmediate(resolve));
        return connection;
      };
      return driver;
    },
  };
}

export type RawSql = (text: string, values?: unknown[]) => Promise<{ rows: unknown[] }>;

/**
 * Runs SQL written by a library (the job queue's schema and statements) on this database or
 * transaction. A statement without parameters may hold several commands: pg sends those as a
 * simple query by itself; PGlite needs its `exec`, run while holding Kysely's one connection so
 * that it never lands inside another caller's open transaction.
 */
export function rawSql(db: Kysely<Database>): RawSql {
  const pglite = embeddedEngines.get(db);
  return async (text, values = []) => {
    if (pglite && values.length === 0) {
      return db.connection().execute(async () => ({ rows: (await pglite.exec(text)).at(-1)?.rows ?? [] }));
    }
    return { rows: (await db.executeQuery(CompiledQuery.raw(text, values))).rows };
  };
}

/** Another process (the server, a CLI command) has this PGlite data directory open. */
class DataDirectoryInUse extends Error {
  constructor(readonly dataDir: string) {
    const shown = path.relative(process.cwd(), dataDir) || dataDir;
    super(
      `The embedded database in ${shown} is in use by another Hindsight process (is the server running?): ` +
        `stop it first, or set DATABASE_URL to use Postgres.`,
    );
    this.name = "DataDirectoryInUse";
  }
}

/** One line for a database problem a person can fix at start-up; null for anything else (a bug). */
export function databaseProblemLine(error: unknown): string | null {
  if (error instanceof DataDirectoryInUse || (error instanceof Error && error.name === "BackupProblem")) return error.message;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "EAI_AGAIN") {
    return `Postgres at DATABASE_URL is not answering (${code}): start it, or unset DATABASE_URL to use the embedded database.`;
  }
  if (code === "28P01" || code === "3D000" || code === "28000") {
    return `Postgres at DATABASE_URL refused the connection: ${(error as Error).message}.`;
  }
  return null;
}

const dataDirectoryLocks = new WeakMap<Db, () => void>();

/**
 * PGlite is one process per data directory, and it takes no lock of its own: a second process
 * opening the same folder would corrupt it. `<dataDir>.lock` is held while it is open; the lock
 * is refreshed every few seconds, so one left by a killed process goes stale within 10 s, and it
 * is released on exit.
 */
export function lockDataDirectory(dataDir: string): () => void {
  try {
    return lockfile.lockSync(dataDir, {
      realpath: false,
      stale: 10_000,
      onCompromised: (error) =>
        console.warn(JSON.stringify({ level: "warn", msg: "PGlite data directory lock lost", error: error.message })),
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ELOCKED") throw new DataDirectoryInUse(dataDir);
    throw error;
  }
}

/** Destroys the handle and releases what it holds (the PGlite data directory lock). */
export async function closeDatabase(db: Db): Promise<void> {
  try {
    await db.destroy();
    // Kysely closes the driver only once a query has run; a PGlite opened and never queried
    // would go on starting up in its folder after the lock is released (and the folder removed).
    const pglite = embeddedEngines.get(db);
    if (pglite && !pglite.closed) {
      await pglite.waitReady;
      if (!pglite.closed) await pglite.close();
    }
  } finally {
    dataDirectoryLocks.get(db)?.();
    dataDirectoryLocks.delete(db);
  }
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
    try {
      await migrateToLatest(db as unknown as Kysely<unknown>);
    } catch (error) {
      await closeDatabase(db).catch(() => {});
      throw error;
    }
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
  if (cached) await closeDatabase(await cached.ready);
}
