import { expect, it } from "vitest";
import { listAreas } from "~/domain/workspaces/index.server";
import {
  addTimelineEvent,
  changeTimelineEvent,
  createIncident,
  findIncident,
  listIncidents,
  updateIncident,
} from "~/domain/incidents/index.server";
import { describeEachEngine } from "../support/databases";
import { makeUser, makeWorkspace } from "../support/factories";
import { incidentInput, makeIncident } from "../support/incidents";

describeEachEngine("incidents", (testDb) => {
  it("numbers incidents per workspace without gaps, even when created at once", async () => {
    const db = testDb();
    const admin = await makeUser(db);
    const ws = await makeWorkspace(db, admin);
    const other = await makeWorkspace(db, admin);
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => createIncident(db, admin, ws.id, incidentInput({ title: `Parallel incident ${i}` }))),
    );
    const numbers = results.map((r) => (r.ok ? r.number : -1)).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(await makeIncident(db, admin, other.id)).toMatchObject({ number: 1 });
  });

  it("a failed create gives its number back", async () => {
    const db = testDb();
    const admin = await makeUser(db);
    const ws = await makeWorkspace(db, admin);
    await makeIncident(db, admin, ws.id);
    const foreignArea = (await listAreas(db, (await makeWorkspace(db, admin)).id))[0]!;
    const refused = await createIncident(db, admin, ws.id, incidentInput({ areaIds: [foreignArea.id] }));
    expect(refused).toMatchObject({ ok: false, kind: "invalid", fieldErrors: { areaIds: [expect.any(String)] } });
    expect(await makeIncident(db, admin, ws.id)).toMatchObject({ number: 2 });
  });

  it("refuses time stamps out of order, on the field that is wrong", async () => {
    const db = testDb();
    const admin = await makeUser(db);
    const ws = await makeWorkspace(db, admin);
    const result = await createIncident(
      db,
      admin,
      ws.id,
      incidentInput({ detectedAt: new Date("2026-11-20T09:00:00Z"), mitigatedAt: new Date("2026-11-20T08:00:00Z") }),
    );
    expect(result).toMatchObject({ ok: false, fieldErrors: { detectedAt: [expect.any(String)], mitigatedAt: [expect.any(String)] } });
  });

  it("a save from a stale version is a conflict and changes nothing", async () => {
    const db = testDb();
    const alice = await makeUser(db, "Alice");
    const ws = await makeWorkspace(db, alice);
    const { number, version } = await makeIncident(db, alice, ws.id);
    const first = await updateIncident(db, alice, ws.id, number, version, incidentInput({ title: "Alice's title" }));
    expect(first).toEqual({ ok: true, number, version: version + 1 });
    const stale = await updateIncident(db, alice, ws.id, number, version, incidentInput({ title: "Bob's title" }));
    expect(stale).toMatchObject({ ok: false, kind: "conflict", current: { version: version + 1, updatedBy: "Alice" } });
    expect((await findIncident(db, ws.id, number))?.title).toBe("Alice's title");
  });

  it("pages newest first with a stable cursor, and filters", async () => {
    const db = testDb();
    const admin = await makeUser(db);
    const ws = await makeWorkspace(db, admin);
    const [auth] = (await listAreas(db, ws.id)).filter((a) => a.slug === "auth");
    for (let day = 1; day <= 7; day++) {
      await makeIncident(db, admin, ws.id, {
        title: `Day ${day}`,
        startedAt: new Date(`2026-10-0${day}T12:00:00Z`),
        detectedAt: null,
        severity: day % 2 ? "SEV1" : "SEV3",
        areaIds: day <= 2 ? [auth!.id] : [],
      });
    }
    const first = await listIncidents(db, ws.id, {}, null, 3);
    expect(first.incidents.map((i) => i.title)).toEqual(["Day 7", "Day 6", "Day 5"]);
    const second = await listIncidents(db, ws.id, {}, first.next, 3);
    expect(second.incidents.map((i) => i.title)).toEqual(["Day 4", "Day 3", "Day 2"]);
    const third = await listIncidents(db, ws.id, {}, second.next, 3);
    expect(third.incidents.map((i) => i.title)).toEqual(["Day 1"]);
    expect(third.next).toBeNull();

    expect((await listIncidents(db, ws.id, { severity: "SEV1" }, null)).incidents).toHaveLength(4);
    const byArea = await listIncidents(db, ws.id, { area: "auth" }, null);
    expect(byArea.incidents.map((i) => i.title)).toEqual(["Day 2", "Day 1"]);
    expect(byArea.incidents[0]!.areas).toEqual([auth!.name]);
    const range = await listIncidents(db, ws.id, { from: new Date("2026-10-03T00:00:00Z"), to: new Date("2026-10-05T00:00:00Z") }, null);
    expect(range.incidents.map((i) => i.title)).toEqual(["Day 4", "Day 3"]);
  });

  it("keeps a timeline that can be added to, edited and pruned", async () => {
    const db = testDb();
    const admin = await makeUser(db);
    const ws = await makeWorkspace(db, admin);
    const { number } = await makeIncident(db, admin, ws.id);
    await addTimelineEvent(db, admin, ws.id, number, { occurredAt: new Date("2026-11-20T10:09:00Z"), kind: "action", text: "Rolled back" });
    const trigger = await addTimelineEvent(db, admin, ws.id, number, {
      occurredAt: new Date("2026-11-20T09:58:00Z"),
      kind: "trigger",
      text: "Config push",
    });
    let incident = await findIncident(db, ws.id, number);
    expect(incident?.timeline.map((e) => e.text)).toEqual(["Config push", "Rolled back"]);
    await changeTimelineEvent(db, admin, ws.id, number, trigger!.id, {
      occurredAt: new Date("2026-11-20T09:58:00Z"),
      kind: "trigger",
      text: "Config push to all regions at once",
    });
    incident = await findIncident(db, ws.id, number);
    expect(incident?.timeline[0]?.text).toBe("Config push to all regions at once");
    await changeTimelineEvent(db, admin, ws.id, number, trigger!.id, null);
    expect((await findIncident(db, ws.id, number))?.timeline).toHaveLength(1);
  });

  it("another workspace's incidents and events are out of reach", async () => {
    const db = testDb();
    const a = await makeUser(db);
    const b = await makeUser(db);
    const wsA = await makeWorkspace(db, a);
    const wsB = await makeWorkspace(db, b);
    const { number, version } = await makeIncident(db, a, wsA.id);
    const event = await addTimelineEvent(db, a, wsA.id, number, { occurredAt: new Date(), kind: "note", text: "private" });
    expect(await findIncident(db, wsB.id, number)).toBeNull();
    expect(await updateIncident(db, b, wsB.id, number, version, incidentInput())).toMatchObject({ ok: false, kind: "not-found" });
    expect(await changeTimelineEvent(db, b, wsB.id, number, event!.id, null)).toBeNull();
    await makeIncident(db, b, wsB.id);
    expect(await changeTimelineEvent(db, b, wsB.id, number, event!.id, null)).toBeNull();
    expect((await listIncidents(db, wsB.id, {}, null)).incidents.every((i) => i.title !== "private")).toBe(true);
  });
});
