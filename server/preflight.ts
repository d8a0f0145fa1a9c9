/**
 * What a newcomer trips over when starting the server, said in one line each instead of a
 * stack trace: no production build yet, a port already taken, a database that can't be opened.
 * The `…Line` functions say it; the `stop…` ones print it and exit with 1.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { databaseProblemLine } from "#db/connection";

// Remix's server build, from the project root (the working directory, as for static files): this
// module runs from server/ under tsx and from build/node/ once compiled.
export const SERVER_BUILD = pathToFileURL(path.resolve("build/server/index.js"));

export function missingBuildLine(build: URL = SERVER_BUILD): string | null {
  if (existsSync(build)) return null;
  return "No production build found (build/server/index.js): run `npm run build` first, or `npm run demo`, which installs, builds, seeds and starts.";
}

export function listenErrorLine(error: NodeJS.ErrnoException, port: number, host: string): string | null {
  switch (error.code) {
    case "EADDRINUSE":
      return `Port ${port} is already in use (another Hindsight, or another server): stop it, or choose a free port, e.g. PORT=${port + 1} npm start.`;
    case "EACCES":
      return `Not allowed to listen on ${host}:${port}: choose a port above 1023, e.g. PORT=3000 npm start.`;
    case "EADDRNOTAVAIL":
      return `HOST=${host} is not an address of this machine: unset HOST to listen on all addresses.`;
    default:
      return null;
  }
}

function stopWith(line: string | null): void {
  if (!line) return;
  process.stderr.write(`${line}\n`);
  process.exit(1);
}

export function requireProductionBuild(): void {
  stopWith(missingBuildLine());
}

export function stopOnDatabaseProblem(error: unknown): never {
  stopWith(databaseProblemLine(error));
  throw error;
}

export function stopOnListenError(error: NodeJS.ErrnoException, port: number, host: string): never {
  stopWith(listenErrorLine(error, port, host));
  throw error;
}
