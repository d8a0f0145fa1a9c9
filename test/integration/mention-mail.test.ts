/**
 * Mentions are mailed (issue 17, point 4; docs/decisions/0024), on both engines: the save that
 * first holds "@Name" owes that person one mail, sent as it happens or in the daily digest as they
 * chose, or skipped when they turned mentions off; a live (Yjs) store counts as a save.
 */
import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateToLatest } from "#db/connection";
import { createDecision, saveDecision } from "~/domain/decisions/index.server";
import { openLiveState, storeLiveState } from "~/domain/documents/index.server";
import {
  mentionExcerpt,
  notificationSettings,
  saveNotificationSettings,
  sendImmediateNotifications,
  sendNotificationDigests,
  DEFAULT_NOTIFICATION_SETTINGS,
} from "~/domain/notifications/index.server";
import { changeMemberRole } from "~/domain/workspaces/index.server";
import { createTestDatabase, describeEachEngine, postgresAvailable, type Engine, type TestDatabase } from "../support/databases";
import { makeUser, makeWorkspace } from "../support/factories";
import { mentionTeam, paragraphs, savePostmortemText } from "../support/mentions";
import { mailHeader, mailText, useSmtpMailer } from "../support/smtp";

const doc = paragraphs;
const APP = "https://hindsight.example";

it("quotes the sentence around a mention, cut around it when long", () => {
  const text = "Summary\nFirst we paged. Then @Mo Reader rolled back! After that, calm.\nDone.";
  expect(mentionExcerpt(text, text.indexOf("@"))).toBe("Then @Mo Reader rolled back!");
  expect(mentionExcerpt("@Mo, see this", 0)).toBe("@Mo, see this");
  // An email-like dot inside a name does not end the sentence.
  expect(mentionExcerpt("Ask (@mo.m) about it. Later.", 5)).toBe("Ask (@mo.m) about it.");
  const long = `${"word ".repeat(100)}@Mo here ${"more ".repeat(100)}end.`;
  const excerpt = mentionExcerpt(long, long.indexOf("@"), 100);
  expect(excerpt).toMatch(/^…word .*@Mo here more .*…$/);
  expect(excerpt.length).toBeLessThanOrEqual(102);
});

describeEachEngine("mention mail", (testDb) => {
  const sink = useSmtpMailer();
  const team = () => mentionTeam(testDb());
  const save = savePostmortemText;

  const mailTo = (email: string) => sink.smtp.received.filter((m) => m.to.includes(email));
  const send = () => sendImmediateNotifications(testDb(), sink.mailer, { appUrl: APP });

  it("a new mention mails its person once, with the sentence and the link; saving it again mails no one", async () => {
    const { db, ws, dana, mo, number } = await team();
    await save(db, dana, ws.id, number, "Summary of the refunds.", "We paged the team. Thanks @Mo Reader for the timeline. It helped.");
    // Owed in the save's transaction, sent only by the job.
    expect(mailTo(mo.email)).toHaveLength(0);
    await send();
    const mails = mailTo(mo.email);
    expect(mails).toHaveLength(1);
    expect(mailHeader(mails[0]!.raw, "subject")).toBe(`Dana Author mentioned you in INC-${number}'s postmortem`);
    const text = mailText(mails[0]!.raw);
    expect(text).toContain("> Thanks @Mo Reader for the timeline.\n");
    expect(text).not.toContain("We paged the team");
    expect(text).toContain(`${APP}/w/${ws.slug}/incidents/${number}/postmortem`);
    // The same mention saved again, and again with more text: no second mail.
    await save(db, dana, ws.id, number, "Thanks @Mo Reader for the timeline, and @mo reader again.");
    await send();
    expect(mailTo(mo.email)).toHaveLength(1);
    expect(await db.selectFrom("notifications").select("id").where("user_id", "=", mo.id).execute()).toHaveLength(1);
  });

  it("names a decision record by its reference, and mails each newly mentioned person", async () => {
    const { db, ws, dana, mo, rae } = await team();
    const created = await createDecision(db, rae, ws.id, {
      kind: "adr", template: "madr", title: "Refunds are idempotent", status: "proposed", deciders: [], decidedOn: null, tags: [], supersedes: null,
    });
    if (!created.ok) throw new Error("could not create the decision");
    const key = { kind: "adr" as const, number: created.number };
    expect(await saveDecision(db, rae, ws.id, key, { baseVersion: 1, title: "Refunds are idempotent", body: doc("cc @Mo Reader") })).toMatchObject({ ok: true });
    expect(await saveDecision(db, rae, ws.id, key, { baseVersion: 2, title: "Refunds are idempotent", body: doc("cc @Mo Reader and @Dana Author") })).toMatchObject({ ok: true });
    await send();
    for (const person of [mo, dana]) {
      const mails = mailTo(person.email);
      expect(mails).toHaveLength(1);
      expect(mailHeader(mails[0]!.raw, "subject")).toBe(`Rae Editor mentioned you in ${created.ref}`);
      expect(mailText(mails[0]!.raw)).toContain(`${APP}/w/${ws.slug}/decisions/${created.ref}`);
    }
    expect(mailText(mailTo(dana.email)[0]!.raw)).toContain("> cc @Mo Reader and @Dana Author");
  });

  it("mentions turned off: nothing is mailed; other kinds and other people are unaffected", async () => {
    const { db, ws, dana, mo, rae, number } = await team();
    expect(await notificationSettings(db, mo.id)).toEqual(DEFAULT_NOTIFICATION_SETTINGS);
    expect(DEFAULT_NOTIFICATION_SETTINGS.mentions).toBe(true);
    await saveNotificationSettings(db, mo, { ...DEFAULT_NOTIFICATION_SETTINGS, mentions: false });
    expect(await notificationSettings(db, mo.id)).toMatchObject({ mentions: false, reviewRequests: true });
    await save(db, dana, ws.id, number, "@Mo Reader and @Rae Editor, please look.");
    await send();
    expect(mailTo(mo.email)).toHaveLength(0);
    expect(mailTo(rae.email)).toHaveLength(1);
    expect(await db.selectFrom("notifications").select(["skipped", "sent_at"]).where("user_id", "=", mo.id).execute()).toEqual([{ skipped: true, sent_at: null }]);
    // Still in the inbox: settings only choose mail.
    expect(await db.selectFrom("mentions").select("seen_at").where("user_id", "=", mo.id).execute()).toEqual([{ seen_at: null }]);
    expect(await sendNotificationDigests(db, sink.mailer, { appUrl: APP })).toMatchObject({ failed: 0 });
    expect(mailTo(mo.email)).toHaveLength(0);
  });

  it("daily: the mention waits for the digest, which lists it with its link", async () => {
    const { db, ws, dana, mo, number } = await team();
    await saveNotificationSettings(db, mo, { ...DEFAULT_NOTIFICATION_SETTINGS, delivery: "daily" });
    await save(db, dana, ws.id, number, "Ask @Mo Reader about the retry budget.");
    await send();
    expect(mailTo(mo.email)).toHaveLength(0);
    await sendNotificationDigests(db, sink.mailer, { appUrl: APP });
    const mails = mailTo(mo.email);
    expect(mails).toHaveLength(1);
    expect(mailHeader(mails[0]!.raw, "subject")).toBe("Hindsight: 1 thing waiting for you");
    const text = mailText(mails[0]!.raw);
    expect(text).toContain(`- Dana Author mentioned you in INC-${number}'s postmortem\n  ${APP}/w/${ws.slug}/incidents/${number}/postmortem`);
    await sendNotificationDigests(db, sink.mailer, { appUrl: APP });
    expect(mailTo(mo.email)).toHaveLength(1);
  });

  it("a live (Yjs) store that first holds the mention mails it, in the editor's name", async () => {
    const { db, ws, dana, mo, rae, number } = await team();
    const pm = await save(db, dana, ws.id, number, "The timeline.");
    const live = new Y.Doc();
    Y.applyUpdate(live, (await openLiveState(db, { store: "postmortem", recordId: pm.id }))!);
    const run = (live.getXmlFragment("default").get(0) as Y.XmlElement).get(0) as Y.XmlText;
    run.insert(run.length, " Checked by @Mo Reader.");
    expect(await storeLiveState(db, { store: "postmortem", recordId: pm.id }, live, rae.id)).toMatchObject({ kind: "saved" });
    expect(await storeLiveState(db, { store: "postmortem", recordId: pm.id }, live, rae.id)).toMatchObject({ kind: "unchanged" });
    await send();
    const mails = mailTo(mo.email);
    expect(mails).toHaveLength(1);
    expect(mailHeader(mails[0]!.raw, "subject")).toBe(`Rae Editor mentioned you in INC-${number}'s postmortem`);
    expect(mailText(mails[0]!.raw)).toContain("> Checked by @Mo Reader.\n");
  });

  it("someone removed from the workspace before the mail is sent gets none", async () => {
    const { db, ws, dana, mo, number } = await team();
    await save(db, dana, ws.id, number, "@Mo Reader owns the follow-up.");
    expect(await changeMemberRole(db, dana, ws.id, mo.id, null)).toMatchObject({ ok: true });
    await send();
    expect(mailTo(mo.email)).toHaveLength(0);
    expect(await db.selectFrom("notifications").select("skipped").where("user_id", "=", mo.id).execute()).toEqual([{ skipped: true }]);
  });
});

const upgradeEngines: Engine[] = (await postgresAvailable()) ? ["pglite", "postgres"] : ["pglite"];

describe.each(upgradeEngines)("mention mail, upgrading a database written before it [%s]", (engine) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(engine, { upTo: "0022_search_tracker_keys" });
  });
  afterAll(() => database.close());

  it("people's saved settings get mentions on, and mail owed keeps its kind", async () => {
    const db = database.db;
    const mo = await makeUser(db, "Mo Reader");
    const ws = await makeWorkspace(db, mo);
    await db.insertInto("notification_settings").values({ user_id: mo.id, review_requests: false, actions_due: true, actions_regressed: false, delivery: "daily" } as never).execute();
    await db.insertInto("notifications").values({ workspace_id: ws.id, user_id: mo.id, kind: "review_requested", subject: "s", body: "b", link: "/l" }).execute();
    await expect(db.insertInto("notifications").values({ workspace_id: ws.id, user_id: mo.id, kind: "mentioned", subject: "s", body: "b", link: "/l" }).execute()).rejects.toThrow();
    await migrateToLatest(db as never);
    expect(await notificationSettings(db, mo.id)).toEqual({ reviewRequests: false, mentions: true, actionsDue: true, actionsRegressed: false, delivery: "daily" });
    await db.insertInto("notifications").values({ workspace_id: ws.id, user_id: mo.id, kind: "mentioned", subject: "s", body: "b", link: "/l" }).execute();
    expect((await db.selectFrom("notifications").select("kind").where("user_id", "=", mo.id).orderBy("created_at").execute()).map((n) => n.kind).sort()).toEqual(["mentioned", "review_requested"]);
    await expect(db.insertInto("notifications").values({ workspace_id: ws.id, user_id: mo.id, kind: "other" as never, subject: "s", body: "b", link: "/l" }).execute()).rejects.toThrow();
  });
});
