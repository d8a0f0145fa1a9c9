/**
 * Keystroke A → B between two real browsers (bench/collaboration/run.ts `--browser`): Debian's
 * Chromium (as the e2e tests find it, test/browser/locate.ts) with two browser contexts, each
 * logged in as a different member of the workspace, on the same postmortem's editing page.
 *
 * A types one character at a time into a paragraph of its own. Page A notes the time of each
 * keydown; page B notes, from a MutationObserver on its editor, the time at which its editor's
 * DOM first holds that character. Both stamps are performance.timeOrigin + performance.now() of
 * pages on the same machine, so their difference is the whole path: A's editor and Yjs, the
 * provider, the socket, the server, B's provider, Yjs, y-tiptap and ProseMirror's DOM update.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { chromium, type Page } from "@playwright/test";
import { locateBrowser, missingBrowserLine } from "../../test/browser/locate";

export type BrowserKeystrokes = {
  samples: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  intervalMs: number;
  browser: string;
  /** Every script page A had loaded once the editor was live, before anyone typed (gzip -9). */
  jsOnOpenGzipKb: number;
  /** And after typing (the editor's first focus loads the link detection). */
  jsAfterTypingGzipKb: number;
};

/** The gzipped size of every script the page has loaded so far (module entry, preloads, chunks loaded later). */
async function loadedScriptsKb(page: Page, clientDir: string): Promise<number> {
  const urls = await page.evaluate(() => performance.getEntriesByType("resource").map((entry) => entry.name));
  const files = [...new Set(urls.map((url) => new URL(url).pathname).filter((p) => p.startsWith("/assets/") && p.endsWith(".js")))];
  const bytes = files.reduce((sum, file) => sum + gzipSync(readFileSync(path.join(clientDir, file)), { level: 9 }).length, 0);
  return Number((bytes / 1024).toFixed(1));
}

/** The first characters of the paragraph the bench types into, so page B can find it. */
const MARKER = "Bench keystrokes:";

/**
 * Page B's side, as source text: tsx would wrap the named functions of a callback in a helper
 * that does not exist in the page. From the time it runs, `window.benchSeen[i]` is the time at
 * which the editor's DOM first held the i-th character typed after the marker (the paragraph's
 * text without A's caret, a decoration that holds A's name); `benchWait(n)` resolves once n are
 * seen, and `benchText()` is that paragraph's text.
 */
const OBSERVE_TYPING = `function (marker) {
  var seen = [];
  window.benchSeen = seen;
  var root = document.querySelector(".ProseMirror");
  function textOf(node) {
    if (node.nodeType === Node.TEXT_NODE) return node.textContent || "";
    if (node instanceof Element && node.classList.contains("collab-caret")) return "";
    return Array.from(node.childNodes, textOf).join("");
  }
  var known = -1;
  var waiting = [];
  window.benchWait = function (n) {
    return new Promise(function (resolve) { if (seen.length >= n) resolve(); else waiting.push({ n: n, resolve: resolve }); });
  };
  window.benchText = function () {
    var paragraph = Array.from(root.querySelectorAll("p")).find(function (p) { return textOf(p).startsWith(marker); });
    return paragraph ? textOf(paragraph) : null;
  };
  function look() {
    var at = performance.timeOrigin + performance.now();
    var paragraph = Array.from(root.querySelectorAll("p")).find(function (p) { return textOf(p).startsWith(marker); });
    if (!paragraph) return;
    var typed = textOf(paragraph).length - marker.length;
    if (known < 0) known = typed;
    while (known < typed) { seen.push(at); known += 1; }
    waiting = waiting.filter(function (w) { if (seen.length < w.n) return true; w.resolve(); return false; });
  }
  look();
  new MutationObserver(look).observe(root, { childList: true, subtree: true, characterData: true });
}`;

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))]!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function openEditor(page: Page, url: string) {
  await page.goto(url);
  // Live and editable: the provider has synced and the editor is bound to the Y.Doc.
  await page.locator('.ProseMirror[contenteditable="true"]').waitFor({ timeout: 30_000 });
  await page.getByTestId("save-state").filter({ hasText: "All changes saved" }).waitFor({ timeout: 30_000 });
}

export async function browserKeystrokes(options: {
  origin: string;
  path: string;
  /** Session tokens (hs_session) of two different members of the workspace. */
  sessions: [string, string];
  keystrokes: number;
  intervalMs: number;
  /** build/client, to weigh the scripts the pages loaded. */
  clientDir: string;
}): Promise<BrowserKeystrokes> {
  const location = locateBrowser();
  if (!location.found) throw new Error(missingBrowserLine(location));
  const browser = await chromium.launch({
    executablePath: location.path,
    headless: true,
    // As playwright.config.ts launches it for the e2e tests.
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"],
  });
  try {
    const pages: Page[] = [];
    for (const token of options.sessions) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      await context.addCookies([{ name: "hs_session", value: token, url: options.origin }]);
      pages.push(await context.newPage());
    }
    const [a, b] = pages as [Page, Page];
    const url = `${options.origin}${options.path}`;
    await Promise.all([openEditor(a, url), openEditor(b, url)]);
    // Each sees the other in the "who is here" list: both are in the room.
    for (const page of pages) await page.getByTestId("presence-person").nth(1).waitFor({ timeout: 30_000 });
    const jsOnOpenGzipKb = await loadedScriptsKb(a, options.clientDir);

    // A: a paragraph of its own at the end of the document, and a stamp for every keydown.
    await a.evaluate(() => {
      const stamps: number[] = [];
      (window as unknown as { benchKeydowns: number[] }).benchKeydowns = stamps;
      document.addEventListener("keydown", () => stamps.push(performance.timeOrigin + performance.now()), { capture: true });
    });
    await a.evaluate(() => {
      type EditorLike = { chain: () => { focus: (at: "end") => { run: () => boolean } } };
      (document.querySelector(".ProseMirror") as unknown as { editor: EditorLike }).editor.chain().focus("end").run();
    });
    await a.keyboard.press("Enter");
    await a.keyboard.insertText(MARKER);
    // B: the time at which its editor's DOM first holds each new character of that paragraph.
    await b.waitForFunction((marker) => document.querySelector(".ProseMirror")?.textContent?.includes(marker), MARKER, { timeout: 30_000 });
    await b.evaluate(`(${OBSERVE_TYPING})(${JSON.stringify(MARKER)})`);
    await a.evaluate(() => ((window as unknown as { benchKeydowns: number[] }).benchKeydowns.length = 0));

    const latencies: number[] = [];
    const letters = "abcdefghijklmnopqrstuvwxyz";
    for (let i = 0; i < options.keystrokes; i += 1) {
      await a.keyboard.press(letters[i % letters.length]!);
      const arrived = b.evaluate((n) => (window as unknown as { benchWait: (n: number) => Promise<void> }).benchWait(n), i + 1);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`keystroke ${i + 1} did not reach B in 10 s`)), 10_000)));
      await Promise.race([arrived, late]).finally(() => clearTimeout(timer));
      await sleep(options.intervalMs);
    }
    const sent = await a.evaluate(() => (window as unknown as { benchKeydowns: number[] }).benchKeydowns);
    const seen = await b.evaluate(() => (window as unknown as { benchSeen: number[] }).benchSeen);
    if (sent.length !== options.keystrokes || seen.length !== options.keystrokes) {
      throw new Error(`expected ${options.keystrokes} keystrokes, A noted ${sent.length} and B saw ${seen.length}`);
    }
    const typed = Array.from({ length: options.keystrokes }, (_, i) => letters[i % letters.length]).join("");
    const text = await b.evaluate(() => (window as unknown as { benchText: () => string | null }).benchText());
    if (text !== `${MARKER}${typed}`) throw new Error(`B's paragraph is not what A typed: ${JSON.stringify(text)}`);
    for (let i = 0; i < sent.length; i += 1) latencies.push(seen[i]! - sent[i]!);
    const jsAfterTypingGzipKb = await loadedScriptsKb(a, options.clientDir);
    const round = (ms: number) => Number(ms.toFixed(1));
    return {
      samples: latencies.length,
      p50Ms: round(percentile(latencies, 50)),
      p95Ms: round(percentile(latencies, 95)),
      maxMs: round(Math.max(...latencies)),
      intervalMs: options.intervalMs,
      browser: browser.version(),
      jsOnOpenGzipKb,
      jsAfterTypingGzipKb,
    };
  } finally {
    await browser.close();
  }
}
