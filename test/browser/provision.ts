/**
 * Runs before Playwright (`npm run test:e2e`): makes sure the browser is there. On a Debian
 * machine run as root it installs Debian's `chromium` package, non-interactively; anywhere
 * else it stops before the first test with one line that says what to run.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { locateBrowser, missingBrowserLine } from "./locate";

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

function fail(line: string): never {
  process.stderr.write(`${line}\n`);
  process.exit(1);
}

function version(path: string): string {
  const run = spawnSync(path, ["--version"], { encoding: "utf8", timeout: 20_000 });
  return run.status === 0 ? run.stdout.trim() : "version unknown";
}

function installDebianChromium(): string | null {
  if (process.platform !== "linux" || !existsSync("/etc/debian_version") || !existsSync("/usr/bin/apt-get")) {
    return "this is not a Debian-like system with apt-get";
  }
  if (typeof process.getuid === "function" && process.getuid() !== 0) {
    return "installing it needs root";
  }
  const started = Date.now();
  say("e2e: no Chromium found; installing Debian's chromium package (apt-get, non-interactive)…");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  for (const args of [["update", "-qq"], ["install", "-y", "-qq", "chromium"]]) {
    const run = spawnSync("apt-get", args, { env, stdio: ["ignore", "ignore", "inherit"] });
    if (run.status !== 0) return `\`apt-get ${args.join(" ")}\` failed (exit ${run.status ?? run.signal})`;
  }
  say(`e2e: chromium installed in ${Math.round((Date.now() - started) / 1000)} s`);
  return null;
}

let location = locateBrowser();
if (!location.found && location.override === null) {
  const problem = installDebianChromium();
  location = locateBrowser();
  if (!location.found) fail(missingBrowserLine(location, problem ?? "the install did not provide one"));
}
if (!location.found) fail(missingBrowserLine(location));
say(`e2e: browser ${location.path} (${version(location.path)})`);
