/**
 * Where the browser for the end-to-end tests is. One place decides it: the Playwright config
 * and the provisioning step both ask here. `HINDSIGHT_CHROMIUM` overrides the search (macOS,
 * other distributions, a Chrome of your own); without it, Debian's and other common Chromium
 * locations are tried in order. Never a browser downloaded by a test tool.
 */
import { accessSync, constants } from "node:fs";

const BROWSER_OVERRIDE = "HINDSIGHT_CHROMIUM";

/** The real binary first: Debian's /usr/bin/chromium is a shell wrapper around it. */
const CANDIDATES = [
  "/usr/lib/chromium/chromium",
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/lib64/chromium-browser/chromium-browser",
  "/snap/bin/chromium",
  "/Applications/Chromium.app/Contents/MacOS/Chromium",
  "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
];

export type BrowserLocation =
  | { found: true; path: string; source: "override" | "search" }
  | { found: false; override: string | null };

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function locateBrowser(env: Record<string, string | undefined> = process.env): BrowserLocation {
  const override = env[BROWSER_OVERRIDE]?.trim();
  if (override) {
    return isExecutable(override) ? { found: true, path: override, source: "override" } : { found: false, override };
  }
  const path = CANDIDATES.find(isExecutable);
  return path ? { found: true, path, source: "search" } : { found: false, override: null };
}

/** The one line a person reads when there is no browser and none can be installed here. */
export function missingBrowserLine(location: Extract<BrowserLocation, { found: false }>, reason?: string): string {
  const why = location.override
    ? `${BROWSER_OVERRIDE}=${location.override} is not an executable file`
    : `no Chromium found${reason ? ` and ${reason}` : ""}`;
  return `e2e: ${why}. Run \`sudo apt-get install -y chromium\` (Debian/Ubuntu), or set ${BROWSER_OVERRIDE} to a Chromium or Chrome binary.`;
}
