import { defineConfig } from "@playwright/test";
import { locateBrowser, missingBrowserLine } from "./test/browser/locate";

/**
 * End-to-end tests drive Debian's Chromium (never a downloaded browser) against the production
 * build, served with a fresh, throwaway PGlite database seeded with the demo workspace
 * (DATABASE_URL is unset for it, so a Postgres configured for other tests is never touched).
 */
const PORT = Number(process.env.E2E_PORT ?? 3210);
const BASE_URL = `http://localhost:${PORT}`;
const E2E_DB = ".data/e2e/pglite";

// `npm run test:e2e` provisions the browser first; run directly, Playwright stops here with one line.
const browser = locateBrowser();
if (!browser.found) {
  process.stderr.write(`${missingBrowserLine(browser)} (or run \`npm run test:e2e\`, which installs it where it can)\n`);
  process.exit(1);
}

export default defineConfig({
  testDir: "test/e2e",
  // Two cores: one browser and one app server are all this machine runs well at once.
  workers: 1,
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 5_000 },
  reporter: process.env.CI ? [["list"], ["html", { open: "never" }]] : "list",
  outputDir: "test-results",
  use: {
    baseURL: BASE_URL,
    browserName: "chromium",
    viewport: { width: 1280, height: 800 },
    actionTimeout: 10_000,
    navigationTimeout: 15_000,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: browser.path,
      headless: true,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-dev-shm-usage",
      ],
    },
  },
  webServer: {
    // exec: the server replaces the shell, so Playwright's stop signal reaches it directly.
    command: [
      `rm -rf .data/e2e`,
      `npm run build`,
      `env -u DATABASE_URL PGLITE_DIR=${E2E_DB} npm run db:seed`,
      `exec env -u DATABASE_URL PGLITE_DIR=${E2E_DB} PORT=${PORT} LOG_LEVEL=warn NODE_ENV=production node server/launch.mjs server/index`,
    ].join(" && "),
    url: `${BASE_URL}/healthz`,
    reuseExistingServer: !process.env.CI,
    // Building and seeding the demo story take a minute or two on a busy machine.
    timeout: 240_000,
    stdout: "ignore",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 5_000 },
  },
});
