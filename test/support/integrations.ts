/**
 * Helpers for the integration tests of webhooks, incident ingest and the JSON API: real GitHub
 * payloads from @octokit/webhooks-examples, signatures made the way each sender makes them,
 * requests handed straight to the Remix route modules, and a snapshot of what a request may change.
 */
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { sql } from "kysely";
import type { Db } from "#db/connection";

// The package's main file is one JSON array: [{ name, actions, description, examples: [payload…] }, …].
type WebhookDefinition = { name: string; examples: Array<Record<string, unknown>> };
const examplesFile = createRequire(import.meta.url).resolve("@octokit/webhooks-examples/api.github.com/index.json");
const definitions = JSON.parse(readFileSync(examplesFile, "utf8")) as WebhookDefinition[];

/** A deep copy of the first example of `event` that `match` accepts. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function githubExample(event: string, match: (payload: any) => boolean = () => true): any {
  const definition = definitions.find((d) => d.name === event);
  const example = definition?.examples.find(match);
  if (!example) throw new Error(`no ${event} example matches`);
  return structuredClone(example);
}

/** Deep copies of every example of `event`, in the package's order. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function githubExamples(event: string): any[] {
  return structuredClone(definitions.find((d) => d.name === event)?.examples ?? []);
}

export const hmac = (secret: string, body: string | Uint8Array) => createHmac("sha256", secret).update(body).digest("hex");

type Handler = (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => unknown;

/** Calls a route's loader or action like Remix does; a thrown Response is the answer too. */
export async function call(handler: Handler, request: Request, params: Record<string, string>): Promise<Response> {
  try {
    const result = await handler({ request, params, context: {} });
    if (!(result instanceof Response)) throw new Error("the route did not answer with a Response");
    return result;
  } catch (error) {
    if (error instanceof Response) return error;
    throw error;
  }
}

export function post(path: string, body: string, headers: Record<string, string> = {}): Request {
  return new Request(`http://localhost${path}`, { method: "POST", body, headers: { "content-type": "application/json", ...headers } });
}

let deliveries = 0;
function deliveryId(): string {
  deliveries += 1;
  return `72d3162e-cc78-11e3-81ab-${String(Date.now() % 1e6).padStart(6, "0")}${String(deliveries).padStart(6, "0")}`;
}

/** A GitHub delivery as GitHub sends it: X-GitHub-Event, X-GitHub-Delivery, X-Hub-Signature-256. */
export function githubRequest(slug: string, event: string, payload: unknown, secret: string | null, options: { id?: string; signature?: string } = {}) {
  const body = typeof payload === "string" ? payload : JSON.stringify(payload);
  const headers: Record<string, string> = { "x-github-event": event, "x-github-delivery": options.id ?? deliveryId() };
  if (options.signature) headers["x-hub-signature-256"] = options.signature;
  else if (secret) headers["x-hub-signature-256"] = `sha256=${hmac(secret, body)}`;
  return post(`/webhooks/github/${slug}`, body, headers);
}

/** A PagerDuty v3 webhook event (the documented envelope: event.id, event_type, occurred_at, data = the incident). */
export function pagerDutyEvent(input: {
  type: string;
  incidentId: string;
  occurredAt: string;
  title?: string;
  number?: number;
  priority?: string | null;
  urgency?: "high" | "low";
  agent?: string;
  /** The incident's status as PagerDuty has it when the event is sent; by default what the event type implies. */
  status?: "triggered" | "acknowledged" | "resolved";
}) {
  const implied = { "incident.acknowledged": "acknowledged", "incident.resolved": "resolved" }[input.type] ?? "triggered";
  return {
    event: {
      id: `01${Math.random().toString(36).slice(2, 12).toUpperCase()}`,
      event_type: input.type,
      resource_type: "incident",
      occurred_at: input.occurredAt,
      agent: input.agent ? { html_url: "https://acme.pagerduty.com/users/PLH1HKV", id: "PLH1HKV", self: "https://api.pagerduty.com/users/PLH1HKV", summary: input.agent, type: "user_reference" } : null,
      client: null,
      data: {
        id: input.incidentId,
        type: "incident",
        self: `https://api.pagerduty.com/incidents/${input.incidentId}`,
        html_url: `https://acme.pagerduty.com/incidents/${input.incidentId}`,
        number: input.number ?? 2,
        status: input.status ?? implied,
        incident_key: "d3640fbd41094207a1c11e58e46b1662",
        created_at: "2026-11-20T10:02:00Z",
        title: input.title ?? "Checkout API error rate above 5%",
        service: { html_url: "https://acme.pagerduty.com/services/PF9KMXH", id: "PF9KMXH", self: "https://api.pagerduty.com/services/PF9KMXH", summary: "checkout-api", type: "service_reference" },
        assignees: [],
        escalation_policy: { id: "PUS0KTE", summary: "Default", type: "escalation_policy_reference" },
        teams: [],
        priority:
          input.priority === null
            ? null
            : { html_url: "https://acme.pagerduty.com/account/incident_priorities", id: "PSO75BM", self: "https://api.pagerduty.com/priorities/PSO75BM", summary: input.priority ?? "P2", type: "priority_reference" },
        urgency: input.urgency ?? "high",
        conference_bridge: null,
        resolve_reason: null,
      },
    },
  };
}

export function pagerDutyRequest(slug: string, payload: unknown, secret: string | null, signature?: string) {
  const body = typeof payload === "string" ? payload : JSON.stringify(payload);
  const headers: Record<string, string> = {};
  if (signature) headers["x-pagerduty-signature"] = signature;
  else if (secret) headers["x-pagerduty-signature"] = `v1=${hmac(secret, body)}`;
  return post(`/webhooks/pagerduty/${slug}`, body, headers);
}

/** An Alertmanager webhook notification, version 4, as Alertmanager's webhook receiver sends it. */
export function alertmanagerNotification(input: {
  status: "firing" | "resolved";
  groupKey?: string;
  alerts: Array<{ status: "firing" | "resolved"; instance: string; startsAt: string; endsAt?: string; severity?: string }>;
  severity?: string;
}) {
  const severityOf = (a: { severity?: string }) => a.severity ?? input.severity ?? "critical";
  const shared = { alertname: "HighErrorRate", service: "checkout-api" };
  // Like Alertmanager: commonLabels are the labels every alert in the notification shares.
  const severities = new Set(input.alerts.map(severityOf));
  const commonLabels = severities.size === 1 ? { ...shared, severity: [...severities][0]! } : shared;
  return {
    receiver: "hindsight",
    status: input.status,
    alerts: input.alerts.map((a) => ({
      status: a.status,
      labels: { ...shared, severity: severityOf(a), instance: a.instance },
      annotations: { summary: "Checkout error rate above 5%" },
      startsAt: a.startsAt,
      endsAt: a.endsAt ?? "0001-01-01T00:00:00Z",
      generatorURL: "http://prometheus.example:9090/graph?g0.expr=rate%28http_errors%5B5m%5D%29",
      fingerprint: Buffer.from(a.instance).toString("hex").slice(0, 16),
    })),
    groupLabels: { alertname: "HighErrorRate" },
    commonLabels,
    commonAnnotations: { summary: "Checkout error rate above 5%" },
    externalURL: "http://alertmanager.example:9093",
    version: "4",
    groupKey: input.groupKey ?? '{}:{alertname="HighErrorRate"}',
    truncatedAlerts: 0,
  };
}

export function alertmanagerRequest(slug: string, payload: unknown, token: string | null) {
  const body = typeof payload === "string" ? payload : JSON.stringify(payload);
  return post(`/webhooks/alertmanager/${slug}`, body, token ? { authorization: `Bearer ${token}` } : {});
}

/** Everything a webhook may change in a workspace, to check that a refused request changed none of it. */
export async function workspaceState(db: Db, workspaceId: string) {
  const count = async (table: string, column = "workspace_id") =>
    (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)} where ${sql.ref(column)} = ${workspaceId}`.execute(db)).rows[0]!.n;
  const timeline = await sql<{ n: number }>`select count(*)::int as n from timeline_events t join incidents i on i.id = t.incident_id where i.workspace_id = ${workspaceId}`.execute(db);
  return {
    incidents: await count("incidents"),
    timeline: timeline.rows[0]!.n,
    deliveries: await count("webhook_deliveries"),
    audit: await count("audit_events"),
    pullRequests: await db.selectFrom("pull_requests").select(["repository", "number", "title", "author", "state", "merged_at"]).where("workspace_id", "=", workspaceId).orderBy("number").execute(),
    gates: await db.selectFrom("gates").select(["id", "last_seen_at", "last_seen_url"]).where("workspace_id", "=", workspaceId).orderBy("id").execute(),
    actions: await db.selectFrom("guardrail_actions").select(["number", "status", "version"]).where("workspace_id", "=", workspaceId).orderBy("number").execute(),
  };
}
