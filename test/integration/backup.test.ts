/**
 * `npm run db:backup` and `npm run db:restore` on both engines: a backup, then the data wiped,
 * then the restore gives back every table row for row.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { sql } from "kysely";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { closeDatabase, migrateToLatest, openDatabase, type DatabaseTarget, type Db } from "#db/connection";
import { postgresAvailable, POSTGRES_ADMIN_URL } from "../support/databases";
import { makeUser, makeWorkspace } from "../support/factories";
import { makeAction, makeFactor, makePostmortem } from "../support/guardrails";

const scratch = mkdtempSync(path.join(tmpdir(), "hindsight-backup-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Every table's row count and a digest of its rows in a fixed order. */
async function fingerprint(db: Db): Promise<Record<string, { rows: number; digest: string }>> {
  const tables = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
     where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`.execute(db);
  const result: Record<string, { rows: number; digest: string }> = {};
  for (const { name } of tables.rows) {
    const row = await sql<{ rows: number; digest: string | null }>`
      select count(*)::int as rows, md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as digest
        from ${sql.table(name)} t`.execute(db);
    result[name] = { rows: row.rows[0]!.rows, digest: row.rows[0]!.digest ?? "" };
  }
  return result;
}

async function fillWithData(db: Db): Promise<void> {
  const admin = await makeUser(db, "Backup Admin");
  const ws = await makeWorkspace(db, admin);
  const incidentNumber = await makePostmortem(db, admin, ws.id, { title: "Ledger writes stalled — “quotes”, ünïcode" });
  const factorId = await makeFactor(db, admin, ws.id, incidentNumber);
  await makeAction(db, admin, ws.id, factorId);
}

async function command(script: "backup" | "restore", env: Record<string, string>, file: string) {
  return promisify(execFile)("node_modules/.bin/tsx", [`db/cli/${script}.ts`, file], { env: { ...process.env, ...env }, timeout: 120_000 });
}

describe("backup and restore [pglite]", () => {
  it("gives back every table after the data folder is wiped, and keeps the folder it replaced", async () => {
    const dataDir = path.join(scratch, "pglite");
    const target: DatabaseTarget = { engine: "pglite", dataDir };
    const db = openDatabase(target);
    await migrateToLatest(db as never);
    await fillWithData(db);
    const before = await fingerprint(db);
    await closeDatabase(db);

    const file = path.join(scratch, "embedded.tar.gz");
    const env = { DATABASE_URL: "", PGLITE_DIR: dataDir };
    expect(JSON.parse((await command("backup", env, file)).stdout)).toMatchObject({ backup: { engine: "pglite", file } });

    rmSync(dataDir, { recursive: true, force: true });
    const wiped = openDatabase(target);
    await migrateToLatest(wiped as never);
    expect((await fingerprint(wiped)).incidents?.rows).toBe(0);
    await closeDatabase(wiped);

    const restored = JSON.parse((await command("restore", env, file)).stdout).restored;
    expect(restored.keptAside).toMatch(/pglite\.before-restore-\d+$/);
    expect(existsSync(restored.keptAside)).toBe(true);
    const after = openDatabase(target);
    try {
      expect(await fingerprint(after)).toEqual(before);
    } finally {
      await closeDatabase(after);
    }
  }, 180_000);

  it("refuses a file that is not a backup of this engine, in one line", async () => {
    const env = { DATABASE_URL: "", PGLITE_DIR: path.join(scratch, "other") };
    const refused = await command("restore", env, "package.json").then(() => null, (error: { code: number; stderr: string }) => error);
    expect(refused?.code).toBe(1);
    expect(refused?.stderr.trim().split("\n")).toEqual(["package.json is not a Hindsight backup (neither pg_dump's custom format nor a PGlite dump)."]);
  }, 60_000);
});

describe.skipIf(!(await postgresAvailable()))("backup and restore [postgres]", () => {
  it("gives back every table after the tables are dropped", async () => {
    const name = `hindsight_backup_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
    await admin.connect();
    await admin.query(`create database ${name}`);
    const url = new URL(POSTGRES_ADMIN_URL);
    url.pathname = `/${name}`;
    const db = openDatabase({ engine: "postgres", url: url.toString() });
    try {
      await migrateToLatest(db as never);
      await fillWithData(db);
      const before = await fingerprint(db);

      const file = path.join(scratch, "server.dump");
      const env = { DATABASE_URL: url.toString() };
      expect(JSON.parse((await command("backup", env, file)).stdout)).toMatchObject({ backup: { engine: "postgres", file } });

      await sql`drop schema public cascade`.execute(db);
      await sql`create schema public`.execute(db);
      expect(await fingerprint(db)).toEqual({});

      const pgliteEnv = { DATABASE_URL: "", PGLITE_DIR: path.join(scratch, "unused") };
      const crossed = await command("restore", pgliteEnv, file).then(() => null, (error: { stderr: string }) => error);
      expect(crossed?.stderr.trim()).toBe(`${file} is a postgres backup and this is a pglite database: restore it into the engine that made it.`);

      await command("restore", env, file);
      expect(await fingerprint(db)).toEqual(before);
    } finally {
      await db.destroy();
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  }, 180_000);
});
