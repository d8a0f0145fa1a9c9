/**
 * Markdown through the database: the corpus (test/fixtures/markdown/) imported folder by folder
 * and exported again, byte for byte; an edited record changes only where it was edited; and a
 * postmortem's export carries its incident's facts and one title.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { strFromU8, strToU8, unzipSync } from "fflate";
import { expect, it } from "vitest";
import type { Db } from "#db/connection";
import type { PublicUser } from "~/domain/accounts/index.server";
import {
  collectImportFiles,
  createDecision,
  exportDecision,
  exportDecisionLog,
  findDecision,
  importDecisionBatch,
  previewDecisionImport,
  saveDecision,
  stageDecisionImport,
  updateDecisionDetails,
} from "~/domain/decisions/index.server";
import { markdownToDocument, type DocumentJSON } from "~/domain/documents/index.server";
import { postmortemMarkdown, savePostmortem, startPostmortem } from "~/domain/postmortems/index.server";
import { describeEachEngine } from "../support/databases";
import { makeUser, makeWorkspace } from "../support/factories";
import { makeIncident } from "../support/incidents";

const ROOT = path.resolve(__dirname, "../fixtures/markdown");
const FOLDERS = readdirSync(ROOT, { withFileTypes: true })
  .filter((d) => d.isDirectory() && d.name !== "postmortems")
  .map((d) => d.name)
  .sort();
const filesOf = (folder: string) =>
  readdirSync(path.join(ROOT, folder))
    .filter((f) => f.endsWith(".md"))
    .sort()
    .map((name) => ({ name, text: readFileSync(path.join(ROOT, folder, name), "utf8") }));

async function importFolder(db: Db, actor: PublicUser, workspaceId: string, files: Array<{ name: string; text: string }>) {
  const collected = collectImportFiles(files.map((f) => ({ name: f.name, bytes: strToU8(f.text) })));
  if (!collected.ok) throw new Error(collected.message);
  const { id } = await stageDecisionImport(db, actor, workspaceId, { source: "corpus", defaultKind: "adr", files: collected.files });
  const { plan } = (await previewDecisionImport(db, actor, workspaceId, id))!;
  const result = await importDecisionBatch(db, actor, workspaceId, id, plan.hash);
  if (!result.ok) throw new Error(JSON.stringify(result));
  return { plan, result };
}

function exportedFiles(zip: Uint8Array): Map<string, string> {
  return new Map(Object.entries(unzipSync(zip)).map(([name, bytes]) => [name.replace(/^decisions\/(adr|rfc)\//, ""), strFromU8(bytes)]));
}

describeEachEngine("Markdown kept as written", (testDb) => {
  async function setup() {
    const db = testDb();
    const actor = await makeUser(db, "Importer");
    const ws = await makeWorkspace(db, actor);
    return { db, actor, ws };
  }

  it("every record of every corpus folder exports byte for byte, under its own file name", async () => {
    const db = testDb();
    const actor = await makeUser(db, "Importer");
    let compared = 0;
    for (const folder of FOLDERS) {
      const ws = await makeWorkspace(db, actor);
      const files = filesOf(folder);
      const { plan } = await importFolder(db, actor, ws.id, files);
      expect(plan.counts.error, folder).toBe(0);
      const exported = exportedFiles((await exportDecisionLog(db, ws.id, "Corpus")).zip);
      for (const report of plan.files.filter((f) => f.outcome === "create")) {
        const original = files.find((f) => f.name === report.path)!;
        expect(exported.get(original.name), `${folder}/${original.name}`).toBe(original.text);
        compared++;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(35);
  });

  it("ADR-0 is a record: 0000 keeps its number, and new records still start at 1", async () => {
    const { db, actor, ws } = await setup();
    const text = filesOf("misc").find((f) => f.name.startsWith("0000-"))!.text;
    await importFolder(db, actor, ws.id, [{ name: "0000-start-an-adr-log.md", text }]);
    expect(await findDecision(db, ws.id, { kind: "adr", number: 0 })).toMatchObject({ ref: "ADR-0", title: "Start an ADR log" });
    expect(await exportDecision(db, ws.id, { kind: "adr", number: 0 })).toEqual({ filename: "0000-start-an-adr-log.md", markdown: text });
    const next = { kind: "adr" as const, template: "madr", title: "Next", status: "proposed" as const, deciders: [], decidedOn: null, tags: [], supersedes: null };
    expect(await createDecision(db, actor, ws.id, next)).toMatchObject({ ok: true, ref: "ADR-1" });
  });

  it("an edited body changes only the edited block; new metadata re-writes only the head; both read back the same", async () => {
    const { db, actor, ws } = await setup();
    const files = filesOf("nygard");
    await importFolder(db, actor, ws.id, files);
    const original = files.find((f) => f.name === "0002-use-kafka-for-events.md")!.text;
    const record = (await findDecision(db, ws.id, { kind: "adr", number: 2 }))!;

    // One word more in "We will use Kafka.".
    const body = structuredClone(record.body) as DocumentJSON;
    const paragraph = body.content!.find((b) => b.type === "paragraph" && b.content?.[0]?.text === "We will use Kafka.")!;
    paragraph.content![0]!.text = "We will use Kafka, for now.";
    expect(await saveDecision(db, actor, ws.id, { kind: "adr", number: 2 }, { baseVersion: record.version, title: record.title, body })).toMatchObject({ ok: true });
    const edited = (await exportDecision(db, ws.id, { kind: "adr", number: 2 }))!.markdown;
    expect(edited).toBe(original.replace("We will use Kafka.", "We will use Kafka, for now."));

    // A new decider: front matter and title are written anew, the body stays as written.
    const details = { status: record.status, deciders: ["Ana Lima"], decidedOn: record.decided_on, tags: record.tags, metaVersion: record.meta_version };
    expect(await updateDecisionDetails(db, actor, ws.id, { kind: "adr", number: 2 }, details)).toMatchObject({ ok: true });
    const rewritten = (await exportDecision(db, ws.id, { kind: "adr", number: 2 }))!.markdown;
    expect(rewritten).toMatch(/^---\nid: ADR-2\nstatus: superseded\ndate: 2019-03-04\ndecision-makers: \[ Ana Lima \]\nsuperseded-by: \[ ADR-3 \]\n---\n\n# Use Kafka for events\n\n## Context\n/);
    expect(rewritten.endsWith(edited.slice(edited.indexOf("## Context")))).toBe(true);

    // import(export(x)) is x for the edited record too.
    const target = await makeWorkspace(db, actor);
    await importFolder(db, actor, target.id, [{ name: "0002-use-kafka-for-events.md", text: rewritten }]);
    const back = (await findDecision(db, target.id, { kind: "adr", number: 2 }))!;
    expect({ title: back.title, deciders: back.deciders, decided_on: back.decided_on, body: back.body }).toEqual({
      title: record.title,
      deciders: ["Ana Lima"],
      decided_on: record.decided_on,
      body: (await findDecision(db, ws.id, { kind: "adr", number: 2 }))!.body,
    });
  });

  it("a status the app does not model is shown as the nearest one, keeps its word, and exports as written", async () => {
    const { db, actor, ws } = await setup();
    const file = filesOf("madr4").find((f) => f.name.startsWith("0002-"))!;
    await importFolder(db, actor, ws.id, [file]);
    const record = (await findDecision(db, ws.id, { kind: "adr", number: 2 }))!;
    expect(record).toMatchObject({ status: "proposed", status_word: "on hold" });
    // A new tag re-writes the head: the word goes back as written.
    await updateDecisionDetails(db, actor, ws.id, { kind: "adr", number: 2 }, { status: "proposed", deciders: record.deciders, decidedOn: record.decided_on, tags: ["tracing"], metaVersion: record.meta_version });
    expect((await exportDecision(db, ws.id, { kind: "adr", number: 2 }))!.markdown).toMatch(/^---\nid: ADR-2\nstatus: on hold\n/);
  });

  it("a postmortem exports its incident's facts in the front matter and its title once", async () => {
    const { db, actor, ws } = await setup();
    const { number } = await makeIncident(db, actor, ws.id, {
      severity: "SEV1",
      tier: "T3",
      startedAt: new Date("2026-11-20T10:00:00Z"),
      detectedAt: new Date("2026-11-20T10:07:00Z"),
      mitigatedAt: new Date("2026-11-20T10:31:00Z"),
      resolvedAt: new Date("2026-11-20T11:02:00Z"),
    });
    expect(await startPostmortem(db, actor, ws.id, number, "lightweight")).toEqual({ ok: true });
    const pasted = markdownToDocument("# Checkout outage\n\n## Summary\n\nThe config push broke checkout.\n");
    expect(await savePostmortem(db, actor, ws.id, number, { baseVersion: 1, title: "Postmortem: checkout outage", body: pasted })).toMatchObject({ ok: true });
    const { markdown } = (await postmortemMarkdown(db, ws.id, number))!;
    expect(markdown).toMatch(
      /^---\ntitle: "Postmortem: checkout outage"\nincident: INC-\d+\nincident-title: .+\nseverity: SEV1\ntier: T3\nareas: \[\]\nstarted: 2026-11-20T10:00:00.000Z\ndetected: 2026-11-20T10:07:00.000Z\nmitigated: 2026-11-20T10:31:00.000Z\nresolved: 2026-11-20T11:02:00.000Z\nstatus: draft\nversion: 2\n---\n\n# Checkout outage\n\n## Summary\n/,
    );
    expect(markdown.match(/^# /gm)).toHaveLength(1);

    // A body without a title heading gets the postmortem's title.
    const untitled = markdownToDocument("## Summary\n\nShort.\n");
    await savePostmortem(db, actor, ws.id, number, { baseVersion: 2, title: "Postmortem: checkout outage", body: untitled });
    expect((await postmortemMarkdown(db, ws.id, number))!.markdown).toContain("---\n\n# Postmortem: checkout outage\n\n## Summary\n\nShort.\n");
  });
});
