import { strFromU8, strToU8, unzipSync, zipSync } from "fflate";
import { sql } from "kysely";
import { expect, it } from "vitest";
import type { Db } from "#db/connection";
import { addDecisionLink, collectImportFiles, createDecision, exportDecision, exportDecisionLog, findDecision, importDecisionBatch, listDecisions, type NewDecisionInput, previewDecisionImport, saveDecision, stageDecisionImport } from "~/domain/decisions/index.server";
import type { PublicUser } from "~/domain/accounts/index.server";
import { describeEachEngine } from "../support/databases";
import { makeUser, makeWorkspace } from "../support/factories";
import { makeIncident } from "../support/incidents";

const base: NewDecisionInput = { kind: "adr", template: "madr", title: "", status: "accepted", deciders: [], decidedOn: null, tags: [], supersedes: null };

async function create(db: Db, actor: PublicUser, workspaceId: string, overrides: Partial<NewDecisionInput>) {
  const created = await createDecision(db, actor, workspaceId, { ...base, ...overrides });
  if (!created.ok) throw new Error(JSON.stringify(created));
  return created;
}

/** Stages files (or a zip) the way the upload route does, and returns the preview. */
async function stage(db: Db, actor: PublicUser, workspaceId: string, uploads: Array<{ name: string; bytes: Uint8Array }>, defaultKind: "adr" | "rfc" = "adr") {
  const collected = collectImportFiles(uploads);
  if (!collected.ok) throw new Error(collected.message);
  const { id } = await stageDecisionImport(db, actor, workspaceId, { source: "test", defaultKind, files: collected.files });
  const preview = await previewDecisionImport(db, actor, workspaceId, id);
  return { id, plan: preview!.plan };
}

const md = (files: Record<string, string>) => Object.entries(files).map(([name, text]) => ({ name, bytes: strToU8(text) }));

/** Everything a team would call "the decision log", without ids and times. */
async function snapshot(db: Db, workspaceId: string) {
  const list = await listDecisions(db, workspaceId);
  const out = [];
  for (const item of [...list].sort((a, b) => a.ref.localeCompare(b.ref))) {
    const r = (await findDecision(db, workspaceId, { kind: item.kind, number: item.number }))!;
    out.push({
      ref: r.ref,
      title: r.title,
      status: r.status,
      deciders: r.deciders,
      decidedOn: r.decided_on,
      tags: r.tags,
      body: r.body,
      links: r.links.map((l) => `${l.kind} ${l.ref} ${l.url ?? ""}`).sort(),
    });
  }
  return out;
}

const NYGARD = {
  "doc/adr/0001-record-architecture-decisions.md": "# 1. Record architecture decisions\n\nDate: 2018-02-15\n\n## Status\n\nAccepted\n\n## Context\n\nWe need to record decisions.\n",
  "doc/adr/0002-use-kafka.md": "# 2. Use Kafka\n\nDate: 2019-03-04\n\n## Status\n\nSuperceded by [3. Use NATS](0003-use-nats.md)\n\n## Context\n\nEvents.\n",
  "doc/adr/0003-use-nats.md":
    "# 3. Use NATS\n\nDate: 2020-01-10\n\n## Status\n\nAccepted\n\nSupersedes [2. Use Kafka](0002-use-kafka.md)\n\n## Context\n\nSee [the Kafka record](0002-use-kafka.md).\n",
  "doc/adr/README.md": "# Architecture decisions\n",
  "doc/adr/0004-broken.md": "PK\u0003\u0004\u0001 not text",
};

describeEachEngine("importing and exporting decision records", (testDb) => {
  async function setup() {
    const db = testDb();
    const actor = await makeUser(db, "Importer");
    const ws = await makeWorkspace(db, actor);
    return { db, actor, ws };
  }

  it("imports an adr-tools folder: numbers kept, supersede links both ways, errors per file, counters moved on", async () => {
    const { db, actor, ws } = await setup();
    const { id, plan } = await stage(db, actor, ws.id, md(NYGARD));
    expect(plan.counts).toMatchObject({ create: 3, error: 1, ignored: 1, links: 1 });
    expect(await importDecisionBatch(db, actor, ws.id, id, plan.hash)).toMatchObject({ ok: true, created: ["ADR-1", "ADR-2", "ADR-3"], links: 1 });

    const kafka = await findDecision(db, ws.id, { kind: "adr", number: 2 });
    const nats = await findDecision(db, ws.id, { kind: "adr", number: 3 });
    expect(kafka).toMatchObject({ title: "Use Kafka", status: "superseded", decided_on: "2019-03-04", source_path: "doc/adr/0002-use-kafka.md" });
    expect(kafka!.links.map((l) => `${l.kind} ${l.ref}`)).toEqual(["superseded_by ADR-3"]);
    expect(nats!.links.map((l) => `${l.kind} ${l.ref}`)).toEqual(["supersedes ADR-2"]);
    expect(nats!.chain.map((c) => c.ref)).toEqual(["ADR-2", "ADR-3"]);
    expect(JSON.stringify(nats!.body)).toContain('"href":"ADR-2"');
    // The next record made here follows the imported ones.
    expect((await create(db, actor, ws.id, { title: "After the import" })).ref).toBe("ADR-4");
    const actions = (await db.selectFrom("audit_events").select("action").where("workspace_id", "=", ws.id).execute()).map((a) => a.action);
    expect(actions.filter((a) => a === "decision.imported")).toHaveLength(3);
    expect(actions).toEqual(expect.arrayContaining(["decision_import.staged", "decision_import.completed", "decision.linked"]));
  });

  it("an upload imports once; the same files again are all duplicates", async () => {
    const { db, actor, ws } = await setup();
    const first = await stage(db, actor, ws.id, md(NYGARD));
    await importDecisionBatch(db, actor, ws.id, first.id, first.plan.hash);
    expect(await importDecisionBatch(db, actor, ws.id, first.id, first.plan.hash)).toEqual({ ok: false, kind: "already-imported" });
    const again = await stage(db, actor, ws.id, md(NYGARD));
    expect(again.plan.counts).toMatchObject({ create: 0, duplicate: 3, links: 0 });
    expect(await importDecisionBatch(db, actor, ws.id, again.id, again.plan.hash)).toMatchObject({ ok: false, kind: "nothing" });
  });

  it("a record already here keeps its number: the file's record moves past it, and links follow the file", async () => {
    const { db, actor, ws } = await setup();
    await create(db, actor, ws.id, { title: "Use Postgres" });
    await create(db, actor, ws.id, { title: "Use Redis" });
    const { id, plan } = await stage(db, actor, ws.id, md(NYGARD));
    // 0003 is free and keeps its number; 0001 and 0002 are taken and move past the highest.
    expect(plan.files.filter((f) => f.outcome === "create").map((f) => [f.sourceRef ?? null, f.ref])).toEqual([
      ["ADR-1", "ADR-4"],
      ["ADR-2", "ADR-5"],
      [null, "ADR-3"],
    ]);
    await importDecisionBatch(db, actor, ws.id, id, plan.hash);
    expect((await findDecision(db, ws.id, { kind: "adr", number: 3 }))!.links.map((l) => `${l.kind} ${l.ref}`)).toEqual(["supersedes ADR-5"]);
    expect((await findDecision(db, ws.id, { kind: "adr", number: 2 }))!.title).toBe("Use Redis");
  });

  it("a file that supersedes a record already here marks that record superseded, in the same import", async () => {
    const { db, actor, ws } = await setup();
    await create(db, actor, ws.id, { title: "Use Kafka", status: "accepted" });
    const { id, plan } = await stage(db, actor, ws.id, md({ "0007-use-nats.md": "---\nstatus: accepted\nsupersedes: [ADR-1]\n---\n# Use NATS\n" }));
    expect(plan.supersedesExisting).toMatchObject([{ ref: "ADR-1", from: "accepted" }]);
    await importDecisionBatch(db, actor, ws.id, id, plan.hash);
    expect(await findDecision(db, ws.id, { kind: "adr", number: 1 })).toMatchObject({ status: "superseded", prior_status: "accepted" });
  });

  it("refuses to import when the workspace changed since the preview, and writes nothing", async () => {
    const { db, actor, ws } = await setup();
    const { id, plan } = await stage(db, actor, ws.id, md(NYGARD));
    await create(db, actor, ws.id, { title: "Sneaked in" });
    expect(await importDecisionBatch(db, actor, ws.id, id, plan.hash)).toMatchObject({ ok: false, kind: "changed" });
    expect((await listDecisions(db, ws.id)).map((d) => d.title)).toEqual(["Sneaked in"]);
    const fresh = await previewDecisionImport(db, actor, ws.id, id);
    expect(await importDecisionBatch(db, actor, ws.id, id, fresh!.plan.hash)).toMatchObject({ ok: true, created: ["ADR-4", "ADR-2", "ADR-3"] });
  });

  it("nothing is half-imported: a failure part-way rolls every record, link and event back", async () => {
    const { db, actor, ws } = await setup();
    const { id, plan } = await stage(db, actor, ws.id, md(NYGARD));
    await sql.raw(`create function refuse_links() returns trigger language plpgsql as $$ begin raise exception 'links refused for the test'; end; $$`).execute(db);
    await sql.raw(`create trigger refuse_links before insert on decision_links for each statement execute function refuse_links()`).execute(db);
    try {
      await expect(importDecisionBatch(db, actor, ws.id, id, plan.hash)).rejects.toThrow(/links refused/);
    } finally {
      await sql.raw(`drop trigger refuse_links on decision_links`).execute(db);
      await sql.raw(`drop function refuse_links()`).execute(db);
    }
    expect(await listDecisions(db, ws.id)).toEqual([]);
    expect(await db.selectFrom("audit_events").select("action").where("workspace_id", "=", ws.id).where("action", "=", "decision.imported").execute()).toEqual([]);
    expect((await previewDecisionImport(db, actor, ws.id, id))!.batch.importedAt).toBeNull();
    expect(await importDecisionBatch(db, actor, ws.id, id, plan.hash)).toMatchObject({ ok: true });
  });

  it("an upload is its uploader's: someone else, or another workspace, finds nothing", async () => {
    const { db, actor, ws } = await setup();
    const { id, plan } = await stage(db, actor, ws.id, md(NYGARD));
    const colleague = await makeUser(db, "Colleague");
    expect(await previewDecisionImport(db, colleague, ws.id, id)).toBeNull();
    expect(await importDecisionBatch(db, colleague, ws.id, id, plan.hash)).toEqual({ ok: false, kind: "not-found" });
    const other = await makeWorkspace(db, actor);
    expect(await previewDecisionImport(db, actor, other.id, id)).toBeNull();
    expect(await previewDecisionImport(db, actor, ws.id, "not-a-uuid")).toBeNull();
  });

  it("import(export(x)) gives x back: records, statuses, details, bodies and typed links, and the same files again", async () => {
    const { db, actor, ws } = await setup();
    await makeIncident(db, actor, ws.id, { title: "Queue backlog" });
    const kafka = await create(db, actor, ws.id, { title: "Use Kafka for events", deciders: ["Ana Lima", "Ben Okafor"], decidedOn: "2024-02-01", tags: ["events", "infra"] });
    const nats = await create(db, actor, ws.id, { title: "Use NATS for events", template: "nygard", decidedOn: "2025-07-15", tags: ["events"], supersedes: kafka.ref });
    const retry = await create(db, actor, ws.id, { title: "1. Retry with backoff: always", status: "proposed" });
    const rfc = await create(db, actor, ws.id, { kind: "rfc", template: "rfc", title: "Retire the | pipe-delimited logs", status: "rejected", tags: ["observability"] });
    const natsKey = { kind: "adr" as const, number: nats.number };
    await addDecisionLink(db, actor, ws.id, { kind: "adr", number: retry.number }, "amends", nats.ref);
    await addDecisionLink(db, actor, ws.id, natsKey, "informed_by", "INC-1");
    await addDecisionLink(db, actor, ws.id, natsKey, "pull_request", "https://github.com/acme/events/pull/311");
    const rich = {
      type: "doc",
      content: [
        { type: "heading", attrs: { level: 2 }, content: [{ type: "text", text: "Summary" }] },
        {
          type: "paragraph",
          content: [
            { type: "text", text: "Replaces " },
            { type: "text", text: "the NATS decision", marks: [{ type: "link", attrs: { href: "ADR-2" } }] },
            { type: "text", text: " and " },
            { type: "text", text: "code", marks: [{ type: "code" }] },
            { type: "text", text: ", see " },
            { type: "text", text: "the docs", marks: [{ type: "link", attrs: { href: "https://example.com/docs" } }] },
            { type: "text", text: "." },
          ],
        },
        { type: "bulletList", content: [{ type: "listItem", content: [{ type: "paragraph", content: [{ type: "text", text: "one", marks: [{ type: "bold" }] }] }] }] },
        { type: "taskList", content: [{ type: "taskItem", attrs: { checked: true }, content: [{ type: "paragraph", content: [{ type: "text", text: "done" }] }] }] },
        {
          type: "table",
          content: [
            { type: "tableRow", content: ["Option", "Cost"].map((t) => ({ type: "tableHeader", content: [{ type: "paragraph", content: [{ type: "text", text: t }] }] })) },
            { type: "tableRow", content: ["Keep", "Low"].map((t) => ({ type: "tableCell", content: [{ type: "paragraph", content: [{ type: "text", text: t }] }] })) },
          ],
        },
        { type: "codeBlock", attrs: { language: "yaml" }, content: [{ type: "text", text: "status: not metadata\n---\n# not a title" }] },
      ],
    };
    expect(await saveDecision(db, actor, ws.id, { kind: "rfc", number: rfc.number }, { baseVersion: 1, title: "Retire the | pipe-delimited logs", body: rich })).toMatchObject({ ok: true });

    const exported = await exportDecisionLog(db, ws.id, "Acme");
    const files = unzipSync(exported.zip);
    expect(Object.keys(files).sort()).toEqual([
      "decisions/adr/0001-use-kafka-for-events.md",
      "decisions/adr/0002-use-nats-for-events.md",
      "decisions/adr/0003-1-retry-with-backoff-always.md",
      "decisions/index.md",
      "decisions/rfc/0001-retire-the-pipe-delimited-logs.md",
    ]);
    expect(strFromU8(files["decisions/adr/0001-use-kafka-for-events.md"]!)).toMatch(
      /^---\nid: ADR-1\nstatus: superseded\ndate: 2024-02-01\ndecision-makers: \[ Ana Lima, Ben Okafor \]\ntags: \[ events, infra \]\nsuperseded-by: \[ ADR-2 \]\n---\n\n# Use Kafka for events\n\n## Context and Problem Statement/,
    );
    expect(strFromU8(files["decisions/rfc/0001-retire-the-pipe-delimited-logs.md"]!)).toContain("[the NATS decision](../adr/0002-use-nats-for-events.md)");
    expect(strFromU8(files["decisions/index.md"]!)).toContain("| [ADR-1](adr/0001-use-kafka-for-events.md) | Use Kafka for events | Superseded by ADR-2 | 2024-02-01 | events, infra |");

    // Into a fresh workspace that has the incident the records cite.
    const target = await makeWorkspace(db, actor);
    await makeIncident(db, actor, target.id, { title: "Queue backlog" });
    const { id, plan } = await stage(db, actor, target.id, [{ name: "acme-decisions.zip", bytes: exported.zip }]);
    expect(plan.files.flatMap((f) => [...f.errors, ...f.warnings.filter((w) => !/becomes superseded/.test(w))])).toEqual(["An index or README, not a decision record."]);
    expect(await importDecisionBatch(db, actor, target.id, id, plan.hash)).toMatchObject({ ok: true, created: ["ADR-1", "ADR-2", "ADR-3", "RFC-1"] });

    expect(await snapshot(db, target.id)).toEqual(await snapshot(db, ws.id));
    const again = unzipSync((await exportDecisionLog(db, target.id, "Acme")).zip);
    for (const name of Object.keys(files)) expect(strFromU8(again[name]!), name).toBe(strFromU8(files[name]!));
  });

  it("one record exports as a Markdown file that imports on its own", async () => {
    const { db, actor, ws } = await setup();
    const { number } = await create(db, actor, ws.id, { title: "Pin the Node version", tags: ["ci"], decidedOn: "2026-01-02" });
    const one = await exportDecision(db, ws.id, { kind: "adr", number });
    expect(one!.filename).toBe("0001-pin-the-node-version.md");
    expect(await exportDecision(db, ws.id, { kind: "adr", number: 9 })).toBeNull();
    const target = await makeWorkspace(db, actor);
    const { id, plan } = await stage(db, actor, target.id, md({ [one!.filename]: one!.markdown }));
    await importDecisionBatch(db, actor, target.id, id, plan.hash);
    expect(await findDecision(db, target.id, { kind: "adr", number: 1 })).toMatchObject({ title: "Pin the Node version", tags: ["ci"], decided_on: "2026-01-02" });
  });

  it("a zip with MADR files keeps the front-matter fields this app does not model, and writes them back", async () => {
    const { db, actor, ws } = await setup();
    const madr = "---\nstatus: accepted\ndate: 2024-05-02\ndecision-makers: [Ana]\nconsulted: Security guild\ninformed: [Payments team]\n---\n\n# Use PostgreSQL\n\n## Context and Problem Statement\n\nText.\n";
    const zip = zipSync({ "docs/decisions/0003-use-postgresql.md": strToU8(madr) });
    const { id, plan } = await stage(db, actor, ws.id, [{ name: "adr.zip", bytes: zip }]);
    await importDecisionBatch(db, actor, ws.id, id, plan.hash);
    const out = await exportDecision(db, ws.id, { kind: "adr", number: 3 });
    // Unedited, it is the file as it came, under its own name.
    expect(out).toEqual({ filename: "0003-use-postgresql.md", markdown: madr });
  });
});
