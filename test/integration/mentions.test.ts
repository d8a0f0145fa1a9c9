/**
 * Mentions in the inbox (issue 17, point 4; docs/decisions/0024), on both engines: "@Name" of a
 * member in a postmortem's or a decision record's text is recorded once per record and person,
 * never for the author or people outside the workspace, and leaves the inbox once they open it.
 */
import { expect, it } from "vitest";
import { createDecision, findDecision, saveDecision } from "~/domain/decisions/index.server";
import { inboxCount, inboxFor, markMentionsSeen, mentionedMembers } from "~/domain/notifications/index.server";
import { findPostmortem } from "~/domain/postmortems/index.server";
import { describeEachEngine } from "../support/databases";
import { addMember, makeUser, makeWorkspace } from "../support/factories";
import { makePostmortem } from "../support/guardrails";
import { mentionTeam, paragraphs, savePostmortemText } from "../support/mentions";

const doc = paragraphs;

it("matches '@' + a display name or email local part, longest name first, at word boundaries", () => {
  const members = [
    { id: "dana", displayName: "Dana", email: "dk@example.test" },
    { id: "dana-s", displayName: "Dana Scully", email: "scully@example.test" },
    { id: "mo", displayName: "Mo", email: "mo.m@example.test" },
  ];
  const found = (text: string) => [...mentionedMembers(text, members)].sort();
  expect(found("Ask @dana scully and @DK.")).toEqual(["dana", "dana-s"]);
  expect(found("@Dana, please")).toEqual(["dana"]);
  // No word boundary after the name, or an email address in the text: no mention.
  expect(found("@Danae and @Mona, write to x@dana")).toEqual([]);
  expect(found("(@mo.m) said so")).toEqual(["mo"]);
  expect(found("no at-signs here")).toEqual([]);
});

describeEachEngine("mentions", (testDb) => {
  const team = () => mentionTeam(testDb());
  const save = savePostmortemText;

  it("records a mention once per record and person; a re-save that still holds it does not notify again", async () => {
    const { db, ws, dana, mo, number } = await team();
    await save(db, dana, ws.id, number, "Thanks @Mo Reader for the timeline.");
    const inbox = await inboxFor(db, ws.id, mo.id);
    expect(inbox.mentions).toEqual([expect.objectContaining({ mentionedBy: "Dana Author", incidentNumber: number, decisionRef: null, title: expect.any(String) })]);
    expect(await inboxCount(db, ws.id, mo.id)).toBe(1);
    await save(db, dana, ws.id, number, "Thanks @mo reader for the timeline, and again @Mo Reader.");
    expect((await inboxFor(db, ws.id, mo.id)).mentions).toHaveLength(1);
    expect(await db.selectFrom("mentions").select("id").where("user_id", "=", mo.id).execute()).toHaveLength(1);
    // Seen, then still in the text on a later save: it stays seen.
    const pm = (await findPostmortem(db, ws.id, number))!;
    await markMentionsSeen(db, { store: "postmortem", id: pm.id, workspaceId: ws.id }, mo.id);
    await save(db, dana, ws.id, number, "Thanks @Mo Reader, once more.");
    expect((await inboxFor(db, ws.id, mo.id)).mentions).toEqual([]);
  });

  it("ignores the author mentioning themself and names of people outside the workspace", async () => {
    const { db, ws, dana, number } = await team();
    const stranger = await makeUser(db, "Stan Stranger");
    await save(db, dana, ws.id, number, `Written by @Dana Author, reviewed by @Stan Stranger and @${stranger.email.split("@")[0]}.`);
    expect(await db.selectFrom("mentions").select("id").where("workspace_id", "=", ws.id).execute()).toEqual([]);
    expect((await inboxFor(db, ws.id, dana.id)).mentions).toEqual([]);
    expect(await inboxCount(db, ws.id, stranger.id)).toBe(0);
  });

  it("finds a member by the local part of their email, in a decision record too, and marks it seen when opened", async () => {
    const { db, ws, dana, mo, rae } = await team();
    const created = await createDecision(db, rae, ws.id, {
      kind: "adr", template: "madr", title: "Refunds are idempotent", status: "proposed", deciders: [], decidedOn: null, tags: [], supersedes: null,
    });
    if (!created.ok) throw new Error("could not create the decision");
    const key = { kind: "adr" as const, number: created.number };
    expect(await saveDecision(db, rae, ws.id, key, { baseVersion: 1, title: "Refunds are idempotent", body: doc(`cc @${mo.email.split("@")[0]} and @dana author`) })).toMatchObject({ ok: true });
    expect((await inboxFor(db, ws.id, mo.id)).mentions).toEqual([expect.objectContaining({ mentionedBy: "Rae Editor", decisionRef: created.ref, incidentNumber: null })]);
    expect((await inboxFor(db, ws.id, dana.id)).mentions).toHaveLength(1);
    const record = (await findDecision(db, ws.id, key))!;
    await markMentionsSeen(db, { store: "decision", id: record.id, workspaceId: ws.id }, mo.id);
    expect((await inboxFor(db, ws.id, mo.id)).mentions).toEqual([]);
    expect(await inboxCount(db, ws.id, mo.id)).toBe(0);
    // Only the one who opened it: Dana's mention still waits.
    expect((await inboxFor(db, ws.id, dana.id)).mentions).toHaveLength(1);
  });

  it("keeps mentions to their workspace", async () => {
    const { db, ws, dana, mo, number } = await team();
    const other = await makeWorkspace(db, dana);
    await addMember(db, other.id, dana, mo, "editor");
    const otherNumber = await makePostmortem(db, dana, other.id, { title: "Elsewhere" });
    await save(db, dana, ws.id, number, "@Mo Reader, see this.");
    expect((await inboxFor(db, other.id, mo.id)).mentions).toEqual([]);
    expect(await inboxCount(db, other.id, mo.id)).toBe(0);
    // Opening the other workspace's postmortem does not mark this one's mention seen.
    const elsewhere = (await findPostmortem(db, other.id, otherNumber))!;
    await markMentionsSeen(db, { store: "postmortem", id: elsewhere.id, workspaceId: other.id }, mo.id);
    // Nor does naming this record with another workspace's id.
    const pm = (await findPostmortem(db, ws.id, number))!;
    await markMentionsSeen(db, { store: "postmortem", id: pm.id, workspaceId: other.id }, mo.id);
    expect((await inboxFor(db, ws.id, mo.id)).mentions).toHaveLength(1);
  });
});
