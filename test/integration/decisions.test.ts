import { expect, it } from "vitest";
import type { Db } from "#db/connection";
import type { PublicUser } from "~/domain/accounts/index.server";
import {
  addDecisionLink,
  createDecision,
  findDecision,
  listDecisionRevisions,
  listDecisions,
  linkedRecords,
  listDecisionTags,
  removeDecisionLink,
  restoreDecisionRevision,
  saveDecision,
  updateDecisionDetails,
  type NewDecisionInput,
} from "~/domain/decisions/index.server";
import { findIncident } from "~/domain/incidents/index.server";
import { describeEachEngine } from "../support/databases";
import { addMember, makeUser, makeWorkspace } from "../support/factories";
import { makeIncident } from "../support/incidents";

const doc = (text: string) => ({ type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text }] }] });

function input(overrides: Partial<NewDecisionInput> = {}): NewDecisionInput {
  return {
    kind: "adr",
    template: "madr",
    title: "Require a second reviewer for T2 changes",
    status: "accepted",
    deciders: ["Ana", "Ben"],
    decidedOn: "2026-11-20",
    tags: ["review", "t2"],
    supersedes: null,
    ...overrides,
  };
}

async function create(db: Db, actor: PublicUser, workspaceId: string, overrides: Partial<NewDecisionInput> = {}) {
  const created = await createDecision(db, actor, workspaceId, input(overrides));
  if (!created.ok) throw new Error(`could not create: ${JSON.stringify(created)}`);
  return created;
}

async function auditActions(db: Db, workspaceId: string): Promise<string[]> {
  const rows = await db.selectFrom("audit_events").select("action").where("workspace_id", "=", workspaceId).orderBy("id").execute();
  return rows.map((r) => r.action);
}

describeEachEngine("decision records", (testDb) => {
  async function setup() {
    const db = testDb();
    const author = await makeUser(db, "Author");
    const ws = await makeWorkspace(db, author);
    return { db, author, ws };
  }

  it("numbers ADRs and RFCs separately per workspace, without gaps even when created at once", async () => {
    const { db, author, ws } = await setup();
    const adrs = await Promise.all(Array.from({ length: 5 }, (_, i) => create(db, author, ws.id, { title: `Decision ${i}` })));
    expect(adrs.map((a) => a.number).sort()).toEqual([1, 2, 3, 4, 5]);
    expect((await create(db, author, ws.id, { kind: "rfc", template: "rfc" })).ref).toBe("RFC-1");
    const other = await makeWorkspace(db, author);
    expect((await create(db, author, other.id)).ref).toBe("ADR-1");
  });

  it("starts the body from the chosen template, with a first revision and an audit event", async () => {
    const { db, author, ws } = await setup();
    const { number } = await create(db, author, ws.id, { template: "nygard" });
    const record = await findDecision(db, ws.id, { kind: "adr", number });
    expect(record).toMatchObject({ ref: "ADR-1", status: "accepted", deciders: ["Ana", "Ben"], decided_on: "2026-11-20", tags: ["review", "t2"], version: 1 });
    expect(record!.body_text).toMatch(/^Context\n/);
    expect(await listDecisionRevisions(db, ws.id, { kind: "adr", number })).toHaveLength(1);
    expect(await auditActions(db, ws.id)).toContain("decision.created");
    expect(await createDecision(db, author, ws.id, input({ template: "../secrets" }))).toMatchObject({ ok: false, fieldErrors: { template: expect.any(Array) } });
  });

  it("a stale save is a conflict that returns the current text and overwrites nothing; restore makes a new version", async () => {
    const { db, author, ws } = await setup();
    const other = await makeUser(db, "Other");
    await addMember(db, ws.id, author, other, "editor");
    const key = { kind: "adr" as const, number: (await create(db, author, ws.id)).number };
    expect(await saveDecision(db, author, ws.id, key, { baseVersion: 1, title: "T", body: doc("mine") })).toMatchObject({ ok: true, version: 2 });
    const stale = await saveDecision(db, other, ws.id, key, { baseVersion: 1, title: "T", body: doc("theirs") });
    expect(stale).toMatchObject({ ok: false, kind: "conflict", current: { version: 2, updatedByName: "Author" } });
    expect((await findDecision(db, ws.id, key))!.body_text).toBe("mine");
    const hostile = { type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text: "x", marks: [{ type: "link", attrs: { href: "javascript:alert(1)" } }] }] }] };
    expect(await saveDecision(db, author, ws.id, key, { baseVersion: 2, title: "T", body: hostile })).toMatchObject({ ok: false, kind: "invalid" });
    expect(await saveDecision(db, other, ws.id, key, { baseVersion: 2, title: "T", body: doc("theirs") })).toMatchObject({ ok: true, version: 3 });
    // The author's quick second save folded into their first revision, as for postmortems.
    expect((await listDecisionRevisions(db, ws.id, key)).map((r) => r.version)).toEqual([3, 2]);
    expect(await restoreDecisionRevision(db, author, ws.id, key, 2, 3)).toMatchObject({ ok: true, version: 4 });
    expect((await findDecision(db, ws.id, key))!.body_text).toBe("mine");
    expect(await saveDecision(db, author, ws.id, { kind: "adr", number: 99 }, { baseVersion: 1, title: "T", body: doc("x") })).toEqual({ ok: false, kind: "not-found" });
  });

  it("superseding writes the link both ways in one go and sets the older record's status", async () => {
    const { db, author, ws } = await setup();
    const old = await create(db, author, ws.id, { title: "Use Kafka" });
    const next = await create(db, author, ws.id, { title: "Use NATS", status: "proposed" });
    expect(await addDecisionLink(db, author, ws.id, { kind: "adr", number: next.number }, "supersedes", old.ref)).toEqual({ ok: true });

    const older = await findDecision(db, ws.id, { kind: "adr", number: old.number });
    const newer = await findDecision(db, ws.id, { kind: "adr", number: next.number });
    expect(older).toMatchObject({ status: "superseded", prior_status: "accepted", meta_version: 2 });
    expect(older!.links.map((l) => [l.kind, l.ref, l.title])).toEqual([["superseded_by", "ADR-2", "Use NATS"]]);
    expect(newer!.links.map((l) => [l.kind, l.ref, l.status])).toEqual([["supersedes", "ADR-1", "superseded"]]);
    for (const page of [older!, newer!]) expect(page.chain.map((c) => [c.ref, c.current])).toEqual([["ADR-1", page === older], ["ADR-2", page === newer]]);
    expect(await auditActions(db, ws.id)).toEqual(expect.arrayContaining(["decision.linked", "decision.details_changed"]));
  });

  it("'superseded by' added from the older record is the same link, and the chain grows in order", async () => {
    const { db, author, ws } = await setup();
    const [a, b, c] = [await create(db, author, ws.id, { title: "A" }), await create(db, author, ws.id, { title: "B" }), await create(db, author, ws.id, { title: "C" })];
    expect(await addDecisionLink(db, author, ws.id, { kind: "adr", number: a.number }, "superseded_by", b.ref)).toEqual({ ok: true });
    expect(await addDecisionLink(db, author, ws.id, { kind: "adr", number: c.number }, "supersedes", b.ref)).toEqual({ ok: true });
    const middle = await findDecision(db, ws.id, { kind: "adr", number: b.number });
    expect(middle!.chain.map((x) => x.ref)).toEqual(["ADR-1", "ADR-2", "ADR-3"]);
    expect(middle!.status).toBe("superseded");
    // Written again from the other end, it is already there.
    expect(await addDecisionLink(db, author, ws.id, { kind: "adr", number: b.number }, "supersedes", a.ref)).toMatchObject({ ok: false, message: "That link is already there." });
  });

  it("refuses links to itself, supersede loops and records that don't exist", async () => {
    const { db, author, ws } = await setup();
    const a = await create(db, author, ws.id, { title: "A" });
    const b = await create(db, author, ws.id, { title: "B" });
    const keyA = { kind: "adr" as const, number: a.number };
    await addDecisionLink(db, author, ws.id, { kind: "adr", number: b.number }, "supersedes", a.ref);
    expect(await addDecisionLink(db, author, ws.id, keyA, "supersedes", a.ref)).toMatchObject({ ok: false, message: /itself/ });
    expect(await addDecisionLink(db, author, ws.id, keyA, "supersedes", b.ref)).toMatchObject({ ok: false, message: /loop/ });
    expect(await addDecisionLink(db, author, ws.id, keyA, "amends", "ADR-99")).toMatchObject({ ok: false, message: "ADR-99 is not a decision record in this workspace." });
    expect(await addDecisionLink(db, author, ws.id, keyA, "amends", "INC-3")).toMatchObject({ ok: false, message: /Name a decision record/ });
    expect(await addDecisionLink(db, author, ws.id, { kind: "rfc", number: 1 }, "amends", a.ref)).toEqual({ ok: false, kind: "not-found" });
  });

  it("removing the last supersede link gives the older record its earlier status back", async () => {
    const { db, author, ws } = await setup();
    const old = await create(db, author, ws.id, { title: "Old", status: "deprecated" });
    const next = await create(db, author, ws.id, { title: "New" });
    await addDecisionLink(db, author, ws.id, { kind: "adr", number: next.number }, "supersedes", old.ref);
    const link = (await findDecision(db, ws.id, { kind: "adr", number: old.number }))!.links[0]!;
    // Removed from the older record's side: both rows go.
    expect(await removeDecisionLink(db, author, ws.id, { kind: "adr", number: old.number }, link.id)).toEqual({ ok: true });
    expect(await findDecision(db, ws.id, { kind: "adr", number: old.number })).toMatchObject({ status: "deprecated", prior_status: null, links: [], chain: [] });
    expect((await findDecision(db, ws.id, { kind: "adr", number: next.number }))!.links).toEqual([]);
    expect(await removeDecisionLink(db, author, ws.id, { kind: "adr", number: old.number }, link.id)).toEqual({ ok: false, kind: "not-found" });
    expect(await auditActions(db, ws.id)).toContain("decision.unlinked");
  });

  it("a new record can supersede an older one as it is created; an unknown one uses up no number", async () => {
    const { db, author, ws } = await setup();
    const old = await create(db, author, ws.id, { title: "Old" });
    expect(await createDecision(db, author, ws.id, input({ supersedes: "ADR-42" }))).toMatchObject({ ok: false, fieldErrors: { supersedes: ["ADR-42 is not a decision record in this workspace."] } });
    const next = await create(db, author, ws.id, { title: "New", supersedes: old.ref });
    expect(next.ref).toBe("ADR-2");
    expect((await findDecision(db, ws.id, { kind: "adr", number: 1 }))!.status).toBe("superseded");
  });

  it("a superseded record keeps that status while something supersedes it; stale details are a conflict", async () => {
    const { db, author, ws } = await setup();
    const old = await create(db, author, ws.id, { title: "Old" });
    await create(db, author, ws.id, { title: "New", supersedes: old.ref });
    const key = { kind: "adr" as const, number: old.number };
    const details = { status: "accepted" as const, deciders: ["Ana"], decidedOn: null, tags: [], metaVersion: 2 };
    expect(await updateDecisionDetails(db, author, ws.id, key, details)).toMatchObject({ ok: false, kind: "invalid", fieldErrors: { status: [expect.stringMatching(/ADR-2 supersedes this record/)] } });
    expect(await updateDecisionDetails(db, author, ws.id, key, { ...details, status: "superseded", tags: ["Data Access"] })).toEqual({ ok: true, metaVersion: 3 });
    expect(await updateDecisionDetails(db, author, ws.id, key, { ...details, status: "superseded" })).toMatchObject({ ok: false, kind: "conflict", current: { metaVersion: 3, tags: ["Data Access"] } });
  });

  it("links to incidents and pull requests of its own workspace only", async () => {
    const { db, author, ws } = await setup();
    const key = { kind: "adr" as const, number: (await create(db, author, ws.id)).number };
    const incident = await makeIncident(db, author, ws.id, { title: "Checkout outage" });
    const elsewhere = await makeWorkspace(db, author);
    const foreign = await makeIncident(db, author, elsewhere.id);
    expect(await addDecisionLink(db, author, ws.id, key, "informed_by", `INC-${incident.number}`)).toEqual({ ok: true });
    expect(await addDecisionLink(db, author, ws.id, key, "informed_by", `INC-${foreign.number + 40}`)).toMatchObject({ ok: false, message: /not in this workspace/ });
    expect(await addDecisionLink(db, author, ws.id, key, "pull_request", "https://github.com/Acme/API/pull/42/files")).toEqual({ ok: true });
    expect(await addDecisionLink(db, author, ws.id, key, "pull_request", "https://gitlab.com/acme/api/-/merge_requests/1")).toMatchObject({ ok: false });
    expect(await addDecisionLink(db, author, ws.id, key, "implements", "ACT-9")).toMatchObject({ ok: false, message: "ACT-9 is not in this workspace." });
    expect(await addDecisionLink(db, author, ws.id, key, "implements", "GATE:00000000-0000-4000-8000-000000000000")).toMatchObject({ ok: false });
    const record = await findDecision(db, ws.id, key);
    expect(record!.links.map((l) => [l.kind, l.ref, l.title, l.url])).toEqual([
      ["informed_by", "INC-1", "Checkout outage", null],
      ["pull_request", "acme/api#42", null, "https://github.com/acme/api/pull/42"],
    ]);
    // The incident's page lists the record it informed; another workspace sees nothing of it.
    const { id: incidentId } = (await findIncident(db, ws.id, incident.number))!;
    expect((await linkedRecords(db, ws.id, "incident", [incidentId])).get(incidentId)).toEqual([
      { ref: `ADR-${key.number}`, kind: "adr", number: key.number, title: record!.title, status: "accepted", link: "informed_by" },
    ]);
    expect((await linkedRecords(db, elsewhere.id, "incident", [incidentId])).size).toBe(0);
  });

  it("another workspace's records are not found, by number or by link", async () => {
    const { db, author, ws } = await setup();
    await create(db, author, ws.id);
    const stranger = await makeUser(db, "Stranger");
    const theirs = await makeWorkspace(db, stranger);
    const mine = { kind: "adr" as const, number: 1 };
    expect(await findDecision(db, theirs.id, mine)).toBeNull();
    const theirRecord = await create(db, stranger, theirs.id, { title: "Theirs" });
    expect(theirRecord.ref).toBe("ADR-1");
    expect(await saveDecision(db, stranger, theirs.id, mine, { baseVersion: 1, title: "T", body: doc("x") })).toMatchObject({ ok: true });
    expect((await findDecision(db, ws.id, mine))!.version).toBe(1);
  });

  it("the log filters by status, kind, tag, decision date and title", async () => {
    const { db, author, ws } = await setup();
    await create(db, author, ws.id, { title: "Alpha", tags: ["ci"], decidedOn: "2025-01-10" });
    await create(db, author, ws.id, { title: "Beta", status: "proposed", tags: ["security"], decidedOn: null });
    await create(db, author, ws.id, { kind: "rfc", template: "rfc", title: "Gamma", tags: ["ci", "security"], decidedOn: "2026-06-01" });
    const titles = async (filters: Parameters<typeof listDecisions>[2]) => (await listDecisions(db, ws.id, filters)).map((d) => d.title);
    expect(await titles({})).toEqual(["Beta", "Alpha", "Gamma"]);
    expect(await titles({ status: "proposed" })).toEqual(["Beta"]);
    expect(await titles({ kind: "rfc" })).toEqual(["Gamma"]);
    expect(await titles({ tag: "ci" })).toEqual(["Alpha", "Gamma"]);
    expect(await titles({ from: "2025-06-01" })).toEqual(["Gamma"]);
    expect(await titles({ to: "2025-12-31" })).toEqual(["Alpha"]);
    expect(await titles({ q: "amm" })).toEqual(["Gamma"]);
    expect(await titles({ q: "%" })).toEqual([]);
    expect(await listDecisionTags(db, ws.id)).toEqual(["ci", "security"]);
  });
});
