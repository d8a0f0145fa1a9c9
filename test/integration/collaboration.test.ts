import * as Y from "yjs";
import { expect, it } from "vitest";
import {
  contentOfYDoc,
  liveAccess,
  openLiveState,
  readLiveState,
  storeLiveState,
  writeContentIntoYDoc,
  type LiveDocument,
} from "~/domain/documents/index.server";
import { createDecision, findDecision, saveDecision } from "~/domain/decisions/index.server";
import { findPostmortem, listRevisions, savePostmortem, startPostmortem } from "~/domain/postmortems/index.server";
import { searchWorkspace } from "~/domain/search/index.server";
import { describeEachEngine } from "../support/databases";
import { addMember, makeUser, makeWorkspace } from "../support/factories";
import { makeIncident } from "../support/incidents";

const paragraphs = (...texts: string[]) => ({ type: "doc" as const, content: texts.map((text) => ({ type: "paragraph", content: [{ type: "text", text }] })) });

/** A Y.Doc loaded from a stored state, as a browser's editor would hold it. */
function replica(state: Uint8Array): Y.Doc {
  const ydoc = new Y.Doc();
  Y.applyUpdate(ydoc, state);
  return ydoc;
}

/** Types `text` at the end of the body's first paragraph, as the editor binding would. */
function typeInFirstParagraph(ydoc: Y.Doc, text: string) {
  const paragraph = ydoc.getXmlFragment("default").get(0) as Y.XmlElement;
  const run = paragraph.get(0) as Y.XmlText;
  run.insert(run.length, text);
}

describeEachEngine("live co-editing: persistence", (testDb) => {
  async function setup() {
    const db = testDb();
    const author = await makeUser(db, "Author");
    const ws = await makeWorkspace(db, author);
    const { number } = await makeIncident(db, author, ws.id);
    expect(await startPostmortem(db, author, ws.id, number, "lightweight")).toEqual({ ok: true });
    expect(await savePostmortem(db, author, ws.id, number, { baseVersion: 1, title: "Checkout outage", body: paragraphs("First words.", "Second block.") })).toMatchObject({
      ok: true,
      version: 2,
    });
    const pm = (await findPostmortem(db, ws.id, number))!;
    const doc: LiveDocument = { store: "postmortem", recordId: pm.id };
    return { db, author, ws, number, doc };
  }

  it("converts a stored document once, even when several open it at the same moment", async () => {
    const { db, doc } = await setup();
    expect(await readLiveState(db, "postmortem", doc.recordId)).toBeNull();
    const states = await Promise.all([1, 2, 3, 4, 5].map(() => openLiveState(db, doc)));
    const rows = await db.selectFrom("document_states").select("state").where("postmortem_id", "=", doc.recordId).execute();
    expect(rows).toHaveLength(1);
    for (const state of states) expect(Buffer.from(state!).equals(Buffer.from(rows[0]!.state))).toBe(true);
    const content = contentOfYDoc(replica(states[0]!));
    expect(content.title).toBe("Checkout outage");
    expect(content.body).toEqual(paragraphs("First words.", "Second block."));
    // Opening again reads the state; it never converts a second time.
    expect(Buffer.from((await openLiveState(db, doc))!).equals(Buffer.from(rows[0]!.state))).toBe(true);
    expect(await openLiveState(db, { store: "postmortem", recordId: "00000000-0000-4000-8000-000000000000" })).toBeNull();
  });

  it("derives body, body_text, search, revisions and version from the Yjs state on each store", async () => {
    const { db, author, ws, number, doc } = await setup();
    const other = await makeUser(db, "Other");
    await addMember(db, ws.id, author, other, "editor");
    const live = replica((await openLiveState(db, doc))!);

    // Unchanged text: no new version.
    expect(await storeLiveState(db, doc, live, author.id)).toEqual({ kind: "unchanged", version: 2 });

    typeInFirstParagraph(live, " Marmalade retries");
    expect(await storeLiveState(db, doc, live, author.id)).toEqual({ kind: "saved", version: 3 });
    let pm = (await findPostmortem(db, ws.id, number))!;
    expect(pm.body).toEqual(paragraphs("First words. Marmalade retries", "Second block."));
    expect(pm.body).toEqual(contentOfYDoc(live).body);
    expect(pm.body_text).toBe("First words. Marmalade retries\nSecond block.");
    expect(pm.version).toBe(3);
    const found = await searchWorkspace(db, ws.id, { q: "marmalade" });
    expect(JSON.stringify(found)).toContain("Checkout outage");

    // The same person within ten minutes folds into one revision (here with the start and the
    // first save, all by the author); another person starts a new one.
    typeInFirstParagraph(live, " again");
    expect(await storeLiveState(db, doc, live, author.id)).toEqual({ kind: "saved", version: 4 });
    live.getText("title").insert(live.getText("title").length, " (draft)");
    expect(await storeLiveState(db, doc, live, other.id)).toEqual({ kind: "saved", version: 5 });
    const revisions = await listRevisions(db, ws.id, number);
    expect(revisions.map((r) => [r.version, r.author_name])).toEqual([
      [5, "Other"],
      [4, "Author"],
    ]);
    pm = (await findPostmortem(db, ws.id, number))!;
    expect(pm).toMatchObject({ title: "Checkout outage (draft)", version: 5, updated_by: other.id });
    // The stored state is the live one.
    expect(contentOfYDoc(replica((await readLiveState(db, "postmortem", doc.recordId))!))).toEqual(contentOfYDoc(live));
  });

  it("an HTTP save during live editing merges with the live edits instead of replacing them", async () => {
    const { db, author, ws, number, doc } = await setup();
    const live = replica((await openLiveState(db, doc))!);
    typeInFirstParagraph(live, " typed live");
    // Someone saves over HTTP (the fallback path), on the current version, changing the second block.
    const saved = await savePostmortem(db, author, ws.id, number, { baseVersion: 2, title: "Checkout outage", body: paragraphs("First words.", "Second block, saved over HTTP.") });
    expect(saved).toMatchObject({ ok: true, version: 3 });
    // The live document's next store merges both.
    expect(await storeLiveState(db, doc, live, author.id)).toEqual({ kind: "saved", version: 4 });
    const pm = (await findPostmortem(db, ws.id, number))!;
    expect(pm.body).toEqual(paragraphs("First words. typed live", "Second block, saved over HTTP."));
    expect(contentOfYDoc(live).body).toEqual(pm.body);
    // A stale HTTP save is still a conflict that writes nothing.
    expect(await savePostmortem(db, author, ws.id, number, { baseVersion: 2, title: "X", body: paragraphs("Clobber") })).toMatchObject({ ok: false, kind: "conflict" });
  });

  it("keeps a published postmortem's text as published, and lets only editors write", async () => {
    const { db, author, ws, number, doc } = await setup();
    const viewer = await makeUser(db, "Viewer");
    const stranger = await makeUser(db, "Stranger");
    await addMember(db, ws.id, author, viewer, "viewer");
    expect(await liveAccess(db, author.id, doc)).toEqual({ ok: true, workspaceId: ws.id, readOnly: false, reason: null });
    expect(await liveAccess(db, viewer.id, doc)).toMatchObject({ ok: true, readOnly: true });
    expect(await liveAccess(db, stranger.id, doc)).toEqual({ ok: false });

    const live = replica((await openLiveState(db, doc))!);
    // Published (the review workflow is tested elsewhere): read-only for everybody.
    await db.updateTable("postmortems").set({ status: "published" }).where("id", "=", doc.recordId).execute();
    expect(await liveAccess(db, author.id, doc)).toMatchObject({ ok: true, readOnly: true });
    typeInFirstParagraph(live, " after publishing");
    expect(await storeLiveState(db, doc, live, author.id)).toMatchObject({ kind: "kept" });
    expect((await findPostmortem(db, ws.id, number))!.body_text).not.toContain("after publishing");
  });

  it("decision records are live documents too", async () => {
    const { db, author, ws } = await setup();
    const created = await createDecision(db, author, ws.id, {
      kind: "adr",
      template: "madr",
      title: "Use queues",
      status: "proposed",
      deciders: [],
      decidedOn: null,
      tags: [],
      supersedes: null,
    });
    expect(created).toMatchObject({ ok: true });
    const key = { kind: "adr" as const, number: 1 };
    const record = (await findDecision(db, ws.id, key))!;
    const doc: LiveDocument = { store: "decision", recordId: record.id };
    const live = replica((await openLiveState(db, doc))!);
    live.getXmlFragment("default").insert(0, [new Y.XmlElement("paragraph")]);
    (live.getXmlFragment("default").get(0) as Y.XmlElement).insert(0, [new Y.XmlText("Context first.")]);
    const stored = await storeLiveState(db, doc, live, author.id);
    expect(stored).toEqual({ kind: "saved", version: record.version + 1 });
    const after = (await findDecision(db, ws.id, key))!;
    expect(after.body_text.startsWith("Context first.")).toBe(true);
    // The HTTP save writes into the same state.
    const body = JSON.parse(JSON.stringify(after.body)) as ReturnType<typeof paragraphs>;
    expect(await saveDecision(db, author, ws.id, key, { baseVersion: after.version, title: "Use queues", body: paragraphs("Replaced over HTTP.") })).toMatchObject({ ok: true });
    expect(contentOfYDoc(replica((await readLiveState(db, "decision", record.id))!)).body).toEqual(paragraphs("Replaced over HTTP."));
    expect(body.type).toBe("doc");
    // writeContentIntoYDoc is the same diff the save used: applying it twice changes nothing.
    const again = replica((await readLiveState(db, "decision", record.id))!);
    const before = Y.encodeStateVector(again);
    writeContentIntoYDoc(again, { title: "Use queues", body: paragraphs("Replaced over HTTP.") });
    expect(Buffer.from(Y.encodeStateVector(again)).equals(Buffer.from(before))).toBe(true);
  });
});
