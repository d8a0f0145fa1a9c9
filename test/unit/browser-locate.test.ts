import { describe, expect, it } from "vitest";
import { locateBrowser, missingBrowserLine } from "../browser/locate";

describe("finding the browser for the end-to-end tests", () => {
  it("uses HINDSIGHT_CHROMIUM when it names an executable", () => {
    expect(locateBrowser({ HINDSIGHT_CHROMIUM: process.execPath })).toEqual({ found: true, path: process.execPath, source: "override" });
  });

  it("never falls back to a search when the override is wrong, and says which setting is wrong", () => {
    const location = locateBrowser({ HINDSIGHT_CHROMIUM: "/nowhere/chrome" });
    expect(location).toEqual({ found: false, override: "/nowhere/chrome" });
    if (location.found) throw new Error("unreachable");
    expect(missingBrowserLine(location)).toBe(
      "e2e: HINDSIGHT_CHROMIUM=/nowhere/chrome is not an executable file. Run `sudo apt-get install -y chromium` (Debian/Ubuntu), or set HINDSIGHT_CHROMIUM to a Chromium or Chrome binary.",
    );
  });

  it("says why nothing could be installed when no browser is found", () => {
    expect(missingBrowserLine({ found: false, override: null }, "installing it needs root")).toBe(
      "e2e: no Chromium found and installing it needs root. Run `sudo apt-get install -y chromium` (Debian/Ubuntu), or set HINDSIGHT_CHROMIUM to a Chromium or Chrome binary.",
    );
  });
});
