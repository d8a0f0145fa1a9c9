/**
 * Backups of the whole database, on either engine, with each engine's own tool:
 * - Postgres: `pg_dump --format=custom`, restored with `pg_restore --clean` in one transaction;
 * - PGlite: its own data-directory dump (a gzipped tarball), restored into a fresh directory
 *   (the directory it replaces is kept beside it, never deleted).
 * A backup file says which engine made it by its first bytes, so a restore refuses the wrong one.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, openSync, readSync, closeSync, readdirSync, renameSync, statSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { PGlite } from "@electric-sql/pglite";
import { lockDataDirectory, type DatabaseTarget } from "./connection";

const run = promisify(execFile);

export type BackupReport = { engine: DatabaseTarget["engine"]; file: string; bytes: number };

/** A problem a person can fix, said in one line by the command. */
class BackupProblem extends Error {
  override name = "BackupProblem";
}

export function defaultBackupFile(target: DatabaseTarget, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  return path.join("backups", `hindsight-${target.engine}-${stamp}${target.engine === "postgres" ? ".dump" : ".tar.gz"}`);
}

export async function backupDatabase(target: DatabaseTarget, file: string): Promise<BackupReport> {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  if (target.engine === "postgres") {
    await postgresTool("pg_dump", ["--format=custom", "--no-owner", "--no-privileges", `--file=${file}`, `--dbname=${target.url}`]);
  } else {
    const dataDir = requirePersistentDir(target);
    if (!existsSync(dataDir)) throw new BackupProblem(`There is no embedded database in ${dataDir} to back up.`);
    const release = lockDataDirectory(dataDir);
    try {
      const pglite = new PGlite(dataDir);
      try {
        const dump = await pglite.dumpDataDir("gzip");
        await writeFile(file, Buffer.from(await dump.arrayBuffer()));
      } finally {
        await pglite.close();
      }
    } finally {
      release();
    }
  }
  return { engine: target.engine, file, bytes: statSync(file).size };
}

export type RestoreReport = BackupReport & { keptAside: string | null };

export async function restoreDatabase(target: DatabaseTarget, file: string): Promise<RestoreReport> {
  if (!existsSync(file)) throw new BackupProblem(`No backup file at ${file}.`);
  const made = backupEngine(file);
  if (made !== target.engine) {
    throw new BackupProblem(
      made
        ? `${file} is a ${made} backup and this is a ${target.engine} database: restore it into the engine that made it.`
        : `${file} is not a Hindsight backup (neither pg_dump's custom format nor a PGlite dump).`,
    );
  }
  let keptAside: string | null = null;
  if (target.engine === "postgres") {
    await postgresTool("pg_restore", ["--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction", `--dbname=${target.url}`, file]);
  } else {
    const dataDir = requirePersistentDir(target);
    const release = lockDataDirectory(dataDir);
    try {
      if (existsSync(dataDir) && readdirSync(dataDir).length > 0) {
        keptAside = `${dataDir}.before-restore-${Date.now()}`;
        renameSync(dataDir, keptAside);
      }
      const pglite = new PGlite(dataDir, { loadDataDir: new Blob([await readFile(file)]) });
      try {
        await pglite.query("select 1");
      } finally {
        await pglite.close();
      }
    } finally {
      release();
    }
  }
  return { engine: target.engine, file, bytes: statSync(file).size, keptAside };
}

function requirePersistentDir(target: Extract<DatabaseTarget, { engine: "pglite" }>): string {
  if (!target.dataDir) throw new BackupProblem("An in-memory database has nothing to back up.");
  return target.dataDir;
}

/** "postgres" for pg_dump's custom format (PGDMP), "pglite" for a gzipped tarball, else null. */
function backupEngine(file: string): DatabaseTarget["engine"] | null {
  const head = Buffer.alloc(5);
  const fd = openSync(file, "r");
  try {
    readSync(fd, head, 0, 5, 0);
  } finally {
    closeSync(fd);
  }
  if (head.toString("latin1") === "PGDMP") return "postgres";
  if (head[0] === 0x1f && head[1] === 0x8b) return "pglite";
  return null;
}

async function postgresTool(tool: "pg_dump" | "pg_restore", args: string[]): Promise<void> {
  try {
    await run(tool, args, { maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stderr?: string };
    if (failure.code === "ENOENT") {
      throw new BackupProblem(`${tool} is not installed: install the PostgreSQL client tools (apt-get install postgresql-client).`);
    }
    const detail = failure.stderr?.trim().split("\n")[0] ?? failure.message;
    throw new BackupProblem(`${tool} failed: ${detail}`);
  }
}
