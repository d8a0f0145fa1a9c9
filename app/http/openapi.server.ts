/**
 * The OpenAPI 3.1 document of the JSON API, served at /api/v1/openapi.json. Request bodies and
 * query parameters are generated from the same zod schemas the routes validate with; response
 * shapes are written out here and kept in step with api-views.server.ts (a test checks that every
 * API route is documented and that the document is valid OpenAPI 3.1).
 */
import { z } from "zod";
import { DECISION_KINDS, DECISION_STATUSES } from "~/domain/decisions/rules";
import { ACTION_STATUSES, ASSISTED, GATE_INVOLVEMENTS, GATE_STATES, GATE_STATUSES, PR_ROLES } from "~/domain/guardrails/rules";
import { INCIDENT_STATUSES, SEVERITIES } from "~/domain/incidents/rules";
import { POSTMORTEM_STATUS_LABELS } from "~/domain/postmortems/rules";
import { labelKeys } from "~/domain/shared/fields";
import { TIER_KEYS } from "~/domain/workspaces/rules";
import { ActionQuery, ActionStatusInput, DecisionQuery, GateQuery, IncidentQuery, NewIncidentInput, TimelineInput } from "./api-inputs";

type JsonSchema = Record<string, unknown>;

function bodySchema(schema: z.ZodType): JsonSchema {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
  return rest;
}

function queryParameters(schema: z.ZodType): JsonSchema[] {
  const json = bodySchema(schema) as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: "query",
    required: json.required?.includes(name) ?? false,
    schema: property,
  }));
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const nullable = (schema: JsonSchema) => ({ oneOf: [schema, { type: "null" }] });
const str = { type: "string" };
const int = { type: "integer" };
const time = { type: "string", format: "date-time" };
const date = { type: "string", format: "date", description: "A calendar day, YYYY-MM-DD." };
const arrayOf = (items: JsonSchema) => ({ type: "array", items });
const object = (properties: Record<string, JsonSchema>, required = Object.keys(properties)): JsonSchema => ({ type: "object", properties, required });

const oneOf = (values: readonly string[]) => ({ type: "string", enum: [...values] });
const tier = oneOf(TIER_KEYS);
const severity = oneOf(SEVERITIES);
const incidentStatus = oneOf(INCIDENT_STATUSES);
const postmortemStatus = oneOf(labelKeys(POSTMORTEM_STATUS_LABELS));
const actionStatus = oneOf(labelKeys(ACTION_STATUSES));
const gateStatus = oneOf(labelKeys(GATE_STATUSES));
const gateState = {
  ...oneOf(labelKeys(GATE_STATES)),
  description: "What the evidence says: enforced = required on the default branch and seen passing there.",
};
const decisionStatus = oneOf(DECISION_STATUSES);
const decisionKind = oneOf(DECISION_KINDS);
/** What GateSummary and Gate both carry (api-views.server.ts gateFields). */
const gateFields = {
  id: str,
  name: str,
  kind: str,
  repository: str,
  checkName: str,
  tiers: arrayOf(tier),
  status: gateStatus,
  state: gateState,
  stateReason: str,
  description: str,
  lastSeenAt: nullable(time),
  lastSeenUrl: nullable(str),
  version: int,
};
const incidentRef = object({ number: int, ref: { type: "string", examples: ["INC-3"] }, title: str });
const person = object({ id: { type: "string", format: "uuid" }, name: nullable(str) });

const schemas: Record<string, JsonSchema> = {
  Error: object({
    error: object(
      {
        status: int,
        message: str,
        fields: { type: "object", additionalProperties: arrayOf(str), description: "Per field, what is wrong (400 only)." },
      },
      ["status", "message"],
    ),
  }),
  IncidentSummary: object({
    number: int,
    ref: str,
    title: str,
    severity,
    status: incidentStatus,
    tier,
    startedAt: time,
    detectedAt: nullable(time),
    mitigatedAt: nullable(time),
    resolvedAt: nullable(time),
    areas: arrayOf(str),
  }),
  TimelineEvent: object({ id: str, occurredAt: time, kind: str, text: str, author: str }),
  PullRequest: object({
    repository: str,
    number: int,
    url: str,
    title: str,
    author: str,
    state: { type: "string", enum: ["open", "closed", "merged", "unknown"] },
    mergedAt: nullable(time),
    tier: nullable(tier),
    assisted: oneOf(labelKeys(ASSISTED)),
    role: oneOf(labelKeys(PR_ROLES)),
  }),
  Incident: object({
    number: int,
    ref: str,
    title: str,
    severity,
    status: incidentStatus,
    tier,
    impact: str,
    startedAt: time,
    detectedAt: nullable(time),
    mitigatedAt: nullable(time),
    resolvedAt: nullable(time),
    areas: arrayOf(str),
    createdBy: str,
    createdAt: time,
    updatedAt: time,
    version: int,
    timeline: arrayOf(ref("TimelineEvent")),
    pullRequests: arrayOf(ref("PullRequest")),
  }),
  PostmortemSummary: object({
    incidentNumber: int,
    incidentRef: str,
    title: str,
    status: postmortemStatus,
    severity,
    tier,
    updatedAt: time,
    publishedAt: nullable(time),
  }),
  Postmortem: object({
    incidentNumber: int,
    incidentRef: str,
    title: str,
    status: postmortemStatus,
    version: int,
    updatedAt: time,
    filename: str,
    markdown: { type: "string", description: "The postmortem as Markdown with YAML front matter, its incident's timeline appended." },
  }),
  Factor: object({
    id: str,
    text: str,
    category: str,
    tier,
    noActionReason: nullable(str),
    gates: arrayOf(object({ id: str, name: str, status: gateStatus, involvement: oneOf(labelKeys(GATE_INVOLVEMENTS)) })),
    pullRequests: arrayOf(object({ repository: str, number: int, url: str, title: str })),
    actions: arrayOf(object({ number: int, ref: str, title: str, status: actionStatus, dueOn: nullable(date), owner: nullable(str) })),
  }),
  ActionSummary: object({
    number: int,
    ref: { type: "string", examples: ["ACT-7"] },
    title: str,
    kind: str,
    status: actionStatus,
    dueOn: nullable(date),
    overdue: { type: "boolean" },
    owner: nullable(person),
    gate: nullable(object({ id: str, name: nullable(str) })),
    incident: incidentRef,
    category: str,
  }),
  Action: object({
    number: int,
    ref: str,
    title: str,
    kind: str,
    status: actionStatus,
    dueOn: nullable(date),
    owner: nullable(person),
    gate: nullable(object({ id: str, name: nullable(str), status: nullable(gateStatus), lastSeenAt: nullable(time) })),
    implementingPullRequest: nullable(object({ repository: nullable(str), number: nullable(int), url: str })),
    factor: object({ id: str, text: str, category: str }),
    incident: incidentRef,
    wontDoReason: nullable(str),
    evidenceUrl: nullable(str),
    evidenceNote: nullable(str),
    doneAt: nullable(time),
    verifiedAt: nullable(time),
    verifiedBy: nullable({ type: "string", description: "Null when the gate's own run verified it." }),
    createdAt: time,
    updatedAt: time,
    version: { type: "integer", description: "Send it back as expectedVersion when changing the status." },
  }),
  GateSummary: object({
    ...gateFields,
    incidentCount: int,
    actionCount: int,
  }),
  Gate: object({
    ...gateFields,
    factors: arrayOf(object({ id: str, text: str, category: str, involvement: str, incident: incidentRef })),
    actions: arrayOf(object({ number: int, ref: str, title: str, status: actionStatus, dueOn: nullable(date), owner: nullable(str) })),
  }),
  DecisionSummary: object({
    ref: { type: "string", examples: ["ADR-3"] },
    kind: decisionKind,
    number: int,
    title: str,
    status: decisionStatus,
    tags: arrayOf(str),
    deciders: arrayOf(str),
    decidedOn: nullable(date),
    updatedAt: time,
    supersededBy: arrayOf(str),
  }),
  Decision: object({
    ref: str,
    kind: decisionKind,
    number: int,
    title: str,
    status: decisionStatus,
    tags: arrayOf(str),
    deciders: arrayOf(str),
    decidedOn: nullable(date),
    bodyText: str,
    version: int,
    createdAt: time,
    updatedAt: time,
    links: arrayOf(object({ kind: str, targetType: str, ref: str, title: nullable(str), status: nullable(str), url: nullable(str) })),
    chain: arrayOf(object({ ref: str, title: str, status: decisionStatus, current: { type: "boolean" } })),
  }),
  NewIncident: bodySchema(NewIncidentInput),
  NewTimelineEvent: bodySchema(TimelineInput),
  ActionStatusChange: bodySchema(ActionStatusInput),
};

const errorResponse = (description: string) => ({ description, content: { "application/json": { schema: ref("Error") } } });
const responses = {
  BadRequest: errorResponse("The body or query parameters are not valid; `error.fields` says which."),
  Unauthorized: errorResponse("No token, or a token that is unknown or revoked."),
  Forbidden: errorResponse("A read token was used for a write."),
  NotFound: errorResponse("No such record, or no such workspace for this token."),
  Conflict: errorResponse("A stale expectedVersion, or a change the rules do not allow."),
};
const sharedResponse = (name: keyof typeof responses) => ({ $ref: `#/components/responses/${name}` });

const ok = (description: string, body: JsonSchema, status = "200") => ({
  [status]: { description, content: { "application/json": { schema: body } } },
});

const workspaceParam = { name: "workspace", in: "path", required: true, schema: { type: "string" }, description: "The workspace's address (slug)." };
const numberParam = (description: string) => ({ name: "number", in: "path", required: true, schema: { type: "integer", minimum: 1 }, description });

function read(summary: string, operationId: string, body: JsonSchema, extra: JsonSchema[] = []) {
  return {
    get: {
      summary,
      operationId,
      parameters: extra,
      responses: { ...ok("OK", body), "400": sharedResponse("BadRequest"), "401": sharedResponse("Unauthorized"), "404": sharedResponse("NotFound") },
    },
  };
}

function write(summary: string, operationId: string, input: string, body: JsonSchema, status = "200", extra: Record<string, unknown> = {}) {
  return {
    post: {
      summary,
      operationId,
      description: "Needs a write token.",
      requestBody: { required: true, content: { "application/json": { schema: ref(input) } } },
      responses: {
        ...ok(status === "201" ? "Created" : "OK", body, status),
        "400": sharedResponse("BadRequest"),
        "401": sharedResponse("Unauthorized"),
        "403": sharedResponse("Forbidden"),
        "404": sharedResponse("NotFound"),
        "413": errorResponse("The body is larger than 1 MB."),
        ...extra,
      },
    },
  };
}

const envelope = (key: string, schema: JsonSchema, more: Record<string, JsonSchema> = {}) => object({ [key]: schema, ...more });

export function openApiDocument(serverUrl = "/") {
  return {
    openapi: "3.1.0",
    info: {
      title: "Hindsight API",
      version: "1.0.0",
      description:
        "Read a workspace's incidents, postmortems (as Markdown), contributing factors, guardrail actions, gates and decision records, " +
        "and record incidents, timeline events and action status. Authenticate with a workspace API token (Settings → API tokens) " +
        "as `Authorization: Bearer hs_…`. Errors are JSON: `{ \"error\": { \"status\", \"message\" } }`.",
    },
    servers: [{ url: serverUrl }],
    security: [{ bearerToken: [] }],
    paths: {
      "/api/v1/{workspace}/incidents": {
        parameters: [workspaceParam],
        ...read("List incidents, newest first", "listIncidents", envelope("incidents", arrayOf(ref("IncidentSummary")), { nextCursor: nullable(str) }), queryParameters(IncidentQuery)),
        ...write("Record an incident", "createIncident", "NewIncident", envelope("incident", ref("Incident")), "201"),
      },
      "/api/v1/{workspace}/incidents/{number}": {
        parameters: [workspaceParam, numberParam("The incident's number (3 for INC-3).")],
        ...read("An incident with its timeline and pull requests", "getIncident", envelope("incident", ref("Incident"))),
      },
      "/api/v1/{workspace}/incidents/{number}/timeline": {
        parameters: [workspaceParam, numberParam("The incident's number.")],
        ...write("Add a timeline event", "addTimelineEvent", "NewTimelineEvent", envelope("event", object({ id: str, occurredAt: time, kind: str, text: str })), "201"),
      },
      "/api/v1/{workspace}/postmortems": {
        parameters: [workspaceParam],
        ...read("List postmortems, most recently edited first", "listPostmortems", envelope("postmortems", arrayOf(ref("PostmortemSummary")))),
      },
      "/api/v1/{workspace}/postmortems/{number}": {
        parameters: [workspaceParam, numberParam("The number of the postmortem's incident.")],
        get: {
          summary: "A postmortem as Markdown",
          operationId: "getPostmortem",
          description: "JSON with the Markdown inside by default; the Markdown file itself with `Accept: text/markdown`.",
          responses: {
            "200": {
              description: "OK",
              content: { "application/json": { schema: envelope("postmortem", ref("Postmortem")) }, "text/markdown": { schema: { type: "string" } } },
            },
            "401": sharedResponse("Unauthorized"),
            "404": sharedResponse("NotFound"),
          },
        },
      },
      "/api/v1/{workspace}/postmortems/{number}/factors": {
        parameters: [workspaceParam, numberParam("The number of the postmortem's incident.")],
        ...read("Contributing factors of a postmortem", "listFactors", envelope("factors", arrayOf(ref("Factor")))),
      },
      "/api/v1/{workspace}/actions": {
        parameters: [workspaceParam],
        ...read("List guardrail actions, overdue first", "listActions", envelope("actions", arrayOf(ref("ActionSummary"))), queryParameters(ActionQuery)),
      },
      "/api/v1/{workspace}/actions/{number}": {
        parameters: [workspaceParam, numberParam("The action's number (7 for ACT-7).")],
        ...read("A guardrail action", "getAction", envelope("action", ref("Action"))),
      },
      "/api/v1/{workspace}/actions/{number}/status": {
        parameters: [workspaceParam, numberParam("The action's number.")],
        ...write("Change an action's status", "changeActionStatus", "ActionStatusChange", envelope("action", ref("Action")), "200", { "409": sharedResponse("Conflict") }),
      },
      "/api/v1/{workspace}/gates": {
        parameters: [workspaceParam],
        ...read("List gates", "listGates", envelope("gates", arrayOf(ref("GateSummary"))), queryParameters(GateQuery)),
      },
      "/api/v1/{workspace}/gates/{gateId}": {
        parameters: [workspaceParam, { name: "gateId", in: "path", required: true, schema: { type: "string", format: "uuid" } }],
        ...read("A gate with the factors and actions around it", "getGate", envelope("gate", ref("Gate"))),
      },
      "/api/v1/{workspace}/decisions": {
        parameters: [workspaceParam],
        ...read("List decision records", "listDecisions", envelope("decisions", arrayOf(ref("DecisionSummary"))), queryParameters(DecisionQuery)),
      },
      "/api/v1/{workspace}/decisions/{ref}": {
        parameters: [workspaceParam, { name: "ref", in: "path", required: true, schema: { type: "string", examples: ["ADR-3"] } }],
        ...read("A decision record with its links", "getDecision", envelope("decision", ref("Decision"))),
      },
    },
    components: {
      securitySchemes: { bearerToken: { type: "http", scheme: "bearer", description: "A workspace API token, hs_…" } },
      schemas,
      responses,
    },
  };
}
