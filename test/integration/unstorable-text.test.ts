/**
 * A NUL character or a lone UTF-16 surrogate on every write path: refused with a 400 naming the
 * field where a person typed it, cleaned where a machine sent it, never a 500 (text-input.ts).
 */
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import type { Db } from "#db/connection";
import { collectImportFiles } from "~/domain/decisions/index.server";
import { createApiToken } from "~/domain/integrations/index.server";
import { createSession } from "~/domain/accounts/index.server";
import { stageDecisionImport, previewDecisionImport } from "~/domain/decisions/index.server";
import { startPostmortem } from "~/domain/postmortems/index.server";
import { rotateGeneratedSecret, setPagerDutySecret } from "~/domain/integrations/index.server";
import { log } from "~/http/log.server";
// eslint-disable-next-line no-restricted-imports -- HTTP tests hand requests to the route module itself
import { action as createIncidentApi } from "~/routes/api.v1.$workspace.incidents._index";
// eslint-disable-next-line no-restricted-imports -- HTTP tests hand requests to the route module itself
import { action as signUpAction } from "~/routes/signup";
// eslint-disable-next-line no-restricted-imports -- HTTP tests hand requests to the route module itself
import { action as savePostmortem } from "~/routes/w.$workspace.incidents.$number.postmortem.save";
// eslint-disable-next-line no-restricted-imports -- HTTP tests hand requests to the route module itself
import { action as alertmanagerWebhook } from "~/routes/webhooks.alertmanager.$workspace";
// eslint-disable-next-line no-restricted-imports -- HTTP tests hand requests to the route module itself
import { action as pagerDutyWebhook } from "~/routes/webhooks.pagerduty.$workspace";
import { describeEachEngine } from "../support/databases";
import { GOOD_PASSWORD, makeUser, makeWorkspace, unique } from "../support/factories";
import { makeIncident } from "../support/incidents";
import { alertmanagerNotification, alertmanagerRequest, pagerDutyEvent, pagerDutyRequest } from "../support/integrations";

const holder = vi.hoisted(() => ({ db: null as unknown }));
vi.mock("~/http/db.server", () => ({ database: async () => holder.db }));

type Action = (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => Promise<unknown>;
async function call(action: Action, request: Request, params: Record<string, string>): Promise<Response> {
  try {
    const result = await action({ request, params, context: {} });
    if (result instanceof Response) return result;
    const { data, init } = result as { data: unknown; init?: ResponseInit };
    return Response.json(data, init ?? {});
  } catch (error) {
    if (error instanceof Response) return error;
    throw error;
  }
}

const PD_SECRET = "zQ2pVb3Lr8sN1xT6yW0uKc4hJ7mD9fGe";
const BAD = [
  ["a NUL", "Checkout\u0000 down"],
  ["a lone surrogate", "Checkout \ud800 down"],
] as const;

describeEachEngine("text that can't be stored", (testDb) => {
  beforeEach(() => {
    holder.db = testDb();
    vi.spyOn(log, "warn").mockImplementation(() => undefined);
    vi.spyOn(log, "info").mockImplementation(() => undefined);
  });
  afterEach(() => vi.restoreAllMocks());

  // A form body can't carry a lone surrogate (URL-encoding makes it U+FFFD), so forms see only NUL.
  it.each(BAD.slice(0, 1))("a form field with %s is a 400 naming the field, and nothing is written", async (_what, text) => {
    const db: Db = testDb();
    const email = `${unique("nul")}@example.test`;
    const request = new Request("http://localhost/signup", {
      method: "POST",
      body: new URLSearchParams({ displayName: text, email, password: GOOD_PASSWORD }),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    const answer = await call(signUpAction, request, {});
    expect(answer.status).toBe(400);
    expect(await answer.json()).toMatchObject({ fieldErrors: { displayName: [expect.stringContaining("can't be saved")] } });
    expect(await db.selectFrom("users").select("id").where("email", "=", email).execute()).toEqual([]);
  });

  it.each(BAD)("a JSON API field with %s is a 400 naming the field", async (_what, text) => {
    const db: Db = testDb();
    const admin = await makeUser(db);
    const ws = await makeWorkspace(db, admin);
    const { token } = await createApiToken(db, admin, ws.id, { name: "bridge", scope: "write" });
    const body = JSON.stringify({ title: text, severity: "SEV2", startedAt: "2026-11-20T10:00:00Z" });
    const request = new Request(`http://localhost/api/v1/${ws.slug}/incidents`, {
      method: "POST",
      body,
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    });
    const answer = await call(createIncidentApi, request, { workspace: ws.slug });
    expect(answer.status).toBe(400);
    expect(await answer.json()).toMatchObject({ error: { fields: { title: [expect.stringContaining("can't be saved")] } } });
  });

  it.each(BAD)("a postmortem save with %s in the document is a 400", async (_what, text) => {
    const db: Db = testDb();
    const author = await makeUser(db);
    const ws = await makeWorkspace(db, author);
    const incident = await makeIncident(db, author, ws.id);
    expect(await startPostmortem(db, author, ws.id, incident.number, "lightweight")).toEqual({ ok: true });
    const { token } = await createSession(db, author.id);
    const doc = { type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text }] }] };
    const request = new Request(`http://localhost/w/${ws.slug}/incidents/${incident.number}/postmortem/save`, {
      method: "POST",
      body: JSON.stringify({ baseVersion: 1, title: "Postmortem", body: doc }),
      headers: { "content-type": "application/json", cookie: `hs_session=${token}` },
    });
    const answer = await call(savePostmortem, request, { workspace: ws.slug, number: String(incident.number) });
    expect(answer.status).toBe(400);
    expect(await answer.json()).toMatchObject({ field: "body.content.0.content.0.text" });
  });

  it("an ADR import with one file holding a NUL imports the others and reports that one", async () => {
    const db: Db = testDb();
    const admin = await makeUser(db);
    const ws = await makeWorkspace(db, admin);
    const encode = (text: string) => new TextEncoder().encode(text);
    const collected = collectImportFiles([
      { name: "docs/adr/0001-use-postgres.md", bytes: encode("# 1. Use Postgres\n\n## Status\n\nAccepted\n\n## Context\n\nWe need a database.\n") },
      { name: "docs/adr/0002-broken.md", bytes: encode("# 2. Broken\n\nA NUL \u0000 here.\n") },
    ]);
    expect(collected.ok).toBe(true);
    if (!collected.ok) return;
    const staged = await stageDecisionImport(db, admin, ws.id, { source: "upload", defaultKind: "adr", files: collected.files });
    const preview = await previewDecisionImport(db, admin, ws.id, staged.id);
    expect(JSON.stringify(preview)).toContain("0001-use-postgres.md");
    expect(JSON.stringify(preview)).toContain("control characters");
  });

  it.each(BAD)("PagerDuty and Alertmanager deliveries with %s are taken, cleaned, never a 500", async (_what, text) => {
    const db: Db = testDb();
    const admin = await makeUser(db);
    const ws = await makeWorkspace(db, admin);
    await setPagerDutySecret(db, admin, ws.id, PD_SECRET);
    const { secret } = await rotateGeneratedSecret(db, admin, ws.id, "alertmanager");
    const event = pagerDutyEvent({ type: "incident.triggered", incidentId: `P${unique("x").slice(-8).toUpperCase()}`, occurredAt: "2026-11-20T10:02:05Z", title: text });
    const pd = await call(pagerDutyWebhook, pagerDutyRequest(ws.slug, event, PD_SECRET), { workspace: ws.slug });
    expect(pd.status).toBe(200);
    const notification = alertmanagerNotification({ status: "firing", groupKey: `{}:{alertname="${unique("g")}"}`, alerts: [{ status: "firing", instance: "web-1", startsAt: "2026-11-20T10:00:00Z" }] });
    notification.commonAnnotations.summary = `Disk ${text}`;
    for (const alert of notification.alerts) alert.annotations.summary = `Disk ${text}`;
    const am = await call(alertmanagerWebhook, alertmanagerRequest(ws.slug, notification, secret), { workspace: ws.slug });
    expect(am.status).toBeLessThan(500);
    const titles = (await db.selectFrom("incidents").select("title").where("workspace_id", "=", ws.id).execute()).map((i) => i.title);
    expect(titles).toContain(text.replace("\u0000", "").replace("\ud800", "\ufffd"));
  });
});
