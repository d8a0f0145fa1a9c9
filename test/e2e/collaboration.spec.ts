import { spawn, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import WebSocket from "ws";
import type { Page } from "@playwright/test";
import {
  adminWithWorkspace,
  appOrigin,
  expect,
  expectAllSaved,
  inviteMember,
  openEditor,
  postmortemBody,
  postmortemPath,
  recordIncident,
  shoot,
  startPostmortem,
  test,
  visit,
  waitForHydration,
} from "./helpers";

/** Types into a template section that still shows only its guidance (an empty paragraph under the heading). */
async function typeInEmptySection(page: Page, heading: string, text: string): Promise<void> {
  await postmortemBody(page).getByRole("heading", { name: heading }).click();
  await page.keyboard.press("End");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.type(text);
  await expect(postmortemBody(page)).toContainText(text);
}

/**
 * Live co-editing (issue 15): two people in two browser contexts write one postmortem at once;
 * carets and names; the server killed and started again mid-session; viewers; foreign origins.
 */

/** Puts the caret right after `word` in the body, through the editor (a click could land on another person's caret label). */
async function caretAfter(page: Page, word: string) {
  await page.evaluate((text) => {
    type Node = { isText: boolean; text?: string };
    type EditorLike = {
      state: { doc: { descendants: (f: (node: Node, pos: number) => void) => void } };
      chain: () => { focus: () => { setTextSelection: (pos: number) => { run: () => boolean } } };
    };
    const editor = (document.querySelector(".ProseMirror") as unknown as { editor: EditorLike }).editor;
    let target = -1;
    editor.state.doc.descendants((node, pos) => {
      if (target < 0 && node.isText && node.text!.includes(text)) target = pos + node.text!.indexOf(text) + text.length;
    });
    editor.chain().focus().setTextSelection(target).run();
  }, word);
}

/** The text of the body's paragraph starting with `start`, as the editor holds it (carets are decorations, not text). */
function paragraphText(page: Page, start: string): Promise<string | null> {
  return page.evaluate((prefix) => {
    type Node = { type: { name: string }; textContent: string };
    type EditorLike = { state: { doc: { descendants: (f: (node: Node) => boolean | void) => void } } };
    const editor = (document.querySelector(".ProseMirror") as unknown as { editor: EditorLike }).editor;
    let found: string | null = null;
    editor.state.doc.descendants((node) => {
      if (found === null && node.type.name === "paragraph" && node.textContent.startsWith(prefix)) found = node.textContent;
      return found === null;
    });
    return found;
  }, start);
}

function upgradeStatus(url: string, origin: string, cookie: string): Promise<number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url.replace(/^http/, "ws") + "/collab", { headers: { origin, cookie } });
    socket.on("open", () => {
      socket.close();
      resolve(101);
    });
    socket.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
    socket.on("error", () => resolve(0));
  });
}

test.describe("writing together", () => {
  test("two people type into the same paragraph at once and end with the same text; each sees the other's caret and name", async ({ page, browser }) => {
    test.slow();
    const { slug, user: author } = await adminWithWorkspace(page, "author");
    const { page: other, user: colleague } = await inviteMember(page, browser, slug, "editor", "colleague");
    try {
      const number = await recordIncident(page, slug, { title: "Webhooks delivered late", tier: "T3", startedAt: "2026-03-02T10:00" });
      await startPostmortem(page, slug, number, "Lightweight");
      await openEditor(other, slug, number);
      await expect(postmortemBody(page)).toHaveAttribute("contenteditable", "true");

      // Who is here: both, on both pages.
      for (const p of [page, other]) {
        await expect(p.getByRole("region", { name: "Who is here" })).toContainText(author.name);
        await expect(p.getByRole("region", { name: "Who is here" })).toContainText(colleague.name);
      }

      // One paragraph for both to type into.
      await typeInEmptySection(page, "What happened", "Shared start. Shared end.");
      await expect(postmortemBody(other)).toContainText("Shared start. Shared end.");

      await caretAfter(page, "Shared start.");
      await caretAfter(other, "Shared end.");
      // Each sees the other's caret, labelled with their name.
      await expect(other.locator(".collab-caret-name", { hasText: author.name })).toBeVisible();
      await expect(page.locator(".collab-caret-name", { hasText: colleague.name })).toBeVisible();

      // Both type at the same moment.
      await Promise.all([page.keyboard.type(" Alpha from the author."), other.keyboard.type(" Beta from the colleague.")]);
      const merged = "Shared start. Alpha from the author. Shared end. Beta from the colleague.";
      await expect.poll(() => paragraphText(page, "Shared start.")).toBe(merged);
      await expect.poll(() => paragraphText(other, "Shared start.")).toBe(merged);
      await shoot(page, "30-live-editing");

      // Stored and derived: the read view shows the merged text.
      const version = await expectAllSaved(page);
      await expectAllSaved(other, version);
      await visit(page, postmortemPath(slug, number));
      await expect(page.getByRole("article", { name: "Postmortem" })).toContainText(merged);

      await other.setViewportSize({ width: 390, height: 800 });
      await shoot(other, "31-live-editing-narrow");
    } finally {
      await other.context().close();
    }
  });

  test("a viewer's page can't change the text, and a connection from a foreign Origin is refused", async ({ page, browser }) => {
    const { slug } = await adminWithWorkspace(page, "owner");
    const { page: viewer } = await inviteMember(page, browser, slug, "viewer", "viewer");
    try {
      const number = await recordIncident(page, slug, { title: "Search index stale", tier: "T3", startedAt: "2026-03-03T10:00" });
      await startPostmortem(page, slug, number, "Lightweight");
      // The viewer reads; the writing page is not theirs, and the read page ships no editor.
      await visit(viewer, postmortemPath(slug, number));
      await expect(viewer.locator("[contenteditable=true]")).toHaveCount(0);
      await visit(viewer, postmortemPath(slug, number, "/edit"), 403);

      const cookies = await page.context().cookies();
      const cookie = cookies.map((c) => `${c.name}=${c.value}`).join("; ");
      expect(await upgradeStatus(appOrigin(), "https://evil.example", cookie)).toBe(403);
      expect(await upgradeStatus(appOrigin(), appOrigin(), cookie)).toBe(101);
    } finally {
      await viewer.context().close();
    }
  });
});

test.describe("the server goes away mid-session", () => {
  const port = Number(process.env.E2E_PORT ?? 3210) + 5;
  const url = `http://localhost:${port}`;
  const dataDir = `.data/e2e-collab-${port}/pglite`;
  let server: ChildProcess | null = null;

  /** Starts the app on its own PGlite folder; after a kill the folder's lock goes stale within 10 s, so a start may be refused until then. */
  async function startServer() {
    const { DATABASE_URL: _postgres, ...inherited } = process.env;
    const until = Date.now() + 90_000;
    while (Date.now() < until) {
      if (!server || server.exitCode !== null || server.signalCode !== null) {
        server = spawn(process.execPath, ["build/node/server/index.js"], {
          env: { ...inherited, NODE_ENV: "production", PORT: String(port), PGLITE_DIR: dataDir, LOG_LEVEL: "error" },
          stdio: "ignore",
        });
      }
      if (await fetch(`${url}/healthz`).then((r) => r.ok).catch(() => false)) return;
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error("the second server did not start");
  }

  test.beforeAll(async () => {
    test.setTimeout(120_000);
    rmSync(`.data/e2e-collab-${port}`, { recursive: true, force: true });
    await startServer();
  });

  test.afterAll(async () => {
    server?.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 1000));
  });

  test("killed and started again: after reconnecting nothing typed before the kill (or while it was down) is lost", async ({ browser }) => {
    test.setTimeout(180_000);
    const context = await browser.newContext({ baseURL: url });
    const page = await context.newPage();
    try {
      const { slug } = await adminWithWorkspace(page, "writer");
      const number = await recordIncident(page, slug, { title: "Queue stalled", tier: "T3", startedAt: "2026-03-04T10:00" });
      await startPostmortem(page, slug, number, "Lightweight");
      await waitForHydration(page);
      await expectAllSaved(page);

      await typeInEmptySection(page, "What happened", "Typed just before the kill.");
      // Killed at once: the server had no time to store (its store waits for a pause in typing).
      server!.kill("SIGKILL");
      await expect(page.getByRole("alert")).toContainText("The live connection is lost");
      await expect(page.getByTestId("save-state")).toContainText("Offline");
      await page.keyboard.press("Enter");
      await page.keyboard.type("Typed while the server was down.");
      await shoot(page, "32-live-editing-offline");

      await startServer();
      // The browser reconnects on its own (within a few seconds) and sends what it kept.
      await expect(page.getByTestId("save-state")).toHaveText(/^All changes saved · version \d+$/, { timeout: 30_000 });
      await expect(page.getByRole("alert")).toHaveCount(0);
      await page.reload();
      await waitForHydration(page);
      await expect(postmortemBody(page)).toContainText("Typed just before the kill.");
      await expect(postmortemBody(page)).toContainText("Typed while the server was down.");
      await visit(page, postmortemPath(slug, number));
      const article = page.getByRole("article", { name: "Postmortem" });
      await expect(article).toContainText("Typed just before the kill.");
      await expect(article).toContainText("Typed while the server was down.");
    } finally {
      await context.close();
    }
  });
});
