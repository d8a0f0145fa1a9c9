/**
 * The permission matrix (issue 12): every mutating route, form intent and API endpoint, asked by
 * every kind of caller, on both engines. The answer each case expects is not written here: it is
 * computed from the policy module (`can` / `authorize` of ~/domain/policy/rules) for the action the
 * row names. Allowed means the change really happens (2xx or a redirect, and the change is in the
 * database); refused means the policy's status (403, or the record rule's problem, e.g. 409) and
 * nothing changed; someone who is not a member gets 404. The guards at the end keep the table
 * complete: a new route with an `action` export, or a new form intent, fails until it is listed.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { closeQueue, openQueue } from "#db/queue";
import type { PublicUser } from "~/domain/accounts/index.server";
import { createApiToken, githubSettings, githubToken, rotateGeneratedSecret, setGithubToken } from "~/domain/integrations/index.server";
import { POLICY, POLICY_ACTIONS, authorize, can, type Actor, type Decision, type PolicyAction } from "~/domain/policy/rules";
import { PROBLEM_STATUS } from "~/domain/shared/outcomes";
import { createInvite, reviewRulesOf, saveArea } from "~/domain/workspaces/index.server";
import { createConnection, linkExistingIssue } from "~/domain/trackers/index.server";
import { hashToken } from "~/domain/shared/tokens.server";
import { log } from "~/http/log.server";
import { describeEachEngine } from "../support/databases";
import { addMember, makeUser } from "../support/factories";
import { branchRulesBody, protectionBody, repositoryBody, startGithubReplay, type ReplayServer } from "../support/github-replay";
import {
  API_ACTORS,
  PAGE_ACTORS,
  answer,
  apiActor,
  buildRequest,
  decision,
  decisionLink,
  decisionUpload,
  doc,
  factor,
  firstPostmortemRevision,
  gate,
  guardrailAction,
  incident,
  linkedPullRequest,
  pageActor,
  pageUser,
  inviteCount,
  postmortem,
  postmortemRow,
  pullRequestUrl,
  setUpWorld,
  stagedImport,
  timelineEvent,
  unique,
  type ApiActor,
  type Body,
  type PageActor,
  type PostmortemState,
  type World,
} from "../support/permission-matrix";

const holder = vi.hoisted(() => ({ db: null as unknown }));
vi.mock("~/http/db.server", () => ({ database: async () => holder.db }));

// ---------------------------------------------------------------------------------------------
// The table

/** What a row's builder returns: a valid request against fresh records, and how to see it took effect. */
type Case = { path: string; params: Record<string, string>; body: Body; changed?: () => Promise<boolean> };

type Row = {
  /** The route module, as its file in app/routes is named (without the extension). */
  route: string;
  /** The form's `intent`, on pages with several forms. */
  intent?: string;
  /** What the policy must allow for this request. */
  action: PolicyAction;
  /** For rows that exercise a record rule: what makes this case special. */
  about?: string;
  /** The record as the policy sees it, for record rules (`me`: the caller). */
  subject?: (me: { id: string }) => unknown;
  build: (w: World, me: PublicUser) => Promise<Case>;
};

const at = (w: World, rest = "") => `/w/${w.ws.slug}${rest}`;
const params = (w: World, extra: Record<string, string> = {}) => ({ workspace: w.ws.slug, ...extra });
const form = (fields: Record<string, string | string[]>): Body => ({ form: fields });

/**
 * Settings: one module today. It is being split (members, catalog); re-point a group here when its
 * forms move. Every intent is an admin's.
 */
const SETTINGS = { workspace: "w.$workspace.settings", members: "w.$workspace.settings", catalog: "w.$workspace.settings" } as const;

/** The postmortem's status; null while the incident has none. */
const postmortemStatus = async (w: World, number: number) =>
  (
    await w.db
      .selectFrom("postmortems")
      .innerJoin("incidents", "incidents.id", "postmortems.incident_id")
      .select("postmortems.status")
      .where("incidents.workspace_id", "=", w.ws.id)
      .where("incidents.number", "=", number)
      .executeTakeFirst()
  )?.status ?? null;

const GITHUB_SETTINGS = "w.$workspace.settings_.github";
const GITHUB_CHECK = "basic-CI";
const GITHUB_TOKEN = "ghp_matrixReplayToken000000000000000001";
/** A local replay of GitHub's REST API; GITHUB_API_URL points at it while the matrix runs. */
let github: ReplayServer | null = null;
let repositories = 0;
/** A fresh repository the replay knows, whose default branch requires GITHUB_CHECK. */
function githubRepository(): string {
  if (!github) throw new Error("the GitHub replay is not running");
  const repository = `acme/payments-${(repositories += 1)}-${Math.random().toString(36).slice(2, 8)}`;
  github.answers.set(`GET /repos/${repository}`, { status: 200, body: repositoryBody(repository, "main") });
  github.answers.set(`GET /repos/${repository}/rules/branches/main`, { status: 200, body: branchRulesBody(repository, []) });
  github.answers.set(`GET /repos/${repository}/branches/main/protection`, { status: 200, body: protectionBody(repository, "main", [GITHUB_CHECK]) });
  return repository;
}


const TRACKER_SETTINGS = "w.$workspace.settings_.integrations_.trackers";
const ACTION_TRACKER = "w.$workspace.guardrails.actions.$number_.tracker";
/** A tracker address nothing answers at: connecting and queueing need no tracker; "test" reports it unreachable. */
const UNREACHABLE = "http://127.0.0.1:9";
let trackerKeys = 0;
const trackerKey = () => `M${(trackerKeys += 1)}${Math.random().toString(36).slice(2, 6).toUpperCase().replace(/[^A-Z]/g, "X")}`;
async function trackerConnection(w: World): Promise<string> {
  const created = await createConnection(w.db, w.admin, w.ws.id, { vendor: "jira", name: null, apiUrl: UNREACHABLE, target: trackerKey(), issueType: "Task", accountEmail: "bot@example.com", token: "matrix-jira-token-0001", webhookSecret: null, mapping: {} });
  if (!created.ok) throw new Error(JSON.stringify(created));
  return created.id;
}
const trackerLinkId = async (w: World, number: number) =>
  (
    await w.db
      .selectFrom("tracker_links")
      .innerJoin("guardrail_actions", "guardrail_actions.id", "tracker_links.action_id")
      .select("tracker_links.id")
      .where("guardrail_actions.workspace_id", "=", w.ws.id)
      .where("guardrail_actions.number", "=", number)
      .executeTakeFirst()
  )?.id ?? null;

const POSTMORTEM_PAGE = "w.$workspace.incidents.$number.postmortem._index";

/** A workflow form of the postmortem page: moves a postmortem from one state to the next. */
function move(intent: string, action: PolicyAction, from: PostmortemState, to: "draft" | "in_review" | "published"): Row {
  return {
    route: POSTMORTEM_PAGE,
    intent,
    action,
    build: async (w) => {
      const number = await postmortem(w, from);
      return { ...postmortemPage(w, number, { intent }), changed: async () => (await postmortemStatus(w, number)) === to };
    },
  };
}

const PAGE_ROWS: Row[] = [
  // --- settings: the workspace, its members, its catalog ------------------------------------
  {
    route: SETTINGS.workspace,
    intent: "rename",
    action: "workspace.rename",
    build: async (w) => {
      const name = unique("Payments");
      return {
        path: at(w, "/settings"),
        params: params(w),
        body: form({ intent: "rename", name }),
        changed: async () => (await w.db.selectFrom("workspaces").select("name").where("id", "=", w.ws.id).executeTakeFirstOrThrow()).name === name,
      };
    },
  },
  {
    route: SETTINGS.members,
    intent: "invite",
    action: "member.invite",
    build: async (w) => {
      const before = await inviteCount(w);
      return { path: at(w, "/settings"), params: params(w), body: form({ intent: "invite", role: "editor" }), changed: async () => (await inviteCount(w)) === before + 1 };
    },
  },
  {
    route: SETTINGS.members,
    intent: "invite",
    action: "member.invite",
    about: "mailing the link (a job sends it)",
    build: async (w) => {
      const email = `${unique("invitee")}@example.test`.toLowerCase();
      const mailed = async () => (await w.db.selectFrom("invites").select("id").where("workspace_id", "=", w.ws.id).where("email", "=", email).execute()).length === 1;
      return { path: at(w, "/settings"), params: params(w), body: form({ intent: "invite", role: "viewer", email }), changed: mailed };
    },
  },
  {
    route: SETTINGS.catalog,
    intent: "save-review-rules",
    action: "catalog.edit",
    build: async (w) => {
      const tolerance = 1 + Math.floor(Math.random() * 900);
      return {
        path: at(w, "/settings"),
        params: params(w),
        body: form({ intent: "save-review-rules", t0: "self", t1: "other", tolerance: String(tolerance) }),
        changed: async () => (await reviewRulesOf(w.db, w.ws.id)).tolerance === tolerance,
      };
    },
  },
  {
    route: SETTINGS.members,
    intent: "revoke-invite",
    action: "member.invite",
    build: async (w) => {
      const { token } = await createInvite(w.db, w.admin, w.ws.id, "viewer");
      const invite = await w.db.selectFrom("invites").select("id").where("token_hash", "=", hashToken(token)).executeTakeFirstOrThrow();
      return {
        path: at(w, "/settings"),
        params: params(w),
        body: form({ intent: "revoke-invite", inviteId: invite.id }),
        changed: async () => (await w.db.selectFrom("invites").select("revoked_at").where("id", "=", invite.id).executeTakeFirstOrThrow()).revoked_at !== null,
      };
    },
  },
  {
    route: SETTINGS.members,
    intent: "change-role",
    action: "member.change-role",
    subject: () => ({ targetRole: "viewer", newRole: "editor", admins: 1 }),
    build: async (w) => {
      const member = await newMember(w, "viewer");
      return { path: at(w, "/settings"), params: params(w), body: form({ intent: "change-role", userId: member.id, role: "editor" }), changed: async () => (await roleOf(w, member.id)) === "editor" };
    },
  },
  {
    route: SETTINGS.members,
    intent: "change-role",
    action: "member.change-role",
    about: "the last admin demoted",
    subject: () => ({ targetRole: "admin", newRole: "editor", admins: 1 }),
    build: async (w) => ({ path: at(w, "/settings"), params: params(w), body: form({ intent: "change-role", userId: w.admin.id, role: "editor" }), changed: async () => (await roleOf(w, w.admin.id)) === "editor" }),
  },
  {
    route: SETTINGS.members,
    intent: "remove-member",
    action: "member.remove",
    subject: () => ({ targetRole: "viewer", newRole: null, admins: 1 }),
    build: async (w) => {
      const member = await newMember(w, "viewer");
      return { path: at(w, "/settings"), params: params(w), body: form({ intent: "remove-member", userId: member.id }), changed: async () => (await roleOf(w, member.id)) === null };
    },
  },
  {
    route: SETTINGS.members,
    intent: "remove-member",
    action: "member.remove",
    about: "the last admin removed",
    subject: () => ({ targetRole: "admin", newRole: null, admins: 1 }),
    build: async (w) => ({ path: at(w, "/settings"), params: params(w), body: form({ intent: "remove-member", userId: w.admin.id }), changed: async () => (await roleOf(w, w.admin.id)) === null }),
  },
  {
    route: SETTINGS.catalog,
    intent: "save-tier",
    action: "catalog.edit",
    build: async (w) => {
      const name = unique("Critical").slice(0, 60);
      return {
        path: at(w, "/settings"),
        params: params(w),
        body: form({ intent: "save-tier", key: "T0", name, summary: "Money moves.", typicalChanges: "", requiredChecks: "", releaseControls: "" }),
        changed: async () => (await w.db.selectFrom("tiers").select("name").where("workspace_id", "=", w.ws.id).where("key", "=", "T0").executeTakeFirstOrThrow()).name === name,
      };
    },
  },
  {
    route: SETTINGS.catalog,
    intent: "save-area",
    action: "catalog.edit",
    build: async (w) => {
      const slug = areaSlug();
      return {
        path: at(w, "/settings"),
        params: params(w),
        body: form({ intent: "save-area", areaId: "", name: `Area ${slug}`, slug, description: "", defaultTier: "T1" }),
        changed: async () => (await areaId(w, slug)) !== null,
      };
    },
  },
  {
    route: SETTINGS.catalog,
    intent: "set-maintainers",
    action: "catalog.edit",
    build: async (w) => {
      const slug = areaSlug();
      const saved = await saveArea(w.db, w.admin, w.ws.id, null, { name: `Area ${slug}`, slug, description: "", defaultTier: "T2" });
      if (!saved.ok) throw new Error(JSON.stringify(saved));
      const id = (await areaId(w, slug))!;
      return {
        path: at(w, "/settings"),
        params: params(w),
        body: form({ intent: "set-maintainers", areaId: id, maintainerIds: [w.editor.id] }),
        changed: async () => (await w.db.selectFrom("area_maintainers").select("user_id").where("area_id", "=", id).execute()).some((m) => m.user_id === w.editor.id),
      };
    },
  },
  // --- settings sub-pages: API tokens, integrations, reminders -------------------------------
  {
    route: "w.$workspace.settings_.tokens",
    intent: "create",
    action: "token.manage",
    build: async (w) => {
      const name = unique("CI dashboard").slice(0, 80);
      return {
        path: at(w, "/settings/tokens"),
        params: params(w),
        body: form({ intent: "create", name, scope: "read" }),
        changed: async () => (await w.db.selectFrom("api_tokens").select("id").where("workspace_id", "=", w.ws.id).where("name", "=", name).execute()).length === 1,
      };
    },
  },
  {
    route: "w.$workspace.settings_.tokens",
    intent: "revoke",
    action: "token.manage",
    build: async (w) => {
      const { id } = await createApiToken(w.db, w.admin, w.ws.id, { name: unique("Old bridge"), scope: "write" });
      return {
        path: at(w, "/settings/tokens"),
        params: params(w),
        body: form({ intent: "revoke", tokenId: id }),
        changed: async () => (await w.db.selectFrom("api_tokens").select("revoked_at").where("id", "=", id).executeTakeFirstOrThrow()).revoked_at !== null,
      };
    },
  },
  {
    route: "w.$workspace.settings_.integrations",
    intent: "rotate",
    action: "integration.manage",
    build: async (w) => {
      const before = await secretHint(w, "alertmanager");
      return { path: at(w, "/settings/integrations"), params: params(w), body: form({ intent: "rotate", source: "alertmanager" }), changed: async () => (await secretHint(w, "alertmanager")) !== before };
    },
  },
  {
    route: "w.$workspace.settings_.integrations",
    intent: "set-pagerduty",
    action: "integration.manage",
    build: async (w) => {
      const before = await secretHint(w, "pagerduty");
      return { path: at(w, "/settings/integrations"), params: params(w), body: form({ intent: "set-pagerduty", secret: unique("pd-signing-secret") }), changed: async () => (await secretHint(w, "pagerduty")) !== before };
    },
  },
  {
    route: "w.$workspace.settings_.integrations",
    intent: "test-delivery",
    action: "integration.manage",
    build: async (w) => {
      await rotateGeneratedSecret(w.db, w.admin, w.ws.id, "github");
      const tests = async () =>
        (await w.db.selectFrom("webhook_deliveries").select("id").where("workspace_id", "=", w.ws.id).where("delivery_id", "like", "hindsight-test-%").execute()).length;
      const before = await tests();
      return { path: at(w, "/settings/integrations"), params: params(w), body: form({ intent: "test-delivery", source: "github" }), changed: async () => (await tests()) > before };
    },
  },
  {
    route: "w.$workspace.settings_.integrations",
    intent: "remove",
    action: "integration.manage",
    build: async (w) => {
      await rotateGeneratedSecret(w.db, w.admin, w.ws.id, "github");
      return { path: at(w, "/settings/integrations"), params: params(w), body: form({ intent: "remove", source: "github" }), changed: async () => (await secretHint(w, "github")) === null };
    },
  },
  {
    route: GITHUB_SETTINGS,
    intent: "save-settings",
    action: "integration.manage",
    build: async (w) => {
      const tool = unique("pair-bot").slice(0, 60);
      return {
        path: at(w, "/settings/github"),
        params: params(w),
        body: form({ intent: "save-settings", tierLabelPatterns: "tier:{tier}", assistTools: `Copilot\n${tool}`, staleAfterDays: "14" }),
        changed: async () => (await githubSettings(w.db, w.ws.id)).assistTools.includes(tool),
      };
    },
  },
  {
    route: GITHUB_SETTINGS,
    intent: "set-token",
    action: "integration.manage",
    build: async (w) => {
      const token = `ghp_${unique("matrix").replace(/[^A-Za-z0-9]/g, "")}${Math.random().toString(36).slice(2)}`.padEnd(40, "0");
      return { path: at(w, "/settings/github"), params: params(w), body: form({ intent: "set-token", token }), changed: async () => (await githubSettings(w.db, w.ws.id)).tokenHint === token.slice(-4) && (await githubTokenIs(w, token)) };
    },
  },
  {
    route: GITHUB_SETTINGS,
    intent: "remove-token",
    action: "integration.manage",
    build: async (w) => {
      await setGithubToken(w.db, w.admin, w.ws.id, GITHUB_TOKEN);
      return { path: at(w, "/settings/github"), params: params(w), body: form({ intent: "remove-token" }), changed: async () => (await githubSettings(w.db, w.ws.id)).tokenHint === null };
    },
  },
  {
    route: "w.$workspace.settings_.reminders",
    action: "reminders.manage",
    build: async (w) => {
      const before = await auditCount(w, "reminder.digests_requested");
      return { path: at(w, "/settings/reminders"), params: params(w), body: form({}), changed: async () => (await auditCount(w, "reminder.digests_requested")) === before + 1 };
    },
  },
  // --- incidents -------------------------------------------------------------------------------
  {
    route: "w.$workspace.incidents.new",
    action: "incident.create",
    build: async (w) => {
      const title = unique("Checkout 500s");
      return {
        path: at(w, "/incidents/new"),
        params: params(w),
        body: form({ title, severity: "SEV3", status: "investigating", tier: "T2", impact: "", startedAt: "2026-11-20T10:00" }),
        changed: async () => (await w.db.selectFrom("incidents").select("id").where("workspace_id", "=", w.ws.id).where("title", "=", title).execute()).length === 1,
      };
    },
  },
  {
    route: "w.$workspace.incidents.$number.edit",
    action: "incident.edit",
    build: async (w) => {
      const { number } = await incident(w);
      const { version } = await incidentRow(w, number);
      const title = unique("Checkout 502s");
      return {
        path: at(w, `/incidents/${number}/edit`),
        params: params(w, { number: String(number) }),
        body: form({ title, severity: "SEV2", status: "identified", tier: "T1", impact: "", startedAt: "2026-11-20T10:00", version: String(version) }),
        changed: async () => (await incidentRow(w, number)).title === title,
      };
    },
  },
  {
    route: "w.$workspace.incidents.$number._index",
    intent: "link-pr",
    action: "incident.link-pr",
    build: async (w) => {
      const { number, id } = await incident(w);
      return {
        path: at(w, `/incidents/${number}`),
        params: params(w, { number: String(number) }),
        body: form({ intent: "link-pr", url: pullRequestUrl(), role: "trigger", tier: "", assisted: "unknown" }),
        changed: async () => (await w.db.selectFrom("incident_pull_requests").select("pull_request_id").where("incident_id", "=", id).execute()).length === 1,
      };
    },
  },
  {
    route: "w.$workspace.incidents.$number._index",
    intent: "unlink-pr",
    action: "incident.link-pr",
    build: async (w) => {
      const { number, incidentId, pullRequestId } = await linkedPullRequest(w);
      return {
        path: at(w, `/incidents/${number}`),
        params: params(w, { number: String(number) }),
        body: form({ intent: "unlink-pr", pullRequestId }),
        changed: async () => (await w.db.selectFrom("incident_pull_requests").select("pull_request_id").where("incident_id", "=", incidentId).execute()).length === 0,
      };
    },
  },
  {
    route: "w.$workspace.incidents.$number._index",
    intent: "add-event",
    action: "incident.timeline",
    build: async (w) => {
      const { number, id } = await incident(w);
      const text = unique("Rolled back the config push");
      return {
        path: at(w, `/incidents/${number}`),
        params: params(w, { number: String(number) }),
        body: form({ intent: "add-event", occurredAt: "2026-11-20T10:12", kind: "mitigation", text }),
        changed: async () => (await w.db.selectFrom("timeline_events").select("id").where("incident_id", "=", id).where("text", "=", text).execute()).length === 1,
      };
    },
  },
  {
    route: "w.$workspace.incidents.$number._index",
    intent: "edit-event",
    action: "incident.timeline",
    build: async (w) => {
      const { number, eventId } = await timelineEvent(w);
      const text = unique("Paged the payments on-call");
      return {
        path: at(w, `/incidents/${number}`),
        params: params(w, { number: String(number) }),
        body: form({ intent: "edit-event", eventId, occurredAt: "2026-11-20T10:04", kind: "escalation", text }),
        changed: async () => (await eventText(w, eventId)) === text,
      };
    },
  },
  {
    route: "w.$workspace.incidents.$number._index",
    intent: "remove-event",
    action: "incident.timeline",
    build: async (w) => {
      const { number, eventId } = await timelineEvent(w);
      return { path: at(w, `/incidents/${number}`), params: params(w, { number: String(number) }), body: form({ intent: "remove-event", eventId }), changed: async () => (await eventText(w, eventId)) === null };
    },
  },
  // --- postmortems: the page's workflow, factor and action forms --------------------------------
  {
    route: POSTMORTEM_PAGE,
    intent: "start",
    action: "postmortem.start",
    build: async (w) => {
      const { number } = await incident(w);
      return { ...postmortemPage(w, number, { intent: "start", template: "lightweight" }), changed: async () => (await postmortemStatus(w, number)) === "draft" };
    },
  },
  move("request-review", "postmortem.request-review", "draft", "in_review"),
  {
    route: POSTMORTEM_PAGE,
    intent: "request-review",
    action: "postmortem.request-review",
    about: "asking one more reviewer while in review",
    build: async (w) => {
      const number = await postmortem(w, "in_review", w.admin);
      const asked = async () =>
        (
          await w.db
            .selectFrom("review_requests")
            .innerJoin("postmortems", "postmortems.id", "review_requests.postmortem_id")
            .innerJoin("incidents", "incidents.id", "postmortems.incident_id")
            .select("review_requests.id")
            .where("incidents.workspace_id", "=", w.ws.id)
            .where("incidents.number", "=", number)
            .where("review_requests.reviewer_id", "=", w.author.id)
            .execute()
        ).length === 1;
      return { ...postmortemPage(w, number, { intent: "request-review", reviewers: [w.author.id] }), changed: asked };
    },
  },
  ...(["a colleague's", "one's own"] as const).map(
    (whose): Row => ({
      route: POSTMORTEM_PAGE,
      intent: "review",
      action: "postmortem.review",
      about: `approving ${whose} postmortem`,
      subject: (me) => ({ startedBy: whose === "one's own" ? me.id : "a colleague", verdict: "approve" }),
      build: async (w, me) => {
        const number = await postmortem(w, "in_review", whose === "one's own" ? me : w.author);
        return { ...postmortemPage(w, number, { intent: "review", verdict: "approve", comment: "" }), changed: async () => (await reviewsBy(w, number, me.id)) === 1 };
      },
    }),
  ),
  move("publish", "postmortem.publish", "approved", "published"),
  move("reopen", "postmortem.reopen", "published", "draft"),
  ...(["draft", "published"] as const).map(
    (state): Row => ({
      route: POSTMORTEM_PAGE,
      intent: "add-factor",
      action: "factor.edit",
      about: state === "published" ? "a published postmortem's factors are frozen" : undefined,
      subject: () => ({ postmortemStatus: state }),
      build: async (w) => {
        const number = await postmortem(w, state);
        const text = unique("Retries had no idempotency key");
        return { ...postmortemPage(w, number, { intent: "add-factor", text, category: "missing_test", tier: "T1", pullRequestUrls: "" }), changed: async () => (await factorsNamed(w, text)) === 1 };
      },
    }),
  ),
  {
    route: POSTMORTEM_PAGE,
    intent: "remove-factor",
    action: "factor.edit",
    subject: () => ({ postmortemStatus: "draft" }),
    build: async (w) => {
      const { number, factorId } = await factor(w);
      return { ...postmortemPage(w, number, { intent: "remove-factor", factorId }), changed: async () => (await factorRow(w, factorId)) === undefined };
    },
  },
  {
    route: POSTMORTEM_PAGE,
    intent: "edit-factor",
    action: "factor.edit",
    subject: () => ({ postmortemStatus: "draft" }),
    build: async (w) => {
      const { number, factorId } = await factor(w);
      const text = unique("Retries reused no idempotency key");
      return {
        ...postmortemPage(w, number, { intent: "edit-factor", factorId, text, category: "missing_test", tier: "T1", pullRequestUrls: "" }),
        changed: async () => (await w.db.selectFrom("contributing_factors").select("text").where("id", "=", factorId).executeTakeFirst())?.text === text,
      };
    },
  },
  {
    route: POSTMORTEM_PAGE,
    intent: "no-action",
    action: "factor.edit",
    subject: () => ({ postmortemStatus: "draft" }),
    build: async (w) => {
      const { number, factorId } = await factor(w);
      const reason = unique("The existing contract gate covers this");
      return { ...postmortemPage(w, number, { intent: "no-action", factorId, reason }), changed: async () => (await factorRow(w, factorId))?.no_action_reason === reason };
    },
  },
  {
    route: POSTMORTEM_PAGE,
    intent: "create-action",
    action: "action.create",
    build: async (w) => {
      const { number, factorId } = await factor(w);
      return {
        ...postmortemPage(w, number, { intent: "create-action", factorId, title: unique("Idempotency keys on retries"), kind: "better_test" }),
        changed: async () => (await w.db.selectFrom("guardrail_actions").select("number").where("factor_id", "=", factorId).execute()).length === 1,
      };
    },
  },
  // --- postmortems: the editor's autosave and restoring from history; a published one is read-only
  ...(["draft", "published"] as const).flatMap((state): Row[] => {
    const about = state === "published" ? "a published postmortem is read-only" : undefined;
    const subject = () => ({ status: state });
    return [
      { route: "w.$workspace.incidents.$number.postmortem.save", action: "postmortem.edit", about, subject, build: (w) => savePostmortemCase(w, state) },
      { route: "w.$workspace.incidents.$number.postmortem.history", action: "postmortem.edit", about, subject, build: (w) => restorePostmortemCase(w, state) },
    ];
  }),
  // --- guardrails: actions and gates ---------------------------------------------------------
  {
    route: "w.$workspace.guardrails.actions.$number",
    intent: "status",
    action: "action.edit",
    build: async (w) => {
      const { number, version } = await guardrailAction(w);
      return {
        path: at(w, `/guardrails/actions/${number}`),
        params: params(w, { number: String(number) }),
        body: form({ intent: "status", from: "open", to: "in_progress", expectedVersion: String(version) }),
        changed: async () => (await actionRow(w, number)).status === "in_progress",
      };
    },
  },
  {
    route: "w.$workspace.guardrails.actions.$number",
    intent: "details",
    action: "action.edit",
    build: async (w) => {
      const { number, version } = await guardrailAction(w);
      const title = unique("Idempotency keys, enforced");
      return {
        path: at(w, `/guardrails/actions/${number}`),
        params: params(w, { number: String(number) }),
        body: form({ intent: "details", title, kind: "better_test", ownerId: "", dueOn: "", gateId: "", implementingPrUrl: "", expectedVersion: String(version) }),
        changed: async () => (await actionRow(w, number)).title === title,
      };
    },
  },
  {
    route: "w.$workspace.gates.new",
    action: "gate.create",
    build: async (w) => {
      const name = unique("Contract test gate");
      return { path: at(w, "/gates/new"), params: params(w), body: form({ name, kind: "ci_check", repository: "", checkName: "", status: "proposed", description: "" }), changed: async () => (await gatesNamed(w, name)) === 1 };
    },
  },
  {
    route: "w.$workspace.gates.$gateId.edit",
    action: "gate.edit",
    build: async (w) => {
      const { id, version } = await gate(w);
      const name = unique("Sharper contract gate");
      return {
        path: at(w, `/gates/${id}/edit`),
        params: params(w, { gateId: id }),
        body: form({ name, kind: "ci_check", repository: "", checkName: "", status: "enforced", description: "", version: String(version) }),
        changed: async () => (await gatesNamed(w, name)) === 1,
      };
    },
  },
  {
    route: "w.$workspace.gates.$gateId._index",
    intent: "check-now",
    action: "gate.check",
    build: async (w) => {
      // Check now asks GitHub (the local replay) with the workspace's token about the gate's repository,
      // one of its own: two gates may not watch the same check in the same repository.
      await setGithubToken(w.db, w.admin, w.ws.id, GITHUB_TOKEN);
      const repository = githubRepository();
      const { id } = await gate(w, { repository, checkName: GITHUB_CHECK });
      const checks = async () =>
        (await w.db.selectFrom("audit_events").select("id").where("workspace_id", "=", w.ws.id).where("action", "=", "gate.checked_now").where("entity_id", "=", id).execute()).length;
      // GitHub's answer (the check is required on main) is applied: the proposed gate becomes "required, not yet seen".
      const state = async () => (await w.db.selectFrom("gates").select("state").where("id", "=", id).executeTakeFirstOrThrow()).state;
      return { path: at(w, `/gates/${id}`), params: params(w, { gateId: id }), body: form({ intent: "check-now" }), changed: async () => (await checks()) === 1 && (await state()) === "required_not_seen" };
    },
  },
  // --- decision records ----------------------------------------------------------------------
  {
    route: "w.$workspace.decisions.new",
    action: "decision.create",
    build: async (w) => {
      const title = unique("Idempotency keys for retries");
      return { path: at(w, "/decisions/new"), params: params(w), body: form({ kind: "adr", template: "madr", title, status: "proposed", deciders: "", decidedOn: "", tags: "", supersedes: "" }), changed: async () => (await decisionsTitled(w, title)) === 1 };
    },
  },
  {
    route: "w.$workspace.decisions.$ref._index",
    intent: "details",
    action: "decision.edit",
    build: async (w) => {
      const record = await decision(w);
      return {
        path: at(w, `/decisions/${record.ref}`),
        params: params(w, { ref: record.ref }),
        body: form({ intent: "details", metaVersion: String(record.meta_version), status: "accepted", deciders: "Ana", decidedOn: "2026-11-26", tags: "payments" }),
        changed: async () => (await w.db.selectFrom("decision_records").select("status").where("id", "=", record.id).executeTakeFirstOrThrow()).status === "accepted",
      };
    },
  },
  {
    route: "w.$workspace.decisions.$ref._index",
    intent: "link",
    action: "decision.link",
    build: async (w) => {
      const record = await decision(w);
      const { number } = await incident(w);
      return { path: at(w, `/decisions/${record.ref}`), params: params(w, { ref: record.ref }), body: form({ intent: "link", kind: "informed_by", target: `INC-${number}` }), changed: async () => (await linksOf(w, record.id)) === 1 };
    },
  },
  {
    route: "w.$workspace.decisions.$ref._index",
    intent: "unlink",
    action: "decision.link",
    build: async (w) => {
      const { ref, linkId } = await decisionLink(w);
      return {
        path: at(w, `/decisions/${ref}`),
        params: params(w, { ref }),
        body: form({ intent: "unlink", linkId }),
        changed: async () => (await w.db.selectFrom("decision_links").select("id").where("id", "=", linkId).execute()).length === 0,
      };
    },
  },
  {
    route: "w.$workspace.decisions.$ref.save",
    action: "decision.edit",
    build: async (w) => {
      const record = await decision(w);
      return {
        path: at(w, `/decisions/${record.ref}/save`),
        params: params(w, { ref: record.ref }),
        body: { json: { baseVersion: record.version, title: unique("Idempotency keys"), body: doc("We key every retry.") } },
        changed: async () => (await decisionVersion(w, record.id)) === record.version + 1,
      };
    },
  },
  {
    route: "w.$workspace.decisions.$ref.history",
    action: "decision.edit",
    build: async (w) => {
      const record = await decision(w);
      return {
        path: at(w, `/decisions/${record.ref}/history`),
        params: params(w, { ref: record.ref }),
        body: form({ version: String(record.version), baseVersion: String(record.version) }),
        changed: async () => (await decisionVersion(w, record.id)) === record.version + 1,
      };
    },
  },
  {
    route: "w.$workspace.decisions.import._index",
    action: "decision.import",
    build: async (w, me) => {
      const before = await batchesOf(w, me.id);
      return { path: at(w, "/decisions/import"), params: params(w), body: { multipart: decisionUpload(unique("Use idempotency keys")) }, changed: async () => (await batchesOf(w, me.id)) === before + 1 };
    },
  },
  {
    route: "w.$workspace.decisions.import.$batch",
    action: "decision.import",
    build: async (w, me) => {
      // A staged upload is its uploader's: each caller imports their own.
      const title = unique("Use idempotency keys");
      const { id, planHash } = await stagedImport(w, me, title);
      return { path: at(w, `/decisions/import/${id}`), params: params(w, { batch: id }), body: form({ planHash }), changed: async () => (await decisionsTitled(w, title)) === 1 };
    },
  },

  // --- issue trackers (issue 19): connections are an admin's, an action's issue an editor's ---
  {
    route: TRACKER_SETTINGS,
    intent: "connect",
    action: "tracker.manage",
    build: async (w) => {
      const key = trackerKey();
      const changed = async () => (await w.db.selectFrom("tracker_connections").select("id").where("workspace_id", "=", w.ws.id).where("target", "=", key).execute()).length === 1;
      return { path: at(w, "/settings/integrations/trackers"), params: params(w), body: form({ intent: "connect", vendor: "jira", target: key, apiUrl: UNREACHABLE, accountEmail: "bot@example.com", token: "matrix-jira-token-0001" }), changed };
    },
  },
  ...(["test", "webhook-secret", "remove"] as const).map(
    (intent): Row => ({
      route: TRACKER_SETTINGS,
      intent,
      action: "tracker.manage",
      build: async (w) => {
        const id = await trackerConnection(w);
        const row = () => w.db.selectFrom("tracker_connections").select(["tested_at", "webhook_hint"]).where("id", "=", id).executeTakeFirst();
        const before = await row();
        const changed = async () => {
          const now = await row();
          return intent === "remove" ? now === undefined : intent === "test" ? now?.tested_at != null : now?.webhook_hint !== before?.webhook_hint;
        };
        return { path: at(w, "/settings/integrations/trackers"), params: params(w), body: form({ intent, connectionId: id }), changed };
      },
    }),
  ),
  ...(["create-issue", "link-issue", "unlink-issue", "retry-sync"] as const).map(
    (intent): Row => ({
      route: ACTION_TRACKER,
      intent,
      action: "action.track",
      build: async (w) => {
        const { number } = await guardrailAction(w);
        const connectionId = await trackerConnection(w);
        const key = (await w.db.selectFrom("tracker_connections").select("target").where("id", "=", connectionId).executeTakeFirstOrThrow()).target;
        if (intent === "unlink-issue" || intent === "retry-sync") {
          expect(await linkExistingIssue(w.db, w.author, w.ws.id, number, `${UNREACHABLE}/browse/${key}-${number}`)).toMatchObject({ ok: true });
          if (intent === "retry-sync") await w.db.insertInto("tracker_ops").values({ workspace_id: w.ws.id, link_id: (await trackerLinkId(w, number))!, kind: "comment", body: "x", status: "failed", attempts: 6, last_error: "Jira answered 403" }).execute();
        }
        const fields: Record<string, Record<string, string>> = {
          "create-issue": { connectionId },
          "link-issue": { issueUrl: `${UNREACHABLE}/browse/${key}-${number}` },
          "unlink-issue": {},
          "retry-sync": {},
        };
        const changed = async () => {
          const link = await trackerLinkId(w, number);
          if (intent === "unlink-issue") return link === null;
          // The failed comment (linking also queued a read of the issue, pending from the start).
          if (intent === "retry-sync") return (await w.db.selectFrom("tracker_ops").select("status").where("link_id", "=", link!).where("kind", "=", "comment").executeTakeFirstOrThrow()).status === "pending";
          return link !== null;
        };
        return { path: at(w, `/guardrails/actions/${number}/tracker`), params: params(w, { number: String(number) }), body: form({ intent, ...fields[intent] }), changed };
      },
    }),
  ),
  {
    route: "w.$workspace.incidents.$number.postmortem.trackers",
    action: "action.track",
    about: "create issues for all of a postmortem's actions",
    build: async (w) => {
      const { number } = await guardrailAction(w);
      const incident = await w.db
        .selectFrom("guardrail_actions")
        .innerJoin("contributing_factors", "contributing_factors.id", "guardrail_actions.factor_id")
        .innerJoin("postmortems", "postmortems.id", "contributing_factors.postmortem_id")
        .innerJoin("incidents", "incidents.id", "postmortems.incident_id")
        .select("incidents.number")
        .where("guardrail_actions.workspace_id", "=", w.ws.id)
        .where("guardrail_actions.number", "=", number)
        .executeTakeFirstOrThrow();
      const connectionId = await trackerConnection(w);
      return {
        path: at(w, `/incidents/${incident.number}/postmortem/trackers`),
        params: params(w, { number: String(incident.number) }),
        body: form({ intent: "create-issues", connectionId }),
        changed: async () => (await trackerLinkId(w, number)) !== null,
      };
    },
  },
];

/** Every endpoint of the JSON API that changes something. */
const API_ROWS: Row[] = [
  {
    route: "api.v1.$workspace.incidents._index",
    action: "incident.create",
    build: async (w) => {
      const title = unique("Checkout 500s from the bridge");
      return {
        path: `/api/v1/${w.ws.slug}/incidents`,
        params: params(w),
        body: { json: { title, severity: "SEV2", tier: "T1", startedAt: "2026-11-20T10:00:00Z" } },
        changed: async () => (await w.db.selectFrom("incidents").select("id").where("workspace_id", "=", w.ws.id).where("title", "=", title).execute()).length === 1,
      };
    },
  },
  {
    route: "api.v1.$workspace.incidents.$number.timeline",
    action: "incident.timeline",
    build: async (w) => {
      const { number, id } = await incident(w);
      const text = unique("Alert resolved");
      return {
        path: `/api/v1/${w.ws.slug}/incidents/${number}/timeline`,
        params: params(w, { number: String(number) }),
        body: { json: { occurredAt: "2026-11-20T10:30:00Z", kind: "resolution", text } },
        changed: async () => (await w.db.selectFrom("timeline_events").select("id").where("incident_id", "=", id).where("text", "=", text).execute()).length === 1,
      };
    },
  },
  {
    route: "api.v1.$workspace.actions.$number.status",
    action: "action.edit",
    build: async (w) => {
      const { number, version } = await guardrailAction(w);
      return {
        path: `/api/v1/${w.ws.slug}/actions/${number}/status`,
        params: params(w, { number: String(number) }),
        body: { json: { to: "in_progress", expectedVersion: version } },
        changed: async () => (await actionRow(w, number)).status === "in_progress",
      };
    },
  },
];

/** Routes with an `action` that are not about one workspace, so the workspace policy has no say. */
const OUT_OF_SCOPE: Record<string, string> = {
  login: "signing in: no workspace yet; throttled and tested in auth-routes.test.ts",
  signup: "creating an account: no workspace yet",
  logout: "ends the caller's own session",
  account: "the caller's own password and sessions",
  "invite.$token": "accepting an invite is how someone becomes a member; the token is the permission",
  "workspaces.new": "any signed-in user may create a workspace and becomes its admin",
  "webhooks.$": "unknown webhook sources: a 404 for every caller",
  "webhooks.github.$workspace": "GitHub deliveries: authenticated by the workspace's signing secret, not a member (webhooks.test.ts)",
  "webhooks.pagerduty.$workspace": "PagerDuty deliveries: authenticated by the signing secret (integrations-ingest.test.ts)",
  "webhooks.alertmanager.$workspace": "Alertmanager notifications: authenticated by the bearer token (integrations-ingest.test.ts)",
  "webhooks.trackers.$workspace.$connection": "tracker deliveries: authenticated by the connection's signing secret (trackers.test.ts)",
};

// ---------------------------------------------------------------------------------------------
// Small readers the rows use

async function newMember(w: World, role: "viewer" | "editor") {
  const user = await makeUser(w.db, "Nia Newcomer");
  await addMember(w.db, w.ws.id, w.admin, user, role);
  return user;
}
const roleOf = async (w: World, userId: string) =>
  (await w.db.selectFrom("memberships").select("role").where("workspace_id", "=", w.ws.id).where("user_id", "=", userId).executeTakeFirst())?.role ?? null;
let areas = 0;
const areaSlug = () => `area-${(areas += 1)}-${Math.random().toString(36).slice(2, 8)}`;
const areaId = async (w: World, slug: string) => (await w.db.selectFrom("areas").select("id").where("workspace_id", "=", w.ws.id).where("slug", "=", slug).executeTakeFirst())?.id ?? null;
const secretHint = async (w: World, source: "github" | "pagerduty" | "alertmanager") =>
  (await w.db.selectFrom("integration_secrets").select("hint").where("workspace_id", "=", w.ws.id).where("source", "=", source).executeTakeFirst())?.hint ?? null;
const githubTokenIs = async (w: World, token: string) => (await githubToken(w.db, w.ws.id)) === token;
const auditCount = async (w: World, action?: string) => {
  let query = w.db.selectFrom("audit_events").select((eb) => eb.fn.countAll<number>().as("n")).where("workspace_id", "=", w.ws.id);
  if (action) query = query.where("action", "=", action as never);
  return Number((await query.executeTakeFirstOrThrow()).n);
};
const incidentRow = (w: World, number: number) => w.db.selectFrom("incidents").select(["title", "version"]).where("workspace_id", "=", w.ws.id).where("number", "=", number).executeTakeFirstOrThrow();
const eventText = async (w: World, eventId: string) => (await w.db.selectFrom("timeline_events").select("text").where("id", "=", eventId).executeTakeFirst())?.text ?? null;
const postmortemPage = (w: World, number: number, fields: Record<string, string | string[]>) => ({ path: at(w, `/incidents/${number}/postmortem`), params: params(w, { number: String(number) }), body: form(fields) });
const reviewsBy = async (w: World, number: number, userId: string) => {
  const { id } = await postmortemRow(w, number);
  return (await w.db.selectFrom("postmortem_reviews").select("id").where("postmortem_id", "=", id).where("reviewer_id", "=", userId).execute()).length;
};
const factorsNamed = async (w: World, text: string) => (await w.db.selectFrom("contributing_factors").select("id").where("workspace_id", "=", w.ws.id).where("text", "=", text).execute()).length;
const factorRow = (w: World, id: string) => w.db.selectFrom("contributing_factors").select(["id", "no_action_reason"]).where("id", "=", id).executeTakeFirst();
const actionRow = (w: World, number: number) => w.db.selectFrom("guardrail_actions").select(["status", "title"]).where("workspace_id", "=", w.ws.id).where("number", "=", number).executeTakeFirstOrThrow();
const gatesNamed = async (w: World, name: string) => (await w.db.selectFrom("gates").select("id").where("workspace_id", "=", w.ws.id).where("name", "=", name).execute()).length;
const decisionsTitled = async (w: World, title: string) => (await w.db.selectFrom("decision_records").select("id").where("workspace_id", "=", w.ws.id).where("title", "=", title).execute()).length;
const decisionVersion = async (w: World, id: string) => (await w.db.selectFrom("decision_records").select("version").where("id", "=", id).executeTakeFirstOrThrow()).version;
const linksOf = async (w: World, decisionId: string) => (await w.db.selectFrom("decision_links").select("id").where("decision_id", "=", decisionId).execute()).length;
const batchesOf = async (w: World, userId: string) =>
  (await w.db.selectFrom("decision_import_batches").select("id").where("workspace_id", "=", w.ws.id).where("created_by", "=", userId).execute()).length;

async function savePostmortemCase(w: World, state: "draft" | "published"): Promise<Case> {
  const number = await postmortem(w, state);
  const before = await postmortemRow(w, number);
  return {
    path: at(w, `/incidents/${number}/postmortem/save`),
    params: params(w, { number: String(number) }),
    body: { json: { baseVersion: before.version, title: unique("Retries double-charged"), body: doc("What happened, without blame.") } },
    changed: async () => (await postmortemRow(w, number)).version === before.version + 1,
  };
}

async function restorePostmortemCase(w: World, state: "draft" | "published"): Promise<Case> {
  const number = await postmortem(w, state);
  const before = await postmortemRow(w, number);
  const version = await firstPostmortemRevision(w, before.id);
  return {
    path: at(w, `/incidents/${number}/postmortem/history`),
    params: params(w, { number: String(number) }),
    body: form({ version: String(version), baseVersion: String(before.version) }),
    changed: async () => (await postmortemRow(w, number)).version === before.version + 1,
  };
}

// ---------------------------------------------------------------------------------------------
// What each case expects, from the policy

type Expected = { allowed: true } | { allowed: false; status: number; why: string };

const askCan = can as (actor: Actor, action: PolicyAction, subject?: unknown) => boolean;
const askAuthorize = authorize as (actor: Actor, action: PolicyAction, subject?: unknown) => Decision;

/** The policy's answer, as HTTP: allowed, or the refusal's status (a non-member's is 404: they see nothing). */
function fromPolicy(actor: Actor, action: PolicyAction, subject: unknown): Expected {
  if (askCan(actor, action, subject)) return { allowed: true };
  if (actor.kind === "outsider") return { allowed: false, status: 404, why: "not a member" };
  const decision = askAuthorize(actor, action, subject);
  if (decision.ok) throw new Error(`can() and authorize() disagree on ${action}`);
  return { allowed: false, status: PROBLEM_STATUS[decision.kind], why: decision.kind };
}

function forPage(row: Row, who: PageActor, me: { id: string }): Expected {
  return fromPolicy(pageActor(who, me.id), row.action, row.subject?.(me));
}

/** The API asks the policy only once the token is known and is this workspace's. */
function forApi(row: Row, who: ApiActor, world: World | null): Expected {
  if (who === "session, no token") return { allowed: false, status: 401, why: "the API takes tokens, not cookies" };
  if (who === "token of another workspace") return { allowed: false, status: 404, why: "another workspace's token" };
  return fromPolicy(apiActor(world, who)!, row.action, row.subject?.({ id: "caller" }));
}

const label = (e: Expected) => (e.allowed ? "allowed" : `${e.status} (${e.why})`);
const rowName = (row: Row) => `${row.route}${row.intent ? ` [${row.intent}]` : ""}${row.about ? `: ${row.about}` : ""}`;

// ---------------------------------------------------------------------------------------------
// Route modules, by file name

type RouteModule = { action?: Parameters<typeof answer>[0]; loader?: unknown };
const ROUTE_FILES = import.meta.glob<RouteModule>("../../app/routes/*.{ts,tsx}");
const ROUTES_DIR = fileURLToPath(new URL("../../app/routes/", import.meta.url));

async function routeAction(route: string) {
  const load = ROUTE_FILES[`../../app/routes/${route}.ts`] ?? ROUTE_FILES[`../../app/routes/${route}.tsx`];
  if (!load) throw new Error(`no route module app/routes/${route}.ts(x)`);
  const { action } = await load();
  if (!action) throw new Error(`app/routes/${route} exports no action`);
  return action;
}

async function describeAnswer(response: Response): Promise<string> {
  const text = await response.clone().text();
  return `${response.status} ${response.headers.get("location") ?? ""} ${text.slice(0, 300)}`;
}

/** Allowed: a 2xx (whose JSON is not a failure) or a redirect, the change made, and audited. Refused: the status, and nothing changed. */
async function check(world: World, expected: Expected, request: Request, route: string, params: Record<string, string>, changed?: () => Promise<boolean>) {
  const auditBefore = await auditCount(world);
  const response = await answer(await routeAction(route), request, params);
  const seen = await describeAnswer(response);
  if (expected.allowed) {
    expect(response.status, seen).toBeGreaterThanOrEqual(200);
    expect(response.status, seen).toBeLessThan(400);
    if (response.headers.get("content-type")?.includes("json")) expect((await response.json()) as unknown, seen).not.toMatchObject({ ok: false });
    if (changed) expect(await changed(), `the change is in the database (${seen})`).toBe(true);
    expect(await auditCount(world), `the change is in the audit log (${seen})`).toBeGreaterThan(auditBefore);
  } else {
    expect(response.status, seen).toBe(expected.status);
    if (changed) expect(await changed(), `nothing changed (${seen})`).toBe(false);
    expect(await auditCount(world), `nothing was audited (${seen})`).toBe(auditBefore);
  }
}

// ---------------------------------------------------------------------------------------------
// The matrix, on both engines

describeEachEngine("permission matrix", (testDb) => {
  let world: World;
  const saved = { smtp: process.env.SMTP_URL, key: process.env.HINDSIGHT_SECRET_KEY, github: process.env.GITHUB_API_URL };

  beforeAll(async () => {
    holder.db = testDb();
    world = await setUpWorld(testDb());
    // Settings → Reminders queues a job (pg-boss, never sent here) and needs mail configured;
    // integration secrets are sealed with a key (never written to disk by this test).
    process.env.SMTP_URL = "smtp://127.0.0.1:9";
    process.env.HINDSIGHT_SECRET_KEY ??= "ab".repeat(32);
    // Check now reads GitHub's API address from GITHUB_API_URL: point it at a local replay.
    github = await startGithubReplay();
    process.env.GITHUB_API_URL = github.url;
    await openQueue(testDb(), { worker: false });
  }, 120_000);

  afterAll(async () => {
    await closeQueue({ graceful: false, timeoutMs: 1_000 });
    if (saved.smtp === undefined) delete process.env.SMTP_URL;
    else process.env.SMTP_URL = saved.smtp;
    if (saved.key === undefined) delete process.env.HINDSIGHT_SECRET_KEY;
    if (saved.github === undefined) delete process.env.GITHUB_API_URL;
    else process.env.GITHUB_API_URL = saved.github;
    await github?.close();
    github = null;
  });

  beforeEach(() => {
    holder.db = testDb();
    // Refusals are logged as warnings; the matrix makes hundreds on purpose.
    vi.spyOn(log, "warn").mockImplementation(() => undefined);
    vi.spyOn(log, "info").mockImplementation(() => undefined);
  });

  describe("pages and forms", () => {
    for (const row of PAGE_ROWS) {
      for (const who of PAGE_ACTORS) {
        it(`${rowName(row)} · ${who} → ${label(forPage(row, who, { id: "me" }))}`, async () => {
          const me = pageUser(world, who);
          const built = await row.build(world, me);
          const request = buildRequest(built.path, built.body, { cookie: world.cookies[who] });
          await check(world, forPage(row, who, me), request, row.route, built.params, built.changed);
        });
      }
    }
  });

  describe("the JSON API", () => {
    for (const row of API_ROWS) {
      for (const who of API_ACTORS) {
        it(`${rowName(row)} · ${who} → ${label(forApi(row, who, null))}`, async () => {
          const built = await row.build(world, world.admin);
          const credentials: Record<string, string> = who === "session, no token" ? { cookie: world.cookies.admin } : { authorization: `Bearer ${world.tokens[who]}` };
          await check(world, forApi(row, who, world), buildRequest(built.path, built.body, credentials), row.route, built.params, built.changed);
        });
      }
    }

    it("every other API route answers a write token's POST with 405 (404 off the map), changing nothing", async () => {
      const listed = new Set(API_ROWS.map((r) => r.route));
      const others = routeFiles().filter((f) => f.stem.startsWith("api.") && f.exportsAction && !listed.has(f.stem));
      expect(others.length).toBeGreaterThan(0);
      for (const { stem } of others) {
        const auditBefore = await auditCount(world);
        const request = buildRequest(`/api/v1/${world.ws.slug}/probe`, { json: { title: "Probe" } }, { authorization: `Bearer ${world.tokens["write token"]}` });
        const response = await answer(await routeAction(stem), request, { workspace: world.ws.slug, number: "1", ref: "ADR-1", gateId: "00000000-0000-4000-8000-000000000000", "*": "x" });
        expect([405, 404], `${stem}: ${await describeAnswer(response)}`).toContain(response.status);
        expect(await auditCount(world)).toBe(auditBefore);
      }
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Guards: the table stays complete

type RouteFile = { stem: string; source: string; exportsAction: boolean };

const COMPONENTS_DIR = fileURLToPath(new URL("../../app/components/", import.meta.url));
/** Components whose forms post to another page's action (they name that page's intents, not their host's). */
const POSTS_ELSEWHERE: Record<string, string> = {
  "postmortem-start": "the incident page's start form posts to the postmortem page",
  "tracker-panel": "the action page's tracker forms post to the action's tracker route",
  "tracker-bulk": "the postmortem page's \"create issues\" form posts to the postmortem's trackers route",
};

/** A page's forms may live in the components it imports (app/components): their source is the page's too. */
function withComponents(source: string): string {
  const imported = [...source.matchAll(/from\s+"~\/components\/([\w/-]+)"/g)].map((m) => m[1]!).filter((c) => !(c in POSTS_ELSEWHERE));
  const files = imported.flatMap((c) => [`${COMPONENTS_DIR}${c}.tsx`, `${COMPONENTS_DIR}${c}.ts`].filter((f) => existsSync(f)));
  return [source, ...new Set(files)].map((f, i) => (i === 0 ? f : readFileSync(f, "utf8"))).join("\n");
}

function routeFiles(): RouteFile[] {
  return readdirSync(ROUTES_DIR)
    .filter((f) => /\.tsx?$/.test(f))
    .map((f) => {
      const source = readFileSync(`${ROUTES_DIR}${f}`, "utf8");
      const exportsAction = /export\s+(async\s+)?function\s+action\b|export\s+const\s+action\b|export\s*\{[^}]*\baction\b[^}]*\}/.test(source);
      return { stem: f.replace(/\.tsx?$/, ""), source: withComponents(source), exportsAction };
    });
}

/** The form intents a route's source names: schema literals, comparisons, hidden inputs. */
function intentsIn(source: string): Set<string> {
  const found = new Set<string>();
  const patterns = [/intent:\s*z\.literal\("([^"]+)"\)/g, /intent\s*===\s*"([^"]+)"/g, /name="intent"\s+value="([^"]+)"/g, /\bintent="([^"]+)"/g];
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) found.add(match[1]!);
  return found;
}

describe("the permission matrix covers every mutating route", () => {
  const files = routeFiles();
  const rows = [...PAGE_ROWS, ...API_ROWS];

  it("every page route with an action is in the table or explicitly out of scope", () => {
    const inTable = new Set(rows.map((r) => r.route));
    const missing = files.filter((f) => f.exportsAction && !f.stem.startsWith("api.") && !inTable.has(f.stem) && !(f.stem in OUT_OF_SCOPE)).map((f) => f.stem);
    expect(missing, "add these routes to PAGE_ROWS (or OUT_OF_SCOPE with a reason)").toEqual([]);
  });

  it("every row and every out-of-scope entry names a route that exists and has an action", () => {
    const withAction = new Set(files.filter((f) => f.exportsAction).map((f) => f.stem));
    expect([...new Set(rows.map((r) => r.route))].filter((r) => !withAction.has(r))).toEqual([]);
    expect(Object.keys(OUT_OF_SCOPE).filter((r) => !withAction.has(r))).toEqual([]);
  });

  it("every form intent of a page is a row, and every row's intent is still on its page", () => {
    for (const file of files.filter((f) => f.exportsAction && !(f.stem in OUT_OF_SCOPE))) {
      const listed = new Set(rows.filter((r) => r.route === file.stem && r.intent).map((r) => r.intent!));
      const onPage = intentsIn(file.source);
      expect([...onPage].filter((i) => !listed.has(i)), `intents of ${file.stem} missing from the table`).toEqual([]);
      expect([...listed].filter((i) => !onPage.has(i)), `intents listed for ${file.stem} that the page no longer has`).toEqual([]);
    }
  });

  it("every policy action that changes something is exercised by some row", () => {
    const exercised = new Set(rows.map((r) => r.action));
    expect(POLICY_ACTIONS.filter((a) => a !== "workspace.view" && !exercised.has(a))).toEqual([]);
    expect(POLICY["workspace.view"].needs).toBe("viewer");
  });

  it("a non-member is refused every action by the policy (the routes answer 404)", () => {
    for (const action of POLICY_ACTIONS) expect(askCan({ kind: "outsider" }, action)).toBe(false);
  });
});
