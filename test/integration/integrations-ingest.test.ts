import { afterEach, beforeEach, expect, it, vi, type MockInstance } from "vitest";
import { SYSTEM_USER_ID } from "#db/migrations/0007_integrations";
import { findIncident } from "~/domain/incidents/index.server";
import { listDeliveries } from "~/domain/integrations/index.server";
import { log } from "~/http/log.server";
import { describeEachEngine } from "../support/databases";
import { makeIncident } from "../support/incidents";
import { ingestWorkspace, PD_SECRET } from "../support/ingest";
import { alertmanagerNotification, hmac, pagerDutyEvent, workspaceState } from "../support/integrations";

const holder = vi.hoisted(() => ({ db: null as unknown }));
vi.mock("~/http/db.server", () => ({ database: async () => holder.db }));

describeEachEngine("incident ingest from alerting", (testDb) => {
  let warn: MockInstance;
  beforeEach(() => {
    holder.db = testDb();
    warn = vi.spyOn(log, "warn").mockImplementation(() => undefined);
    vi.spyOn(log, "info").mockImplementation(() => undefined);
  });
  afterEach(() => vi.restoreAllMocks());

  const setup = () => ingestWorkspace(testDb());

  it("a triggered PagerDuty incident becomes one incident; acknowledged and resolved update it, each with a timeline event", async () => {
    const { db, ws, pagerDuty, incidents } = await setup();
    const triggered = pagerDutyEvent({ type: "incident.triggered", incidentId: "Q2W3E4R5T6", occurredAt: "2026-11-20T10:02:05Z", priority: "P2" });
    const created = await pagerDuty(triggered);
    expect(created.status).toBe(200);
    expect(await created.json()).toMatchObject({ outcome: "applied", changes: ["Created INC-1 “Checkout API error rate above 5%” (SEV2)."] });
    const [incident] = await incidents();
    expect(incident).toMatchObject({
      number: 1,
      title: "Checkout API error rate above 5%",
      severity: "SEV2",
      status: "investigating",
      tier: "T1",
      started_at: new Date("2026-11-20T10:02:00Z"),
      detected_at: new Date("2026-11-20T10:02:00Z"),
      created_by: SYSTEM_USER_ID,
    });

    // The same PagerDuty incident again (a new event): no second incident.
    const again = await pagerDuty(pagerDutyEvent({ type: "incident.triggered", incidentId: "Q2W3E4R5T6", occurredAt: "2026-11-20T10:02:06Z" }));
    expect(await again.json()).toMatchObject({ outcome: "ignored" });
    const acked = await pagerDuty(pagerDutyEvent({ type: "incident.acknowledged", incidentId: "Q2W3E4R5T6", occurredAt: "2026-11-20T10:05:00Z", agent: "Jane Doe" }));
    expect(await acked.json()).toMatchObject({ outcome: "applied", changes: ["INC-1: acknowledged."] });
    expect(await (await pagerDuty(pagerDutyEvent({ type: "incident.acknowledged", incidentId: "Q2W3E4R5T6", occurredAt: "2026-11-20T10:05:30Z" }))).json()).toMatchObject({ outcome: "ignored" });
    const resolved = await pagerDuty(pagerDutyEvent({ type: "incident.resolved", incidentId: "Q2W3E4R5T6", occurredAt: "2026-11-20T10:40:00Z", agent: "Jane Doe" }));
    expect(await resolved.json()).toMatchObject({ outcome: "applied", changes: ["INC-1 resolved at 2026-11-20T10:40:00.000Z."] });
    expect(await (await pagerDuty(pagerDutyEvent({ type: "incident.resolved", incidentId: "Q2W3E4R5T6", occurredAt: "2026-11-20T10:41:00Z" }))).json()).toMatchObject({ outcome: "ignored" });

    const found = await findIncident(db, ws.id, 1);
    expect(found).toMatchObject({ status: "resolved", resolved_at: new Date("2026-11-20T10:40:00Z"), mitigated_at: new Date("2026-11-20T10:40:00Z"), version: 2 });
    expect(found?.timeline.map((e) => [e.kind, e.text])).toEqual([
      ["detection", "PagerDuty incident #2 triggered (checkout-api): Checkout API error rate above 5%"],
      ["action", "Acknowledged in PagerDuty by Jane Doe."],
      ["resolution", "Resolved in PagerDuty by Jane Doe."],
    ]);
    expect(found?.timeline.every((e) => e.author_name === "Alerting integration")).toBe(true);
    const audit = await db.selectFrom("audit_events").select(["action", "actor_id"]).where("workspace_id", "=", ws.id).where("entity_type", "in", ["incident", "timeline_event"]).orderBy("id").execute();
    expect(audit.map((a) => a.action)).toEqual(["incident.created", "timeline_event.added", "timeline_event.added", "incident.updated", "timeline_event.added"]);
    expect(audit.every((a) => a.actor_id === null)).toBe(true);
    expect((await listDeliveries(db, ws.id)).filter((d) => d.source === "pagerduty")).toHaveLength(6);

    // The very same event delivered again is a replay.
    const replay = await pagerDuty(triggered);
    expect(replay.status).toBe(409);
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ status: 409, source: "pagerduty" }), "machine request refused");
  });

  it("ingested incidents take the next gapless number, shared with incidents people record", async () => {
    const { db, admin, ws, pagerDuty, incidents } = await setup();
    await makeIncident(db, admin, ws.id);
    await pagerDuty(pagerDutyEvent({ type: "incident.triggered", incidentId: "PAAAAAA", occurredAt: "2026-11-20T10:02:05Z" }));
    await pagerDuty(pagerDutyEvent({ type: "incident.triggered", incidentId: "PBBBBBB", occurredAt: "2026-11-20T11:02:05Z", priority: null, urgency: "low" }));
    await makeIncident(db, admin, ws.id);
    expect((await incidents()).map((i) => [i.number, i.severity])).toEqual([
      [1, "SEV2"],
      [2, "SEV2"],
      [3, "SEV3"],
      [4, "SEV2"],
    ]);
  });

  it("two events about a new PagerDuty incident arriving at once open one incident", async () => {
    const { db, ws, pagerDuty, incidents } = await setup();
    const answers = await Promise.all([
      pagerDuty(pagerDutyEvent({ type: "incident.triggered", incidentId: "PRACE01", occurredAt: "2026-11-20T10:02:05Z" })),
      pagerDuty(pagerDutyEvent({ type: "incident.acknowledged", incidentId: "PRACE01", occurredAt: "2026-11-20T10:02:06Z", agent: "Jane Doe" })),
    ]);
    expect(answers.map((r) => r.status)).toEqual([200, 200]);
    expect(await incidents()).toHaveLength(1);
    expect((await findIncident(db, ws.id, 1))?.timeline.map((e) => e.kind).sort()).toEqual(["action", "detection"]);
  });

  it("an acknowledge or resolve for a PagerDuty incident never seen before records it", async () => {
    const { pagerDuty, incidents } = await setup();
    const body = await (await pagerDuty(pagerDutyEvent({ type: "incident.resolved", incidentId: "PCCCCCC", occurredAt: "2026-11-20T12:00:00Z", priority: "P1" }))).json();
    expect(body).toMatchObject({ outcome: "applied", changes: ["Created INC-1 “Checkout API error rate above 5%” (SEV1, resolved)."] });
    expect((await incidents())[0]).toMatchObject({ status: "resolved", resolved_at: new Date("2026-11-20T12:00:00Z") });
  });

  it("PagerDuty deliveries with a wrong or missing signature are refused and change nothing; any of several v1 signatures may match", async () => {
    const { db, ws, pagerDuty } = await setup();
    const payload = pagerDutyEvent({ type: "incident.triggered", incidentId: "PDDDDDD", occurredAt: "2026-11-20T10:02:05Z" });
    const before = await workspaceState(db, ws.id);
    expect((await pagerDuty(payload, "some-other-secret")).status).toBe(401);
    expect((await pagerDuty(payload, null)).status).toBe(401);
    expect((await pagerDuty(payload, null, "v1=not-hex")).status).toBe(401);
    expect(await workspaceState(db, ws.id)).toEqual(before);
    const body = JSON.stringify(payload);
    const rotating = `v1=${hmac("their-new-secret", body)},v1=${hmac(PD_SECRET, body)}`;
    expect((await pagerDuty(body, null, rotating)).status).toBe(200);
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ status: 401, source: "pagerduty" }), "machine request refused");
  });

  it("PagerDuty's ping and events it does not use are acknowledged; malformed bodies are a 400", async () => {
    const { db, ws, pagerDuty } = await setup();
    const ping = { event: { id: "01PINGXYZ", event_type: "pagey.ping", resource_type: "pagey", occurred_at: "2026-11-20T10:00:00Z", agent: null, client: null, data: { message: "Hello from your friend Pagey!", type: "ping" } } };
    expect(await (await pagerDuty(ping)).json()).toMatchObject({ outcome: "ignored", summary: expect.stringMatching(/ping/) });
    // incident.annotated carries an incident_note, not the incident (PagerDuty's documented example).
    const annotated = {
      event: {
        id: "01ANNOTATED7",
        event_type: "incident.annotated",
        resource_type: "incident",
        occurred_at: "2026-11-20T10:02:05Z",
        agent: null,
        client: null,
        data: {
          incident: { html_url: "https://acme.pagerduty.com/incidents/PGR0VU2", id: "PGR0VU2", self: "https://api.pagerduty.com/incidents/PGR0VU2", summary: "A little bump in the road", type: "incident_reference" },
          id: "P2LA89X",
          content: "I sure am glad we are using PagerDuty!",
          trimmed: false,
          type: "incident_note",
        },
      },
    };
    expect(await (await pagerDuty(annotated)).json()).toMatchObject({ outcome: "ignored", summary: "incident.annotated events are not used; acknowledged." });
    const before = await workspaceState(db, ws.id);
    expect((await pagerDuty("{]")).status).toBe(400);
    expect((await pagerDuty({ event: { id: "x", event_type: "incident.triggered", occurred_at: "2026-11-20T10:00:00Z", data: { nope: true } } })).status).toBe(400);
    expect(await workspaceState(db, ws.id)).toEqual(before);
  });

  it("an Alertmanager group opens one incident; more alerts add to its timeline; resolved resolves it; identical repeats change nothing", async () => {
    const { db, ws, alertmanager, incidents } = await setup();
    const firing = alertmanagerNotification({ status: "firing", alerts: [{ status: "firing", instance: "api-1", startsAt: "2026-11-20T10:00:00Z" }] });
    const created = await alertmanager(firing);
    expect(created.status).toBe(200);
    expect(await created.json()).toMatchObject({ outcome: "applied", changes: ["Created INC-1 “HighErrorRate: Checkout error rate above 5%” (SEV1)."] });
    expect(await incidents()).toMatchObject([{ number: 1, severity: "SEV1", status: "investigating", started_at: new Date("2026-11-20T10:00:00Z") }]);

    // Alertmanager repeats an unchanged group every repeat_interval: a 200 that changes nothing.
    const state = await workspaceState(db, ws.id);
    const repeat = await alertmanager(firing);
    expect(repeat.status).toBe(200);
    expect(await repeat.json()).toMatchObject({ outcome: "ignored" });
    expect(await workspaceState(db, ws.id)).toEqual(state);

    const spreading = alertmanagerNotification({
      status: "firing",
      alerts: [
        { status: "firing", instance: "api-1", startsAt: "2026-11-20T10:00:00Z" },
        { status: "firing", instance: "api-2", startsAt: "2026-11-20T10:03:00Z" },
      ],
    });
    expect(await (await alertmanager(spreading)).json()).toMatchObject({ outcome: "applied", changes: ["INC-1: 2 alerts firing (was 1)."] });
    const resolved = alertmanagerNotification({
      status: "resolved",
      alerts: [
        { status: "resolved", instance: "api-1", startsAt: "2026-11-20T10:00:00Z", endsAt: "2026-11-20T10:30:00Z" },
        { status: "resolved", instance: "api-2", startsAt: "2026-11-20T10:03:00Z", endsAt: "2026-11-20T10:31:00Z" },
      ],
    });
    expect(await (await alertmanager(resolved)).json()).toMatchObject({ outcome: "applied", changes: ["INC-1 resolved at 2026-11-20T10:31:00.000Z."] });
    const incident = await findIncident(db, ws.id, 1);
    expect(incident).toMatchObject({ status: "resolved", resolved_at: new Date("2026-11-20T10:31:00Z") });
    expect(incident?.timeline.map((e) => e.kind)).toEqual(["detection", "note", "resolution"]);

    // The same group firing again after it resolved is a new incident.
    const refire = alertmanagerNotification({ status: "firing", alerts: [{ status: "firing", instance: "api-1", startsAt: "2026-11-21T08:00:00Z" }] });
    expect(await (await alertmanager(refire)).json()).toMatchObject({ changes: [expect.stringMatching(/^Created INC-2 .*fired again after it resolved/)] });
    expect((await incidents()).map((i) => [i.number, i.status])).toEqual([
      [1, "resolved"],
      [2, "investigating"],
    ]);
    const keys = await db.selectFrom("incident_external_keys").select(["external_key", "state"]).where("workspace_id", "=", ws.id).execute();
    expect(keys).toEqual([{ external_key: '{}:{alertname="HighErrorRate"}', state: "triggered" }]);
  });

  it("separate Alertmanager groups are separate incidents, and the severity label sets the severity", async () => {
    const { alertmanager, incidents } = await setup();
    await alertmanager(alertmanagerNotification({ status: "firing", groupKey: '{}:{alertname="A"}', severity: "warning", alerts: [{ status: "firing", instance: "a", startsAt: "2026-11-20T10:00:00Z" }] }));
    await alertmanager(alertmanagerNotification({ status: "firing", groupKey: '{}:{alertname="B"}', severity: "info", alerts: [{ status: "firing", instance: "b", startsAt: "2026-11-20T10:00:00Z" }] }));
    expect((await incidents()).map((i) => i.severity)).toEqual(["SEV3", "SEV4"]);
  });

  it("Alertmanager deliveries without the bearer token, with a wrong one, or in another version are refused and change nothing", async () => {
    const { db, ws, alertmanager } = await setup();
    const firing = alertmanagerNotification({ status: "firing", alerts: [{ status: "firing", instance: "api-1", startsAt: "2026-11-20T10:00:00Z" }] });
    const before = await workspaceState(db, ws.id);
    const missing = await alertmanager(firing, null);
    expect(missing.status).toBe(401);
    expect(missing.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect((await alertmanager(firing, "am_wrongtoken")).status).toBe(401);
    expect((await alertmanager({ ...firing, version: "3" })).status).toBe(400);
    expect((await alertmanager("not json")).status).toBe(400);
    expect(await workspaceState(db, ws.id)).toEqual(before);
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ status: 401, source: "alertmanager" }), "machine request refused");
  });
});
