import { sql } from "kysely";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Db } from "#db/connection";
import { DEMO_USER, DEMO_WORKSPACE, seedDemo, type SeedDomain } from "#db/seed";
import { logIn, signUp } from "~/domain/accounts/index.server";
import { supersedeChain } from "~/domain/decisions/index.server";
import { loadDemoStory, storyAnchor, writeDemoStory } from "~/domain/demo/index.server";
import { guardrailCounts, recurrences } from "~/domain/guardrails/index.server";
import { inboxFor } from "~/domain/notifications/index.server";
import { searchWorkspace } from "~/domain/search/index.server";
import { createWorkspace, findMembership } from "~/domain/workspaces/index.server";
import { createTestDatabase, describeEachEngine, type TestDatabase } from "../support/databases";

// A fixed "today", so two runs can be compared; the CLI uses the day it runs.
const ANCHOR = new Date("2026-03-15T09:30:00Z");
const TODAY = "2026-03-15";
const domain: SeedDomain = { signUp, createWorkspace, writeStory: (db, workspaceId, owner) => writeDemoStory(db, workspaceId, owner, { anchor: ANCHOR }) };

async function workspaceId(db: Db) {
  return (await db.selectFrom("workspaces").select("id").where("slug", "=", DEMO_WORKSPACE.slug).executeTakeFirstOrThrow()).id;
}

/** How many rows each table holds: the seed's whole footprint. */
async function rowCounts(db: Db): Promise<Record<string, number>> {
  const tables = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' and table_name not like 'kysely_%'
    order by table_name`.execute(db);
  const counts: Record<string, number> = {};
  for (const { table_name } of tables.rows) {
    const row = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table_name)}`.execute(db);
    counts[table_name] = row.rows[0]!.n;
  }
  return counts;
}

/** What the story wrote, without ids or the times the database stamps itself. */
async function content(db: Db) {
  const ws = await workspaceId(db);
  const [incidents, timeline, postmortems, revisions, reviews, factors, actions, gates, decisions, links, pulls, audit] = await Promise.all([
    db.selectFrom("incidents").select(["number", "title", "severity", "status", "tier", "impact", "started_at", "detected_at", "mitigated_at", "resolved_at"]).where("workspace_id", "=", ws).orderBy("number").execute(),
    db.selectFrom("timeline_events").innerJoin("incidents", "incidents.id", "timeline_events.incident_id").select(["incidents.number", "occurred_at", "kind", "text"]).where("incidents.workspace_id", "=", ws).orderBy("incidents.number").orderBy("occurred_at").execute(),
    db.selectFrom("postmortems").innerJoin("incidents", "incidents.id", "postmortems.incident_id").select(["incidents.number", "postmortems.title", "postmortems.status", "postmortems.version", "postmortems.body", "postmortems.review_round"]).where("postmortems.workspace_id", "=", ws).orderBy("incidents.number").execute(),
    db.selectFrom("postmortem_revisions").innerJoin("postmortems", "postmortems.id", "postmortem_revisions.postmortem_id").innerJoin("incidents", "incidents.id", "postmortems.incident_id").select(["incidents.number", "postmortem_revisions.version", "postmortem_revisions.saved_at"]).where("postmortems.workspace_id", "=", ws).orderBy("incidents.number").orderBy("postmortem_revisions.version").execute(),
    db.selectFrom("postmortem_reviews").innerJoin("postmortems", "postmortems.id", "postmortem_reviews.postmortem_id").innerJoin("incidents", "incidents.id", "postmortems.incident_id").innerJoin("users", "users.id", "postmortem_reviews.reviewer_id").select(["incidents.number", "users.email", "verdict", "comment"]).where("postmortems.workspace_id", "=", ws).orderBy("incidents.number").orderBy("postmortem_reviews.created_at").execute(),
    db.selectFrom("contributing_factors").select(["text", "category", "tier", "no_action_reason"]).where("workspace_id", "=", ws).orderBy("text").execute(),
    db.selectFrom("guardrail_actions").select(["number", "title", "kind", "status", "due_on", "done_at", "verified_at", "evidence_url", "evidence_note", "wont_do_reason", "version"]).where("workspace_id", "=", ws).orderBy("number").execute(),
    db.selectFrom("gates").select(["name", "kind", "repository", "check_name", "status", "last_seen_at", "last_seen_url", "description"]).where("workspace_id", "=", ws).orderBy("name").execute(),
    db.selectFrom("decision_records").select(["kind", "number", "title", "status", "prior_status", "decided_on", "body", "version"]).where("workspace_id", "=", ws).orderBy("kind").orderBy("number").execute(),
    db.selectFrom("decision_links").select(["kind", "target_type", "target_ref"]).where("workspace_id", "=", ws).orderBy("target_ref").orderBy("kind").execute(),
    db.selectFrom("pull_requests").select(["repository", "number", "title", "author", "state", "merged_at", "tier", "assisted"]).where("workspace_id", "=", ws).orderBy("repository").orderBy("number").execute(),
    db.selectFrom("audit_events").select(["action", sql<number>`count(*)::int`.as("n")]).where("workspace_id", "=", ws).groupBy("action").orderBy("action").execute(),
  ]);
  // A link to a gate names it by id; compare the gate's name instead.
  const gateNames = new Map((await db.selectFrom("gates").select(["id", "name"]).where("workspace_id", "=", ws).execute()).map((g) => [`GATE:${g.id}`, g.name]));
  const namedLinks = links.map((l) => ({ ...l, target_ref: gateNames.get(l.target_ref) ?? l.target_ref })).sort((x, y) => `${x.target_ref} ${x.kind}`.localeCompare(`${y.target_ref} ${y.kind}`));
  return { incidents, timeline, postmortems, revisions, reviews, factors, actions, gates, decisions, links: namedLinks, pulls, audit };
}

describeEachEngine("the demo workspace's story", (testDb, engine) => {
  let ws = "";
  beforeAll(async () => {
    expect(await seedDemo(testDb(), domain)).toEqual({ created: true });
    ws = await workspaceId(testDb());
  }, 180_000);

  it("asks teammates by name, so their inboxes hold the reviews still waiting for them", async () => {
    const db = testDb();
    const userId = async (email: string) => (await db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirstOrThrow()).id;
    const waiting = async (email: string) => (await inboxFor(db, ws, await userId(email), TODAY)).reviews.map((r) => r.incidentNumber);
    const asked = await db.selectFrom("review_requests").select("id").where("workspace_id", "=", ws).execute();
    expect(asked.length).toBeGreaterThan(0);
    // Dana's postmortem waits for Priya and Marcus (they only commented); Priya's waits for Dana (Marcus approved).
    const [priya, marcus, dana] = [await waiting("priya@hindsight.test"), await waiting("marcus@hindsight.test"), await waiting(DEMO_USER.email)];
    expect(priya).toHaveLength(1);
    expect(marcus).toEqual(priya);
    expect(dana).toHaveLength(1);
    expect(dana).not.toEqual(priya);
  });

  it("holds incidents over months, at several severities, tiers and statuses", async () => {
    const incidents = await testDb().selectFrom("incidents").select(["severity", "tier", "status", "started_at"]).where("workspace_id", "=", ws).execute();
    expect(incidents).toHaveLength(12);
    expect(new Set(incidents.map((i) => i.severity))).toEqual(new Set(["SEV1", "SEV2", "SEV3", "SEV4"]));
    expect(new Set(incidents.map((i) => i.tier))).toEqual(new Set(["T0", "T1", "T2", "T3"]));
    expect(incidents.filter((i) => i.status !== "resolved").map((i) => i.status)).toEqual(["monitoring"]);
    const days = incidents.map((i) => (ANCHOR.getTime() - i.started_at.getTime()) / 86_400_000);
    expect(Math.max(...days)).toBeGreaterThan(150);
    expect(Math.min(...days)).toBeLessThan(3);
    const prs = await testDb().selectFrom("pull_requests").select(["assisted", "title", "state"]).where("workspace_id", "=", ws).execute();
    expect(prs.filter((p) => p.assisted === "yes").length).toBeGreaterThanOrEqual(3);
    // GitHub's pull_request deliveries filled in what a URL alone can't say.
    expect(prs.every((p) => p.title && p.state === "merged")).toBe(true);
  });

  it("has postmortems in every state, with reviews, from the templates", async () => {
    const rows = await testDb()
      .selectFrom("postmortems")
      .select(["status", "template", sql<number>`(select count(*) from postmortem_reviews r where r.postmortem_id = postmortems.id)::int`.as("reviews")])
      .where("workspace_id", "=", ws)
      .execute();
    const byStatus = (s: string) => rows.filter((r) => r.status === s);
    expect(byStatus("published")).toHaveLength(8);
    expect(byStatus("in_review")).toHaveLength(2);
    expect(byStatus("draft")).toHaveLength(1);
    expect(byStatus("in_review").every((r) => r.reviews >= 2)).toBe(true);
    expect(new Set(rows.map((r) => r.template))).toEqual(new Set(["google-sre", "lightweight"]));
    // Reviewed and published when the story says, weeks after each incident, not on the day of the seed.
    const stamps = await testDb()
      .selectFrom("postmortems")
      .innerJoin("incidents", "incidents.id", "postmortems.incident_id")
      .select(["incidents.started_at", "postmortems.published_at"])
      .where("postmortems.workspace_id", "=", ws)
      .where("postmortems.status", "=", "published")
      .execute();
    for (const s of stamps) {
      expect(s.published_at!.getTime()).toBeGreaterThan(s.started_at.getTime());
      expect(s.published_at!.getTime()).toBeLessThan(ANCHOR.getTime() - 50 * 86_400_000);
    }
    const reviewedToday = await testDb()
      .selectFrom("postmortem_reviews")
      .innerJoin("postmortems", "postmortems.id", "postmortem_reviews.postmortem_id")
      .select("postmortem_reviews.id")
      .where("postmortems.workspace_id", "=", ws)
      .where("postmortem_reviews.created_at", ">=", ANCHOR)
      .execute();
    expect(reviewedToday).toEqual([]);
    const verdicts = await testDb().selectFrom("postmortem_reviews").select("verdict").distinct().execute();
    expect(new Set(verdicts.map((v) => v.verdict))).toEqual(new Set(["approve", "request_changes", "comment"]));
  });

  it("has actions open, in progress, overdue, done, won't do, verified by a gate and by evidence", async () => {
    const actions = await testDb().selectFrom("guardrail_actions").select(["status", "due_on", "verified_by", "evidence_url"]).where("workspace_id", "=", ws).execute();
    const count = (s: string) => actions.filter((a) => a.status === s).length;
    expect({ open: count("open"), in_progress: count("in_progress"), done: count("done"), verified: count("verified"), wont_do: count("wont_do") }).toEqual({
      open: 5,
      in_progress: 2,
      done: 1,
      verified: 8,
      wont_do: 1,
    });
    const verified = actions.filter((a) => a.status === "verified");
    // A gate's check run verifies with no person (verified_by null) and the run as evidence.
    expect(verified.filter((a) => a.verified_by === null && a.evidence_url?.includes("/actions/runs/")).length).toBe(4);
    expect(verified.filter((a) => a.verified_by !== null).length).toBe(4);
    const overdue = actions.filter((a) => (a.status === "open" || a.status === "in_progress") && a.due_on !== null && a.due_on < TODAY);
    expect(overdue).toHaveLength(4);
    expect(await guardrailCounts(testDb(), ws, TODAY)).toMatchObject({ overdue: 4 });
  });

  it("has gates in every state, one seen enforced and one enforced but not seen yet", async () => {
    const gates = await testDb().selectFrom("gates").select(["name", "status", "last_seen_at"]).where("workspace_id", "=", ws).execute();
    const count = (s: string) => gates.filter((g) => g.status === s).length;
    expect({ proposed: count("proposed"), enforced: count("enforced"), retired: count("retired") }).toEqual({ proposed: 1, enforced: 6, retired: 1 });
    expect(gates.filter((g) => g.status === "enforced" && g.last_seen_at).length).toBe(3);
    expect(gates.filter((g) => g.status === "enforced" && !g.last_seen_at).length).toBe(3);
  });

  it("gates show what the evidence says: required and seen passing is enforced, required alone waits to be seen", async () => {
    const gates = await testDb().selectFrom("gates").select(["name", "state"]).where("workspace_id", "=", ws).where("status", "<>", "retired").orderBy("name").execute();
    const byState = (state: string) => gates.filter((g) => g.state === state).map((g) => g.name);
    expect(byState("enforced")).toHaveLength(3);
    expect(byState("required_not_seen")).toHaveLength(1);
    expect(byState("regressed")).toEqual([]);
    expect(byState("stale")).toEqual([]);
  });

  it("shows a recurring category flagged, and the recurring retry gate answered by a verified action", async () => {
    const { categories, gates } = await recurrences(testDb(), ws);
    expect(categories.find((c) => c.category === "observability_gap")).toMatchObject({ incidents: 3, flagged: true });
    expect(categories.find((c) => c.category === "missing_test")).toMatchObject({ flagged: false });
    expect(gates.find((g) => g.name === "Retry idempotency test")).toMatchObject({ incidents: 2, status: "retired", flagged: false });
  });

  it("has decision records in several states with a supersede chain linked to incidents", async () => {
    const decisions = await testDb().selectFrom("decision_records").select(["id", "kind", "number", "status"]).where("workspace_id", "=", ws).orderBy("kind").orderBy("number").execute();
    expect(decisions.map((d) => `${d.kind}-${d.number}:${d.status}`)).toEqual([
      "adr-1:superseded",
      "adr-2:superseded",
      "adr-3:accepted",
      "adr-4:accepted",
      "adr-5:accepted",
      "adr-6:rejected",
      "rfc-1:proposed",
    ]);
    const chain = await supersedeChain(testDb(), ws, decisions.find((d) => d.kind === "adr" && d.number === 5)!.id);
    expect(chain.map((c) => c.ref)).toEqual(expect.arrayContaining(["ADR-1", "ADR-2", "ADR-5"]));
    const informed = await testDb().selectFrom("decision_links").select("target_ref").where("workspace_id", "=", ws).where("kind", "=", "informed_by").execute();
    expect(informed.map((l) => l.target_ref)).toEqual(expect.arrayContaining(["INC-1", "INC-3", "INC-5", "INC-6", "INC-10"]));
  });

  it("has three members who can log in, the teammates as reviewers and maintainers", async () => {
    const members = await testDb().selectFrom("memberships").select("role").where("workspace_id", "=", ws).execute();
    expect(members.map((m) => m.role).sort()).toEqual(["admin", "editor", "editor"]);
    for (const account of [DEMO_USER, ...Object.values(loadDemoStory().teammates)]) {
      const login = await logIn(testDb(), { email: account.email, password: account.password, address: "127.0.0.1" });
      expect(login.ok).toBe(true);
      if (login.ok) expect(await findMembership(testDb(), login.user.id, DEMO_WORKSPACE.slug)).not.toBeNull();
    }
  });

  it("is searchable and audited like any other data", async () => {
    const found = await searchWorkspace(testDb(), ws, { q: "retry contract" });
    expect(found.kind === "results" ? found.total : 0).toBeGreaterThan(0);
    const docs = await testDb().selectFrom("search_documents").select(sql<number>`count(*)::int`.as("n")).where("workspace_id", "=", ws).executeTakeFirstOrThrow();
    // 12 incidents, 11 postmortems, 18 factors, 17 actions, 7 decisions.
    expect(docs.n).toBe(12 + 11 + 18 + 17 + 7);
    const audit = await testDb().selectFrom("audit_events").select("action").distinct().where("workspace_id", "=", ws).execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(["incident.created", "postmortem.published", "action.verified_by_gate", "gate.seen", "decision.created"]));
  });

  it("running the seed again changes nothing", async () => {
    const before = await rowCounts(testDb());
    expect(await seedDemo(testDb(), domain)).toEqual({ created: false });
    expect(await rowCounts(testDb())).toEqual(before);
  });

  let other: TestDatabase | null = null;
  afterAll(async () => {
    await other?.close();
  });
  it("writes the same story into another database", async () => {
    other = await createTestDatabase(engine);
    expect(await seedDemo(other.db, domain)).toEqual({ created: true });
    expect(await content(other.db)).toEqual(await content(testDb()));
  }, 180_000);
});

it("the story's today is the UTC day the seed runs", () => {
  expect(storyAnchor(new Date("2026-03-15T23:59:59Z")).toISOString()).toBe("2026-03-15T00:00:00.000Z");
});
