import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Validator } from "@seriousme/openapi-schema-validator";
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import type { Db } from "#db/connection";
import { createApiToken, listApiTokens, revokeApiToken } from "~/domain/integrations/index.server";
import { createDecision } from "~/domain/decisions/index.server";
import { createGate, linkPullRequestToIncident } from "~/domain/guardrails/index.server";
import { hashToken } from "~/domain/shared/tokens.server";
import { changeMemberRole } from "~/domain/workspaces/index.server";
import { log } from "~/http/log.server";
import { openApiDocument } from "~/http/openapi.server";
/* eslint-disable no-restricted-imports -- HTTP tests hand requests to the route modules themselves */
import * as notFoundRoute from "~/routes/api.$";
import * as actionStatus from "~/routes/api.v1.$workspace.actions.$number.status";
import * as actionOne from "~/routes/api.v1.$workspace.actions.$number._index";
import * as actions from "~/routes/api.v1.$workspace.actions._index";
import * as decisionOne from "~/routes/api.v1.$workspace.decisions.$ref";
import * as decisions from "~/routes/api.v1.$workspace.decisions._index";
import * as gateOne from "~/routes/api.v1.$workspace.gates.$gateId";
import * as gates from "~/routes/api.v1.$workspace.gates._index";
import * as timeline from "~/routes/api.v1.$workspace.incidents.$number.timeline";
import * as incidentOne from "~/routes/api.v1.$workspace.incidents.$number._index";
import * as incidents from "~/routes/api.v1.$workspace.incidents._index";
import * as factors from "~/routes/api.v1.$workspace.postmortems.$number.factors";
import * as postmortemOne from "~/routes/api.v1.$workspace.postmortems.$number._index";
import * as postmortems from "~/routes/api.v1.$workspace.postmortems._index";
import * as openapi from "~/routes/api.v1.openapi[.json]";
/* eslint-enable no-restricted-imports */
import { describeEachEngine } from "../support/databases";
import { addMember, makeUser, makeWorkspace } from "../support/factories";
import { makeAction, makeFactor, makePostmortem } from "../support/guardrails";
import { makeIncident } from "../support/incidents";
import { call, workspaceState } from "../support/integrations";

const holder = vi.hoisted(() => ({ db: null as unknown }));
vi.mock("~/http/db.server", () => ({ database: async () => holder.db }));

type Route = { loader?: unknown; action?: unknown };

function request(method: string, url: string, token: string | null, body?: unknown, headers: Record<string, string> = {}) {
  return new Request(`http://localhost${url}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
}

/** Sends a request to a route module the way Remix would: GET to its loader, anything else to its action. */
async function send(route: Route, method: string, url: string, token: string | null, params: Record<string, string>, body?: unknown, headers?: Record<string, string>) {
  const handler = (method === "GET" ? route.loader : route.action) as Parameters<typeof call>[0];
  return call(handler, request(method, url, token, body, headers), params);
}

describeEachEngine("the JSON API and its tokens", (testDb) => {
  beforeEach(() => {
    holder.db = testDb();
    vi.spyOn(log, "warn").mockImplementation(() => undefined);
  });
  afterEach(() => vi.restoreAllMocks());

  async function setup() {
    const db: Db = testDb();
    const admin = await makeUser(db, "Admin");
    const ws = await makeWorkspace(db, admin);
    const read = (await createApiToken(db, admin, ws.id, { name: "Dashboard", scope: "read" })).token;
    const write = (await createApiToken(db, admin, ws.id, { name: "Alert bridge", scope: "write" })).token;
    const get = (route: Route, url: string, token: string | null = read, params: Record<string, string> = {}, headers?: Record<string, string>) =>
      send(route, "GET", `/api/v1/${ws.slug}${url}`, token, { workspace: ws.slug, ...params }, undefined, headers);
    const postTo = (route: Route, url: string, body: unknown, token: string | null = write, params: Record<string, string> = {}) =>
      send(route, "POST", `/api/v1/${ws.slug}${url}`, token, { workspace: ws.slug, ...params }, body);
    return { db, admin, ws, read, write, get, postTo };
  }

  it("a token is shown once and stored only as its SHA-256; it reads its workspace and records when it was last used", async () => {
    const { db, admin, ws, read, get } = await setup();
    expect(read).toMatch(/^hs_[a-z2-7]{32}$/);
    const stored = await db.selectFrom("api_tokens").selectAll().where("workspace_id", "=", ws.id).where("name", "=", "Dashboard").executeTakeFirstOrThrow();
    expect(stored.token_hash).toBe(hashToken(read));
    expect(Object.values(stored)).not.toContain(read);
    expect(stored.last_used_at).toBeNull();
    await makeIncident(db, admin, ws.id, { title: "Search timed out for EU users" });
    const response = await get(incidents, "/incidents");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ incidents: [expect.objectContaining({ number: 1, ref: "INC-1", title: "Search timed out for EU users", severity: "SEV2" })], nextCursor: null });
    const listed = await listApiTokens(db, ws.id);
    expect(listed.find((t) => t.name === "Dashboard")).toMatchObject({ prefix: read.slice(0, 7), scope: "read", created_by_name: "Admin", last_used_at: expect.any(Date) });
  });

  it("no token, a malformed or an unknown one is a JSON 401", async () => {
    const { get } = await setup();
    for (const token of [null, "not-a-token", `hs_${"a".repeat(32)}`]) {
      const response = await get(incidents, "/incidents", token);
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/);
      expect(await response.json()).toEqual({ error: { status: 401, message: expect.any(String) } });
    }
  });

  it("a token used on another workspace, or on one that does not exist, answers 404 and shows nothing of it", async () => {
    const { db, admin, read } = await setup();
    const other = await makeWorkspace(db, admin);
    await makeIncident(db, admin, other.id, { title: "Secret incident of the other team" });
    const elsewhere = await send(incidentOne, "GET", `/api/v1/${other.slug}/incidents/1`, read, { workspace: other.slug, number: "1" });
    const nowhere = await send(incidents, "GET", "/api/v1/no-such-team/incidents", read, { workspace: "no-such-team" });
    expect([elsewhere.status, nowhere.status]).toEqual([404, 404]);
    expect(await elsewhere.json()).toEqual({ error: { status: 404, message: "Workspace not found." } });
    expect(await nowhere.json()).toEqual({ error: { status: 404, message: "Workspace not found." } });
  });

  it("a read token can't write (403, nothing changes); a write token records incidents, timeline events and action status as its creator", async () => {
    const { db, admin, ws, read, postTo, get } = await setup();
    const incident = { title: "Payments webhook backlog", severity: "SEV2", tier: "T2", startedAt: "2026-11-20T10:00:00Z", detectedAt: "2026-11-20T10:04:00Z", areas: ["billing"] };
    const before = await workspaceState(db, ws.id);
    const refused = await postTo(incidents, "/incidents", incident, read);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({ error: { status: 403, message: "This token can only read." } });
    expect(await workspaceState(db, ws.id)).toEqual(before);

    const created = await postTo(incidents, "/incidents", incident);
    expect(created.status).toBe(201);
    expect(created.headers.get("location")).toBe(`/api/v1/${ws.slug}/incidents/1`);
    expect(await created.json()).toMatchObject({ incident: { number: 1, title: "Payments webhook backlog", status: "investigating", areas: ["Billing and entitlements"], createdBy: "Admin" } });
    const event = await postTo(timeline, "/incidents/1/timeline", { occurredAt: "2026-11-20T10:10:00Z", kind: "mitigation", text: "Paused the retry worker." }, undefined, { number: "1" });
    expect(event.status).toBe(201);
    const detail = await (await get(incidentOne, "/incidents/1", read, { number: "1" })).json();
    expect(detail.incident.timeline).toEqual([expect.objectContaining({ kind: "mitigation", text: "Paused the retry worker.", author: "Admin" })]);
    const audit = await db.selectFrom("audit_events").select(["action", "actor_id"]).where("workspace_id", "=", ws.id).where("action", "in", ["incident.created", "timeline_event.added"]).execute();
    expect(audit).toEqual([
      { action: "incident.created", actor_id: admin.id },
      { action: "timeline_event.added", actor_id: admin.id },
    ]);

    const number = await makePostmortem(db, admin, ws.id);
    const act = await makeAction(db, admin, ws.id, await makeFactor(db, admin, ws.id, number));
    const done = await postTo(actionStatus, `/actions/${act}/status`, { to: "done", expectedVersion: 1 }, undefined, { number: String(act) });
    expect(done.status).toBe(200);
    expect(await done.json()).toMatchObject({ action: { number: act, status: "done", version: 2 } });
    const stale = await postTo(actionStatus, `/actions/${act}/status`, { to: "in_progress", expectedVersion: 1 }, undefined, { number: String(act) });
    expect(stale.status).toBe(409);
    const unproven = await postTo(actionStatus, `/actions/${act}/status`, { to: "verified", expectedVersion: 2 }, undefined, { number: String(act) });
    expect(unproven.status).toBe(409);
    expect(await unproven.json()).toMatchObject({ error: { message: expect.stringMatching(/needs evidence/) } });
  });

  it("a revoked token stops working at once", async () => {
    const { db, admin, ws, read, get } = await setup();
    expect((await get(incidents, "/incidents")).status).toBe(200);
    const token = (await listApiTokens(db, ws.id)).find((t) => t.name === "Dashboard")!;
    expect(await revokeApiToken(db, admin, ws.id, token.id)).toBe(true);
    expect(await revokeApiToken(db, admin, ws.id, token.id)).toBe(false);
    expect((await get(incidents, "/incidents", read)).status).toBe(401);
    expect((await listApiTokens(db, ws.id)).find((t) => t.id === token.id)?.revoked_at).toBeInstanceOf(Date);
  });

  it("a token acts within its creator's role: a demoted creator's write token only reads, a departed creator's token stops", async () => {
    const { db, admin, ws, get, postTo } = await setup();
    const other = await makeUser(db, "Second admin");
    await addMember(db, ws.id, admin, other, "admin");
    const token = (await createApiToken(db, other, ws.id, { name: "Their script", scope: "write" })).token;
    const body = { title: "Queue stalled", severity: "SEV3", tier: "T1", startedAt: "2026-11-20T10:00:00Z" };
    expect((await postTo(incidents, "/incidents", body, token)).status).toBe(201);
    expect(await changeMemberRole(db, admin, ws.id, other.id, "viewer")).toEqual({ ok: true });
    expect((await postTo(incidents, "/incidents", body, token)).status).toBe(403);
    expect((await get(incidents, "/incidents", token)).status).toBe(200);
    expect(await changeMemberRole(db, admin, ws.id, other.id, null)).toEqual({ ok: true });
    expect((await get(incidents, "/incidents", token)).status).toBe(401);
  });

  it("reads incidents, postmortems as Markdown, factors, actions, gates and decisions", async () => {
    const { db, admin, ws, get } = await setup();
    const number = await makePostmortem(db, admin, ws.id, { title: "Checkout 500s after a config push" });
    await linkPullRequestToIncident(db, admin, ws.id, number, { url: "https://github.com/acme/api/pull/42", role: "trigger", tier: "T2", assisted: "no" });
    const gate = await createGate(db, admin, ws.id, { name: "Config schema check", kind: "ci_check", repository: "acme/api", checkName: "config-schema", tiers: ["T2"], status: "proposed", description: "" });
    if (!gate.ok) throw new Error("no gate");
    const factor = await makeFactor(db, admin, ws.id, number, { gates: [{ gateId: gate.id, involvement: "missing" }] });
    const act = await makeAction(db, admin, ws.id, factor, { gateId: gate.id, ownerId: admin.id, dueOn: "2026-01-05" });
    const decision = await createDecision(db, admin, ws.id, { kind: "adr", template: "madr", title: "Validate config against a schema in CI", status: "accepted", deciders: ["Ana"], decidedOn: "2026-11-21", tags: ["config"], supersedes: null });
    expect(decision).toMatchObject({ ok: true, ref: "ADR-1" });

    const incident = await (await get(incidentOne, `/incidents/${number}`, undefined, { number: String(number) })).json();
    expect(incident.incident).toMatchObject({ ref: `INC-${number}`, pullRequests: [{ repository: "acme/api", number: 42, role: "trigger", tier: "T2" }] });

    expect(await (await get(postmortems, "/postmortems")).json()).toMatchObject({ postmortems: [{ incidentNumber: number, status: "draft" }] });
    const pm = await (await get(postmortemOne, `/postmortems/${number}`, undefined, { number: String(number) })).json();
    expect(pm.postmortem).toMatchObject({ incidentRef: `INC-${number}`, status: "draft", filename: `inc-${number}-postmortem.md` });
    expect(pm.postmortem.markdown).toMatch(/^---\ntitle: "Postmortem: INC-1 Checkout 500s after a config push"/);
    const raw = await get(postmortemOne, `/postmortems/${number}`, undefined, { number: String(number) }, { accept: "text/markdown" });
    expect(raw.headers.get("content-type")).toBe("text/markdown; charset=utf-8");
    expect(await raw.text()).toBe(pm.postmortem.markdown);

    const factorList = await (await get(factors, `/postmortems/${number}/factors`, undefined, { number: String(number) })).json();
    expect(factorList.factors).toEqual([expect.objectContaining({ id: factor, gates: [expect.objectContaining({ name: "Config schema check", involvement: "missing" })], actions: [expect.objectContaining({ ref: `ACT-${act}` })] })]);

    const board = await (await get(actions, "/actions?status=open")).json();
    expect(board.actions).toEqual([expect.objectContaining({ ref: `ACT-${act}`, overdue: true, owner: { id: admin.id, name: "Admin" }, gate: { id: gate.id, name: "Config schema check" } })]);
    expect(await (await get(actionOne, `/actions/${act}`, undefined, { number: String(act) })).json()).toMatchObject({ action: { ref: `ACT-${act}`, version: 1, factor: { id: factor } } });

    expect((await (await get(gates, "/gates?status=proposed")).json()).gates).toEqual([expect.objectContaining({ id: gate.id, checkName: "config-schema", incidentCount: 1, actionCount: 1, lastSeenAt: null })]);
    expect(await (await get(gateOne, `/gates/${gate.id}`, undefined, { gateId: gate.id })).json()).toMatchObject({ gate: { id: gate.id, factors: [{ id: factor }], actions: [{ number: act }] } });

    expect((await (await get(decisions, "/decisions?kind=adr")).json()).decisions).toEqual([expect.objectContaining({ ref: "ADR-1", status: "accepted", decidedOn: "2026-11-21", tags: ["config"] })]);
    expect(await (await get(decisionOne, "/decisions/ADR-1", undefined, { ref: "ADR-1" })).json()).toMatchObject({ decision: { ref: "ADR-1", title: "Validate config against a schema in CI" } });

    for (const [route, url, params] of [
      [incidentOne, "/incidents/99", { number: "99" }],
      [postmortemOne, "/postmortems/99", { number: "99" }],
      [actionOne, "/actions/x", { number: "x" }],
      [gateOne, "/gates/not-a-uuid", { gateId: "not-a-uuid" }],
      [decisionOne, "/decisions/ADR-9", { ref: "ADR-9" }],
    ] as const) {
      const missing = await get(route, url, undefined, params);
      expect(missing.status, url).toBe(404);
      expect(await missing.json()).toMatchObject({ error: { status: 404 } });
    }
  });

  it("bad input is a JSON 400 naming the fields; wrong methods a 405; unknown API paths a JSON 404", async () => {
    const { db, ws, get, postTo } = await setup();
    const before = await workspaceState(db, ws.id);
    const invalid = await postTo(incidents, "/incidents", { title: "x", severity: "SEV9", tier: "T2", startedAt: "yesterday" });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ error: { status: 400, fields: { title: expect.any(Array), severity: expect.any(Array), startedAt: expect.any(Array) } } });
    const order = await postTo(incidents, "/incidents", { title: "Order of times", severity: "SEV3", tier: "T1", startedAt: "2026-11-20T10:00:00Z", detectedAt: "2026-11-20T09:00:00Z" });
    expect(await order.json()).toMatchObject({ error: { fields: { detectedAt: [expect.stringMatching(/before the incident started/)] } } });
    expect((await postTo(incidents, "/incidents", "{not json")).status).toBe(400);
    expect((await postTo(incidents, "/incidents", { title: "Unknown area", severity: "SEV3", tier: "T1", startedAt: "2026-11-20T10:00:00Z", areas: ["nope"] })).status).toBe(400);
    expect(await workspaceState(db, ws.id)).toEqual(before);
    expect((await get(incidents, "/incidents?severity=SEV9")).status).toBe(400);
    expect((await get(incidents, "/incidents?cursor=bogus")).status).toBe(400);
    expect((await send(incidents, "DELETE", `/api/v1/${ws.slug}/incidents`, null, { workspace: ws.slug })).status).toBe(405);
    const unknown = await send(notFoundRoute, "GET", "/api/v2/anything", null, { "*": "v2/anything" });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { status: 404 } });
  });

  it("serves a valid OpenAPI 3.1 document that covers every API route", async () => {
    const response = await call(openapi.loader as Parameters<typeof call>[0], new Request("http://localhost/api/v1/openapi.json"), {});
    expect(response.status).toBe(200);
    const document = await response.json();
    expect(document).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
    const validator = new Validator();
    expect(await validator.validate(document)).toEqual({ valid: true });
    expect(validator.version).toBe("3.1");
    // Every route file under /api/v1/:workspace has its path in the document.
    const routes = path.join(path.dirname(fileURLToPath(import.meta.url)), "../../app/routes");
    const apiPaths = readdirSync(routes)
      .filter((f) => f.startsWith("api.v1.$workspace."))
      .map((f) =>
        `/${f.replace(/\.tsx?$/, "")}`
          .split(".")
          .filter((s) => s !== "_index")
          .map((s) => (s.startsWith("$") ? `{${s.slice(1)}}` : s))
          .join("/"),
      );
    expect(apiPaths.length).toBeGreaterThanOrEqual(13);
    expect(Object.keys(document.paths).sort()).toEqual([...new Set(apiPaths)].sort());
  });
});
