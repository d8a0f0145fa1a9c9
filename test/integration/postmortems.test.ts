import { expect, it } from "vitest";
import { listAreas, setAreaMaintainers } from "~/domain/workspaces/index.server";
import {
  findPostmortem,
  listRevisions,
  publishPostmortem,
  reopenPostmortem,
  requestReview,
  restoreRevision,
  reviewPostmortem,
  savePostmortem,
  startPostmortem,
} from "~/domain/postmortems/index.server";
import { describeEachEngine } from "../support/databases";
import { addMember, makeUser, makeWorkspace } from "../support/factories";
import { makeIncident } from "../support/incidents";

const doc = (text: string) => ({ type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text }] }] });

describeEachEngine("postmortems", (testDb) => {
  async function setup(tier: "T1" | "T2" | "T3" = "T1") {
    const db = testDb();
    const author = await makeUser(db, "Author");
    const ws = await makeWorkspace(db, author);
    const [billing] = (await listAreas(db, ws.id)).filter((a) => a.slug === "billing");
    const { number } = await makeIncident(db, author, ws.id, { tier, areaIds: [billing!.id] });
    expect(await startPostmortem(db, author, ws.id, number, "google-sre")).toEqual({ ok: true });
    return { db, author, ws, number, billing: billing! };
  }

  it("starts from a template, once per incident", async () => {
    const { db, author, ws, number } = await setup();
    const pm = await findPostmortem(db, ws.id, number);
    expect(pm).toMatchObject({ status: "draft", version: 1, template: "google-sre" });
    expect(pm!.body_text).toMatch(/Contributing factors/i);
    expect(await startPostmortem(db, author, ws.id, number, "lightweight")).toMatchObject({ ok: false, kind: "conflict" });
    expect(await startPostmortem(db, author, ws.id, number, "../../etc/passwd")).toMatchObject({ ok: false, kind: "invalid" });
  });

  it("a save on a stale version is a conflict that returns the current text and overwrites nothing", async () => {
    const { db, author, ws, number } = await setup();
    const other = await makeUser(db, "Other");
    await addMember(db, ws.id, author, other, "editor");
    expect(await savePostmortem(db, author, ws.id, number, { baseVersion: 1, title: "PM", body: doc("Author's words") })).toMatchObject({ ok: true, version: 2 });
    const stale = await savePostmortem(db, other, ws.id, number, { baseVersion: 1, title: "PM", body: doc("Other's words") });
    expect(stale).toMatchObject({ ok: false, kind: "conflict", current: { version: 2, updatedByName: "Author" } });
    expect((await findPostmortem(db, ws.id, number))!.body_text).toContain("Author's words");
    expect(await savePostmortem(db, other, ws.id, number, { baseVersion: 2, title: "PM", body: doc("Other's words") })).toMatchObject({ ok: true, version: 3 });
  });

  it("refuses a hostile document instead of storing it", async () => {
    const { db, author, ws, number } = await setup();
    const hostile = { type: "doc", content: [{ type: "script", content: [{ type: "text", text: "alert(1)" }] }] };
    expect(await savePostmortem(db, author, ws.id, number, { baseVersion: 1, title: "PM", body: hostile })).toMatchObject({ ok: false, kind: "invalid" });
    const link = {
      type: "doc",
      content: [{ type: "paragraph", content: [{ type: "text", text: "x", marks: [{ type: "link", attrs: { href: "javascript:alert(1)" } }] }] }],
    };
    expect(await savePostmortem(db, author, ws.id, number, { baseVersion: 1, title: "PM", body: link })).toMatchObject({ ok: false, kind: "invalid" });
    expect((await findPostmortem(db, ws.id, number))!.version).toBe(1);
  });

  it("keeps a revision history where quick saves by one person fold together, and restore makes a new version", async () => {
    const { db, author, ws, number } = await setup();
    const t0 = new Date();
    await savePostmortem(db, author, ws.id, number, { baseVersion: 1, title: "PM", body: doc("first") }, { now: new Date(t0.getTime() + 1000) });
    await savePostmortem(db, author, ws.id, number, { baseVersion: 2, title: "PM", body: doc("second") }, { now: new Date(t0.getTime() + 2000) });
    await savePostmortem(db, author, ws.id, number, { baseVersion: 3, title: "PM", body: doc("much later") }, { now: new Date(t0.getTime() + 3_600_000) });
    expect((await listRevisions(db, ws.id, number)).map((r) => r.version)).toEqual([4, 3]);
    expect(await restoreRevision(db, author, ws.id, number, 3, 4)).toMatchObject({ ok: true, version: 5 });
    const pm = await findPostmortem(db, ws.id, number);
    expect(pm!.body_text).toContain("second");
    expect((await listRevisions(db, ws.id, number))[0]).toMatchObject({ version: 5, restored_from: 3 });
    expect(await restoreRevision(db, author, ws.id, number, 3, 4)).toMatchObject({ ok: false, kind: "conflict" });
  });

  it("T1 publishes after one approval by someone other than the author, then is read-only until reopened", async () => {
    const { db, author, ws, number } = await setup("T1");
    const reviewer = await makeUser(db, "Reviewer");
    await addMember(db, ws.id, author, reviewer, "editor");
    expect(await publishPostmortem(db, author, ws.id, number)).toMatchObject({ ok: false, blockers: [expect.stringMatching(/review first/), expect.any(String)] });
    await requestReview(db, author, ws.id, number);
    expect(await reviewPostmortem(db, author, ws.id, number, { verdict: "approve", comment: "" })).toMatchObject({ ok: false, kind: "forbidden" });
    await reviewPostmortem(db, reviewer, ws.id, number, { verdict: "approve", comment: "Clear." });
    expect(await publishPostmortem(db, author, ws.id, number)).toEqual({ ok: true });
    expect(await savePostmortem(db, author, ws.id, number, { baseVersion: 1, title: "PM", body: doc("late edit") })).toMatchObject({ kind: "read-only" });
    await reopenPostmortem(db, author, ws.id, number);
    await requestReview(db, author, ws.id, number);
    // A new round needs fresh approvals.
    expect((await findPostmortem(db, ws.id, number))!.blockers).toEqual([expect.stringMatching(/one approval/)]);
  });

  it("T2 needs a maintainer of an affected area; a request for changes blocks until withdrawn by approval", async () => {
    const { db, author, ws, number, billing } = await setup("T2");
    const reviewer = await makeUser(db, "Reviewer");
    const maintainer = await makeUser(db, "Maintainer");
    await addMember(db, ws.id, author, reviewer, "editor");
    await addMember(db, ws.id, author, maintainer, "editor");
    await requestReview(db, author, ws.id, number);
    await reviewPostmortem(db, reviewer, ws.id, number, { verdict: "approve", comment: "" });
    let blocked = await publishPostmortem(db, author, ws.id, number);
    expect(blocked).toMatchObject({ ok: false, blockers: [expect.stringMatching(/no maintainers/)] });
    await setAreaMaintainers(db, author, ws.id, billing.id, [maintainer.id]);
    await reviewPostmortem(db, maintainer, ws.id, number, { verdict: "request_changes", comment: "Name the missing gate." });
    blocked = await publishPostmortem(db, author, ws.id, number);
    expect(blocked).toMatchObject({ ok: false, blockers: expect.arrayContaining([expect.stringMatching(/Maintainer requested changes/)]) });
    await reviewPostmortem(db, maintainer, ws.id, number, { verdict: "approve", comment: "Thanks." });
    expect(await publishPostmortem(db, author, ws.id, number)).toEqual({ ok: true });
  });

  it("T3 needs two approvals", async () => {
    const { db, author, ws, number } = await setup("T3");
    const a = await makeUser(db, "A");
    const b = await makeUser(db, "B");
    await addMember(db, ws.id, author, a, "editor");
    await addMember(db, ws.id, author, b, "editor");
    await requestReview(db, author, ws.id, number);
    await reviewPostmortem(db, a, ws.id, number, { verdict: "approve", comment: "" });
    expect(await publishPostmortem(db, author, ws.id, number)).toMatchObject({ ok: false, blockers: [expect.stringMatching(/two approvals/)] });
    await reviewPostmortem(db, b, ws.id, number, { verdict: "approve", comment: "" });
    expect(await publishPostmortem(db, author, ws.id, number)).toEqual({ ok: true });
  });

  it("another workspace can't read, save or review it", async () => {
    const { db, ws, number } = await setup();
    const stranger = await makeUser(db);
    const theirs = await makeWorkspace(db, stranger);
    expect(await findPostmortem(db, theirs.id, number)).toBeNull();
    expect(await savePostmortem(db, stranger, theirs.id, number, { baseVersion: 1, title: "x", body: doc("x") })).toMatchObject({ kind: "not-found" });
    expect(await reviewPostmortem(db, stranger, theirs.id, number, { verdict: "approve", comment: "" })).toMatchObject({ kind: "not-found" });
    expect(await setAreaMaintainers(db, stranger, theirs.id, (await listAreas(db, ws.id))[0]!.id, [stranger.id])).toBe(false);
  });
});
