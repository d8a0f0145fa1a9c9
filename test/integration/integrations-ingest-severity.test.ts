import { sql } from "kysely";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { migrateToLatest } from "#db/connection";
import { SYSTEM_USER_ID } from "#db/migrations/0007_integrations";
import { findIncident, updateIncident } from "~/domain/incidents/index.server";
import { log } from "~/http/log.server";
import { createTestDatabase, describeEachEngine, postgresAvailable, type Engine, type TestDatabase } from "../support/databases";
import { makeUser, makeWorkspace } from "../support/factories";
import { incidentInput } from "../support/incidents";
import { ingestWorkspace } from "../support/ingest";
import { alertmanagerNotification, pagerDutyEvent, workspaceState } from "../support/integrations";

const holder = vi.hoisted(() => ({ db: null as unknown }));
vi.mock("~/http/db.server", () => ({ database: async () => holder.db }));

/** PagerDuty's documented `incident.priority_updated` example (developer.pagerduty.com, Webhooks v3 overview), as sent. */
const DOCUMENTED_PRIORITY_UPDATED = {
  event: {
    id: "5ac64822-4adc-4fda-ade0-410becf0de4f",
    event_type: "incident.priority_updated",
    resource_type: "incident",
    occurred_at: "2020-10-02T18:45:22.169Z",
    agent: { html_url: "https://acme.pagerduty.com/users/PLH1HKV", id: "PLH1HKV", self: "https://api.pagerduty.com/users/PLH1HKV", summary: "Tenex Engineer", type: "user_reference" },
    client: { name: "PagerDuty" },
    data: {
      id: "PGR0VU2",
      type: "incident",
      self: "https://api.pagerduty.com/incidents/PGR0VU2",
      html_url: "https://acme.pagerduty.com/incidents/PGR0VU2",
      number: 2,
      status: "triggered",
      incident_key: "d3640fbd41094207a1c11e58e46b1662",
      created_at: "2020-04-09T15:16:27Z",
      title: "A little bump in the road",
      service: { html_url: "https://acme.pagerduty.com/services/PF9KMXH", id: "PF9KMXH", self: "https://api.pagerduty.com/services/PF9KMXH", summary: "API Service", type: "service_reference" },
      assignees: [{ html_url: "https://acme.pagerduty.com/users/PTUXL6G", id: "PTUXL6G", self: "https://api.pagerduty.com/users/PTUXL6G", summary: "User 123", type: "user_reference" }],
      escalation_policy: {
        html_url: "https://acme.pagerduty.com/escalation_policies/PUS0KTE",
        id: "PUS0KTE",
        self: "https://api.pagerduty.com/escalation_policies/PUS0KTE",
        summary: "Default",
        type: "escalation_policy_reference",
      },
      teams: [{ html_url: "https://acme.pagerduty.com/teams/PFCVPS0", id: "PFCVPS0", self: "https://api.pagerduty.com/teams/PFCVPS0", summary: "Engineering", type: "team_reference" }],
      priority: { html_url: "https://acme.pagerduty.com/account/incident_priorities", id: "PSO75BM", self: "https://api.pagerduty.com/priorities/PSO75BM", summary: "P1", type: "priority_reference" },
      urgency: "high",
      conference_bridge: { conference_number: "+1 1234123412,,987654321#", conference_url: "https://example.com" },
      resolve_reason: null,
    },
  },
};

describeEachEngine("incident severity follows alerting until a person sets it", (testDb) => {
  beforeEach(() => {
    holder.db = testDb();
    vi.spyOn(log, "warn").mockImplementation(() => undefined);
    vi.spyOn(log, "info").mockImplementation(() => undefined);
  });
  afterEach(() => vi.restoreAllMocks());

  async function setup() {
    const { db, admin, ws, ...send } = await ingestWorkspace(testDb());
    const pagerDuty = async (payload: unknown) => (await send.pagerDuty(payload)).json();
    const alertmanager = async (payload: unknown) => (await send.alertmanager(payload)).json();
    const incident = async (number = 1) => (await findIncident(db, ws.id, number))!;
    /** What a person does in the incident form: saves it with some fields changed. */
    const edit = async (number: number, change: { severity?: "SEV1" | "SEV2" | "SEV3" | "SEV4"; title?: string }) => {
      const current = await incident(number);
      const input = incidentInput({
        title: change.title ?? current.title,
        severity: change.severity ?? current.severity,
        status: current.status,
        tier: current.tier,
        impact: current.impact,
        startedAt: current.started_at,
        detectedAt: current.detected_at,
        mitigatedAt: current.mitigated_at,
        resolvedAt: current.resolved_at,
      });
      const saved = await updateIncident(db, admin, ws.id, number, current.version, input);
      if (!saved?.ok) throw new Error(`edit failed: ${JSON.stringify(saved)}`);
    };
    return { db, ws, pagerDuty, alertmanager, incident, edit };
  }

  const severityTimeline = (i: { timeline: Array<{ kind: string; text: string }> }) =>
    i.timeline.filter((e) => /severity/i.test(e.text)).map((e) => [e.kind, e.text]);

  it("PagerDuty raising an incident from P2 to P1 makes it SEV1 and says so on the timeline; lowering it to P3 makes it SEV3", async () => {
    const { db, ws, pagerDuty, incident } = await setup();
    await pagerDuty(pagerDutyEvent({ type: "incident.triggered", incidentId: "PRIO001", occurredAt: "2026-11-20T10:02:05Z", priority: "P2" }));
    expect(await incident()).toMatchObject({ severity: "SEV2", severity_set_by_person: false, version: 1 });

    const raised = await pagerDuty(pagerDutyEvent({ type: "incident.priority_updated", incidentId: "PRIO001", occurredAt: "2026-11-20T10:09:00Z", priority: "P1", agent: "Jane Doe" }));
    expect(raised).toMatchObject({ outcome: "applied", changes: ["INC-1: severity SEV2 → SEV1."] });
    const afterRaise = await incident();
    expect(afterRaise).toMatchObject({ severity: "SEV1", version: 2 });
    expect(afterRaise.timeline.find((e) => e.kind === "escalation")).toMatchObject({
      text: "Severity raised from SEV2 to SEV1 by PagerDuty priority P1.",
      occurred_at: new Date("2026-11-20T10:09:00Z"),
      author_name: "Alerting integration",
    });

    // The same priority reported again changes nothing.
    const state = await workspaceState(db, ws.id);
    expect(await pagerDuty(pagerDutyEvent({ type: "incident.priority_updated", incidentId: "PRIO001", occurredAt: "2026-11-20T10:10:00Z", priority: "P1" }))).toMatchObject({
      outcome: "ignored",
    });
    expect({ ...(await workspaceState(db, ws.id)), deliveries: state.deliveries }).toEqual(state);

    await pagerDuty(pagerDutyEvent({ type: "incident.priority_updated", incidentId: "PRIO001", occurredAt: "2026-11-20T10:30:00Z", priority: "P3" }));
    const lowered = await incident();
    expect(lowered).toMatchObject({ severity: "SEV3", version: 3 });
    expect(severityTimeline(lowered)).toEqual([
      ["escalation", "Severity raised from SEV2 to SEV1 by PagerDuty priority P1."],
      ["note", "Severity lowered from SEV1 to SEV3 by PagerDuty priority P3."],
    ]);
    const audit = await db.selectFrom("audit_events").select(["action", "actor_id", "change"]).where("entity_id", "=", lowered.id).where("action", "=", "incident.updated").orderBy("id").execute();
    expect(audit).toEqual([
      { action: "incident.updated", actor_id: null, change: { version: 2, severity: { from: "SEV2", to: "SEV1" }, source: "pagerduty" } },
      { action: "incident.updated", actor_id: null, change: { version: 3, severity: { from: "SEV1", to: "SEV3" }, source: "pagerduty" } },
    ]);
    // Search shows the new severity too (the incident's search document follows it).
    const doc = await sql<{ n: number }>`select count(*)::int as n from search_documents where entity_id = ${lowered.id}`.execute(db);
    expect(doc.rows[0]!.n).toBe(1);
  });

  it("PagerDuty's documented priority_updated example about an incident not seen before records it at SEV1", async () => {
    const { pagerDuty, incident } = await setup();
    expect(await pagerDuty(DOCUMENTED_PRIORITY_UPDATED)).toMatchObject({ outcome: "applied", changes: ["Created INC-1 “A little bump in the road” (SEV1)."] });
    const created = await incident();
    expect(created).toMatchObject({ severity: "SEV1", status: "investigating", started_at: new Date("2020-04-09T15:16:27Z"), severity_set_by_person: false });
    expect(created.timeline.map((e) => [e.kind, e.text])).toEqual([["detection", "PagerDuty incident #2 triggered (API Service): A little bump in the road"]]);
  });

  it("once a person sets the severity, PagerDuty's later priority is only noted on the timeline", async () => {
    const { pagerDuty, incident, edit } = await setup();
    await pagerDuty(pagerDutyEvent({ type: "incident.triggered", incidentId: "PRIO002", occurredAt: "2026-11-20T10:02:05Z", priority: "P2" }));
    await edit(1, { severity: "SEV3" });
    expect(await incident()).toMatchObject({ severity: "SEV3", severity_set_by_person: true, version: 2 });

    const kept = await pagerDuty(pagerDutyEvent({ type: "incident.priority_updated", incidentId: "PRIO002", occurredAt: "2026-11-20T10:09:00Z", priority: "P1" }));
    expect(kept).toMatchObject({ outcome: "applied", changes: ["INC-1: severity kept at SEV3, set by a person (PagerDuty priority P1 means SEV1)."] });
    const after = await incident();
    expect(after).toMatchObject({ severity: "SEV3", version: 2 });
    expect(severityTimeline(after)).toEqual([["note", "PagerDuty priority P1 would make this SEV1; the severity stays SEV3, as a person set it."]]);
    // Said once: the same priority again adds nothing.
    expect(await pagerDuty(pagerDutyEvent({ type: "incident.priority_updated", incidentId: "PRIO002", occurredAt: "2026-11-20T10:12:00Z", priority: "P1" }))).toMatchObject({ outcome: "ignored" });
    expect((await incident()).timeline).toHaveLength(after.timeline.length);
  });

  it("a person editing an ingested incident without touching its severity leaves it following PagerDuty", async () => {
    const { pagerDuty, incident, edit } = await setup();
    await pagerDuty(pagerDutyEvent({ type: "incident.triggered", incidentId: "PRIO003", occurredAt: "2026-11-20T10:02:05Z", priority: "P3" }));
    await edit(1, { title: "Checkout API errors after the retry refactor" });
    expect(await incident()).toMatchObject({ severity_set_by_person: false, version: 2 });
    await pagerDuty(pagerDutyEvent({ type: "incident.priority_updated", incidentId: "PRIO003", occurredAt: "2026-11-20T10:09:00Z", priority: "P1" }));
    expect(await incident()).toMatchObject({ severity: "SEV1", version: 3, title: "Checkout API errors after the retry refactor" });
  });

  it("an Alertmanager group follows its severity label: a critical alert joining raises it, the critical one resolving lowers it", async () => {
    const { alertmanager, incident } = await setup();
    const api1 = { instance: "api-1", startsAt: "2026-11-20T10:00:00Z", severity: "warning" };
    const api2 = { instance: "api-2", startsAt: "2026-11-20T10:04:00Z", severity: "critical" };
    await alertmanager(alertmanagerNotification({ status: "firing", alerts: [{ status: "firing", ...api1 }] }));
    expect(await incident()).toMatchObject({ severity: "SEV3" });

    // Mixed severities: no common severity label; the most severe firing alert decides.
    const joined = await alertmanager(alertmanagerNotification({ status: "firing", alerts: [{ status: "firing", ...api1 }, { status: "firing", ...api2 }] }));
    expect(joined).toMatchObject({ outcome: "applied", changes: ["INC-1: severity SEV3 → SEV1.", "INC-1: 2 alerts firing (was 1)."] });
    expect(await incident()).toMatchObject({ severity: "SEV1" });

    const calmer = await alertmanager(
      alertmanagerNotification({ status: "firing", alerts: [{ status: "firing", ...api1 }, { status: "resolved", ...api2, endsAt: "2026-11-20T10:20:00Z" }] }),
    );
    expect(calmer).toMatchObject({ outcome: "applied", changes: ["INC-1: severity SEV1 → SEV3.", "INC-1: 1 alerts firing (was 2)."] });
    expect(severityTimeline(await incident())).toEqual([
      ["escalation", "Severity raised from SEV3 to SEV1 by Alertmanager severity label “critical”."],
      ["note", "Severity lowered from SEV1 to SEV3 by Alertmanager severity label “warning”."],
    ]);
  });

  it("an Alertmanager group whose label changes after a person set the severity keeps the person's, noted once", async () => {
    const { alertmanager, incident, edit } = await setup();
    await alertmanager(alertmanagerNotification({ status: "firing", severity: "warning", alerts: [{ status: "firing", instance: "api-1", startsAt: "2026-11-20T10:00:00Z" }] }));
    await edit(1, { severity: "SEV2" });
    const critical = alertmanagerNotification({ status: "firing", severity: "critical", alerts: [{ status: "firing", instance: "api-1", startsAt: "2026-11-20T10:00:00Z" }] });
    expect(await alertmanager(critical)).toMatchObject({ outcome: "applied", changes: ["INC-1: severity kept at SEV2, set by a person (Alertmanager severity label “critical” means SEV1)."] });
    // The same group resent with another repeat (a different body, same labels) adds nothing.
    expect(await alertmanager({ ...critical, receiver: "hindsight-repeat" })).toMatchObject({ outcome: "ignored" });
    const after = await incident();
    expect(after.severity).toBe("SEV2");
    expect(severityTimeline(after)).toEqual([["note", "Alertmanager severity label “critical” would make this SEV1; the severity stays SEV2, as a person set it."]]);
  });
});

const upgradeEngines: Engine[] = (await postgresAvailable()) ? ["pglite", "postgres"] : ["pglite"];

describe.each(upgradeEngines)("severity following, upgrading a database written before it [%s]", (engine) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(engine, { upTo: "0010_insights" });
  });
  afterAll(() => database.close());

  it("ingested incidents keep following the sender unless the audit log shows a person changed their severity", async () => {
    const db = database.db;
    const admin = await makeUser(db, "Admin");
    const ws = await makeWorkspace(db, admin);
    const insert = async (number: number, createdBy: string, key: string | null) => {
      const row = await sql<{ id: string }>`insert into incidents (workspace_id, number, title, severity, status, tier, started_at, created_by)
        values (${ws.id}, ${number}, ${`Incident ${number}`}, 'SEV2', 'investigating', 'T1', now(), ${createdBy}) returning id`.execute(db);
      const id = row.rows[0]!.id;
      if (key) {
        await sql`insert into incident_external_keys (workspace_id, source, external_key, incident_id, state)
          values (${ws.id}, 'pagerduty', ${key}, ${id}, 'triggered')`.execute(db);
      }
      return id;
    };
    const following = await insert(1, SYSTEM_USER_ID, "POLD001");
    const takenOver = await insert(2, SYSTEM_USER_ID, "POLD002");
    await insert(3, admin.id, null);
    const auditChange = (id: string, actor: string | null, change: object) =>
      sql`insert into audit_events (workspace_id, actor_id, action, entity_type, entity_id, change)
        values (${ws.id}, ${actor}, 'incident.updated', 'incident', ${id}, ${JSON.stringify(change)}::jsonb)`.execute(db);
    await auditChange(following, null, { version: 2, severity: { from: "SEV3", to: "SEV2" }, source: "pagerduty" });
    await auditChange(following, admin.id, { version: 3, title: { from: "a", to: "b" } });
    await auditChange(takenOver, admin.id, { version: 2, severity: { from: "SEV1", to: "SEV2" } });

    await migrateToLatest(db as never);
    const incidents = await db.selectFrom("incidents").select(["number", "severity_set_by_person"]).where("workspace_id", "=", ws.id).orderBy("number").execute();
    expect(incidents).toEqual([
      { number: 1, severity_set_by_person: false },
      { number: 2, severity_set_by_person: true },
      { number: 3, severity_set_by_person: true },
    ]);
    const keys = await db.selectFrom("incident_external_keys").select(["external_key", "severity"]).where("workspace_id", "=", ws.id).orderBy("external_key").execute();
    expect(keys).toEqual([
      { external_key: "POLD001", severity: "SEV2" },
      { external_key: "POLD002", severity: "SEV2" },
    ]);
  });
});
