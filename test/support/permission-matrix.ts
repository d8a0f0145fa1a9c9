/**
 * The world the permission matrix (test/integration/permission-matrix.test.ts) runs in: one
 * workspace per engine with a member of each role, a signed-in outsider, API tokens of each kind,
 * and small fixture makers that give every case fresh records of its own (an incident, a
 * postmortem in the state the case needs, a factor, an action, a gate, a decision record…).
 * Fixtures are written through the domain, the way the product writes them.
 */
import type { Db } from "#db/connection";
import type { Workspace } from "#db/schema";
import { createSession, type PublicUser } from "~/domain/accounts/index.server";
import { addDecisionLink, collectImportFiles, createDecision, previewDecisionImport, stageDecisionImport, type NewDecisionInput } from "~/domain/decisions/index.server";
import { createGate, linkPullRequestToIncident } from "~/domain/guardrails/index.server";
import { addTimelineEvent } from "~/domain/incidents/index.server";
import { createApiToken } from "~/domain/integrations/index.server";
import type { Actor } from "~/domain/policy/rules";
import { publishPostmortem, requestReview, reviewPostmortem, startPostmortem } from "~/domain/postmortems/index.server";
import { changeMemberRole } from "~/domain/workspaces/index.server";
import { addMember, makeUser, makeWorkspace, unique } from "./factories";
import { makeAction, makeFactor } from "./guardrails";
import { makeIncident } from "./incidents";

/** Who asks, on the pages: a member of each role, and someone signed in who is not a member. */
export const PAGE_ACTORS = ["viewer", "editor", "admin", "non-member"] as const;
export type PageActor = (typeof PAGE_ACTORS)[number];

/**
 * Who asks, on the JSON API: tokens of each scope (made by the admin), a write token whose creator
 * was since demoted to viewer, a write token of another workspace, and a signed-in admin's session
 * cookie without a token.
 */
export const API_ACTORS = ["read token", "write token", "write token, creator now a viewer", "token of another workspace", "session, no token"] as const;
export type ApiActor = (typeof API_ACTORS)[number];

export type World = {
  db: Db;
  ws: Workspace;
  /** The only admin: the matrix never promotes anyone, so "the last admin" stays true. */
  admin: PublicUser;
  editor: PublicUser;
  viewer: PublicUser;
  outsider: PublicUser;
  /** An editor who writes most fixtures, so nobody in the matrix acts on their own record by accident. */
  author: PublicUser;
  cookies: Record<PageActor, string>;
  tokens: Record<Exclude<ApiActor, "session, no token">, string>;
  /** The creator of the demoted write token. */
  demoted: PublicUser;
};

export async function setUpWorld(db: Db): Promise<World> {
  const admin = await makeUser(db, "Ada Admin");
  const ws = await makeWorkspace(db, admin);
  const editor = await makeUser(db, "Eli Editor");
  const viewer = await makeUser(db, "Vera Viewer");
  const author = await makeUser(db, "Aiko Author");
  const demoted = await makeUser(db, "Dev Demoted");
  const outsider = await makeUser(db, "Otto Outsider");
  await addMember(db, ws.id, admin, editor, "editor");
  await addMember(db, ws.id, admin, viewer, "viewer");
  await addMember(db, ws.id, admin, author, "editor");
  await addMember(db, ws.id, admin, demoted, "editor");
  // The outsider has a workspace of their own (and a token for it), just not this one.
  const elsewhere = await makeWorkspace(db, outsider);

  const cookie = async (user: PublicUser) => `hs_session=${(await createSession(db, user.id)).token}`;
  const token = async (by: PublicUser, workspaceId: string, scope: "read" | "write") => (await createApiToken(db, by, workspaceId, { name: unique("matrix"), scope })).token;
  const demotedWrite = await token(demoted, ws.id, "write");
  const demotion = await changeMemberRole(db, admin, ws.id, demoted.id, "viewer");
  if (!demotion.ok) throw new Error(`could not demote: ${JSON.stringify(demotion)}`);

  return {
    db,
    ws,
    admin,
    editor,
    viewer,
    outsider,
    author,
    demoted,
    cookies: { viewer: await cookie(viewer), editor: await cookie(editor), admin: await cookie(admin), "non-member": await cookie(outsider) },
    tokens: {
      "read token": await token(admin, ws.id, "read"),
      "write token": await token(admin, ws.id, "write"),
      "write token, creator now a viewer": demotedWrite,
      "token of another workspace": await token(outsider, elsewhere.id, "write"),
    },
  };
}

export function pageUser(world: World, who: PageActor): PublicUser {
  return who === "non-member" ? world.outsider : world[who];
}

/** The actor the policy sees; ids are the world's real users. */
export function pageActor(who: PageActor, userId: string): Actor {
  return who === "non-member" ? { kind: "outsider" } : { kind: "member", userId, role: who };
}

/** A token's actor as `requireApiCaller` builds it (null: the API refuses before the policy is asked). */
export function apiActor(world: World | null, who: ApiActor): Actor | null {
  const admin = world?.admin.id ?? "admin";
  switch (who) {
    case "read token":
      return { kind: "token", userId: admin, role: "admin", scope: "read" };
    case "write token":
      return { kind: "token", userId: admin, role: "admin", scope: "write" };
    case "write token, creator now a viewer":
      return { kind: "token", userId: world?.demoted.id ?? "demoted", role: "viewer", scope: "write" };
    default:
      return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Requests

export type Fields = Record<string, string | string[]>;
export type Body = { form: Fields } | { json: unknown } | { multipart: FormData };

/** A request as the browser (or an API client) sends it, with the caller's credentials. */
export function buildRequest(path: string, body: Body, credentials: Record<string, string>): Request {
  const headers: Record<string, string> = { origin: "http://localhost", ...credentials };
  let payload: BodyInit;
  if ("form" in body) {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(body.form)) for (const v of Array.isArray(value) ? value : [value]) params.append(name, v);
    payload = params;
    headers["content-type"] = "application/x-www-form-urlencoded";
  } else if ("json" in body) {
    payload = JSON.stringify(body.json);
    headers["content-type"] = "application/json";
  } else {
    // fetch sets the multipart boundary itself.
    payload = body.multipart;
  }
  return new Request(`http://localhost${path}`, { method: "POST", body: payload, headers });
}

type Handler = (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => unknown;

/** Runs an action as Remix does: a thrown Response is the answer too; `data()` becomes JSON with its status. */
export async function answer(handler: Handler, request: Request, params: Record<string, string>): Promise<Response> {
  try {
    const result = await handler({ request, params, context: {} });
    if (result instanceof Response) return result;
    if (result && typeof result === "object" && "init" in result && "data" in result) {
      const { data, init } = result as { data: unknown; init?: ResponseInit | null };
      return Response.json(data, init ?? {});
    }
    return Response.json(result ?? null);
  } catch (error) {
    if (error instanceof Response) return error;
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Fixtures: each case makes its own

export const doc = (text: string) => ({ type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text }] }] });

/** A fresh incident: its number, and its id for looking at what hangs off it. */
export async function incident(world: World, overrides: Parameters<typeof makeIncident>[3] = {}) {
  const { number } = await makeIncident(world.db, world.author, world.ws.id, { title: unique("Checkout 500s"), tier: "T1", ...overrides });
  const { id } = await world.db.selectFrom("incidents").select("id").where("workspace_id", "=", world.ws.id).where("number", "=", number).executeTakeFirstOrThrow();
  return { number, id };
}

export type PostmortemState = "draft" | "in_review" | "approved" | "published";

/**
 * A postmortem of a T1 incident (one approval publishes it) in the state asked for, started by
 * `by` (the author unless said otherwise); the admin gives the approval. Returns the incident number.
 */
export async function postmortem(world: World, state: PostmortemState, by: PublicUser = world.author): Promise<number> {
  const { db, ws, admin } = world;
  const { number } = await makeIncident(db, by, ws.id, { title: unique("Retries double-charged"), tier: "T1" });
  const steps: Array<() => Promise<{ ok: boolean }>> = [() => startPostmortem(db, by, ws.id, number, "lightweight")];
  if (state !== "draft") steps.push(() => requestReview(db, by, ws.id, number));
  if (state === "approved" || state === "published") steps.push(() => reviewPostmortem(db, admin, ws.id, number, { verdict: "approve", comment: "" }));
  if (state === "published") steps.push(() => publishPostmortem(db, admin, ws.id, number));
  for (const step of steps) {
    const done = await step();
    if (!done.ok) throw new Error(`postmortem fixture stopped: ${JSON.stringify(done)}`);
  }
  return number;
}

export async function postmortemRow(world: World, number: number) {
  return world.db
    .selectFrom("postmortems")
    .innerJoin("incidents", "incidents.id", "postmortems.incident_id")
    .select(["postmortems.id", "postmortems.status", "postmortems.version", "postmortems.title"])
    .where("postmortems.workspace_id", "=", world.ws.id)
    .where("incidents.number", "=", number)
    .executeTakeFirstOrThrow();
}

/** The oldest revision of a postmortem: what a restore brings back. */
export async function firstPostmortemRevision(world: World, postmortemId: string): Promise<number> {
  const row = await world.db.selectFrom("postmortem_revisions").select("version").where("postmortem_id", "=", postmortemId).orderBy("version").executeTakeFirstOrThrow();
  return row.version;
}

/** A draft postmortem with one factor; returns the incident number and the factor's id. */
export async function factor(world: World) {
  const number = await postmortem(world, "draft");
  const factorId = await makeFactor(world.db, world.author, world.ws.id, number, { text: unique("The retry loop had no idempotency key") });
  return { number, factorId };
}

export async function guardrailAction(world: World) {
  const { factorId } = await factor(world);
  const number = await makeAction(world.db, world.author, world.ws.id, factorId, { title: unique("Idempotency keys on retries") });
  const row = await world.db.selectFrom("guardrail_actions").select(["version", "status"]).where("workspace_id", "=", world.ws.id).where("number", "=", number).executeTakeFirstOrThrow();
  return { number, version: row.version };
}

/** A proposed gate; give it a repository and check name when Check now must have something to ask GitHub. */
export async function gate(world: World, on: { repository: string; checkName: string } = { repository: "", checkName: "" }) {
  const created = await createGate(world.db, world.author, world.ws.id, { name: unique("Contract test gate"), kind: "ci_check", ...on, tiers: [], status: "proposed", description: "" });
  if (!created.ok) throw new Error(`could not create gate: ${JSON.stringify(created)}`);
  return { id: created.id, version: created.version };
}

export async function timelineEvent(world: World) {
  const { number } = await incident(world);
  const event = await addTimelineEvent(world.db, world.author, world.ws.id, number, { occurredAt: new Date("2026-11-20T10:03:00Z"), kind: "note", text: unique("Paged the on-call") });
  if (!event) throw new Error("no timeline event");
  return { number, eventId: event.id };
}

let pullRequests = 0;
/** A pull request URL no other case has used. */
export function pullRequestUrl(): string {
  pullRequests += 1;
  return `https://github.com/acme/payments/pull/${1000 + pullRequests + Math.floor(Math.random() * 100_000) * 100}`;
}

export async function linkedPullRequest(world: World) {
  const { number, id } = await incident(world);
  const linked = await linkPullRequestToIncident(world.db, world.author, world.ws.id, number, { url: pullRequestUrl(), role: "trigger", tier: null, assisted: "unknown" });
  if (!linked.ok) throw new Error(`could not link: ${JSON.stringify(linked)}`);
  const row = await world.db.selectFrom("incident_pull_requests").select("pull_request_id").where("incident_id", "=", id).executeTakeFirstOrThrow();
  return { number, incidentId: id, pullRequestId: row.pull_request_id };
}

export async function decision(world: World, overrides: Partial<NewDecisionInput> = {}) {
  const created = await createDecision(world.db, world.author, world.ws.id, {
    kind: "adr",
    template: "madr",
    title: unique("Idempotency keys for payment retries"),
    status: "proposed",
    deciders: [],
    decidedOn: null,
    tags: [],
    supersedes: null,
    ...overrides,
  });
  if (!created.ok) throw new Error(`could not create decision: ${JSON.stringify(created)}`);
  const row = await world.db
    .selectFrom("decision_records")
    .select(["id", "version", "meta_version"])
    .where("workspace_id", "=", world.ws.id)
    .where("kind", "=", created.kind)
    .where("number", "=", created.number)
    .executeTakeFirstOrThrow();
  return { ref: created.ref, key: { kind: created.kind, number: created.number }, ...row };
}

export async function decisionLink(world: World) {
  const record = await decision(world);
  const { number } = await incident(world);
  const linked = await addDecisionLink(world.db, world.author, world.ws.id, record.key, "informed_by", `INC-${number}`);
  if (!linked.ok) throw new Error(`could not link: ${JSON.stringify(linked)}`);
  const link = await world.db.selectFrom("decision_links").select("id").where("decision_id", "=", record.id).executeTakeFirstOrThrow();
  return { ref: record.ref, linkId: link.id };
}

/** One Markdown decision record, as a team keeps it (no number in its name: it takes the next free one). */
function decisionFile(title: string) {
  return { name: "docs/adr/use-idempotency-keys.md", text: `# ${title}\n\n## Status\n\nAccepted\n\n## Context\n\n${title}: retries charged twice.\n` };
}

/** The record as a folder upload sends it. */
export function decisionUpload(title: string): FormData {
  const { name, text } = decisionFile(title);
  const form = new FormData();
  form.append("folder", new File([text], name, { type: "text/markdown" }));
  form.append("defaultKind", "adr");
  return form;
}

/** The record uploaded (staged) by `by`, as the upload page does; its id and the plan's hash the import form sends back. */
export async function stagedImport(world: World, by: PublicUser, title: string) {
  const { name, text } = decisionFile(title);
  const collected = collectImportFiles([{ name, bytes: new TextEncoder().encode(text) }]);
  if (!collected.ok) throw new Error(collected.message);
  const { id } = await stageDecisionImport(world.db, by, world.ws.id, { source: "matrix", defaultKind: "adr", files: collected.files });
  const preview = await previewDecisionImport(world.db, by, world.ws.id, id);
  if (!preview) throw new Error("staged import not found");
  return { id, planHash: preview.plan.hash };
}

export async function inviteCount(world: World): Promise<number> {
  const row = await world.db.selectFrom("invites").select((eb) => eb.fn.countAll<number>().as("n")).where("workspace_id", "=", world.ws.id).executeTakeFirstOrThrow();
  return Number(row.n);
}

export { unique };
