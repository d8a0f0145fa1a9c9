/**
 * The production server, started for a benchmark on a Postgres database and logged in as the
 * demo user: what bench/search and bench/insights measure against.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { connect } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DEMO_USER } from "#db/seed";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Where the server keeps its data: a Postgres URL, or a PGlite data folder. */
export type BenchDatabase = { url: string } | { pgliteDir: string };

/**
 * Starts the compiled production server (`npm run build` first) on the Node running the benchmark.
 * A URL string is Postgres (what bench/search and bench/insights pass).
 */
export async function startServer(database: string | BenchDatabase, port: number, timeoutMs = 90_000, env: Record<string, string> = {}): Promise<ChildProcess> {
  for (const file of ["build/server/index.js", "build/node/server/index.js"]) {
    if (!existsSync(path.join(ROOT, file))) throw new Error(`No production build (${file}): run \`npm run build\` first.`);
  }
  // Something else on the port would answer the health check below, and be measured instead.
  const taken = await new Promise<boolean>((resolve) => {
    const probe = connect(port, "127.0.0.1");
    probe.once("connect", () => (probe.destroy(), resolve(true)));
    probe.once("error", () => resolve(false));
  });
  if (taken) throw new Error(`Port ${port} is already in use on this machine: choose another with --port.`);
  const target = typeof database === "string" ? { url: database } : database;
  const { DATABASE_URL: _unset, ...inherited } = process.env;
  // As npm start runs it: with a garbage collection when the server goes quiet (server/idle-gc.ts).
  const child = spawn(process.execPath, ["build/node/server/index.js"], {
    cwd: ROOT,
    env: {
      ...inherited,
      ...("url" in target ? { DATABASE_URL: target.url } : { PGLITE_DIR: target.pgliteDir }),
      PORT: String(port),
      HOST: "127.0.0.1",
      NODE_ENV: "production",
      LOG_LEVEL: "warn",
      ...env,
    },
    stdio: ["ignore", process.env.BENCH_SERVER_STDOUT === "inherit" ? "inherit" : "ignore", "inherit"],
  });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill("SIGTERM");
  throw new Error(`server did not become healthy in ${timeoutMs / 1000} s`);
}

export async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
}

/** The demo user's session cookie on the server at `port`. */
export async function logInAsDemo(port: number): Promise<string> {
  const origin = `http://127.0.0.1:${port}`;
  const response = await fetch(`${origin}/login`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: origin },
    body: new URLSearchParams({ email: DEMO_USER.email, password: DEMO_USER.password }),
    redirect: "manual",
  });
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith("hs_session="));
  if (!cookie) throw new Error(`login failed: ${response.status}`);
  return cookie.split(";")[0]!;
}
