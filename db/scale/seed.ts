/**
 * `npm run db:seed -- --scale N`: a workspace ("scale-N") holding N searchable records —
 * incidents, postmortems, contributing factors, guardrail actions and decision records — for
 * trying the app and benchmarking search at size. Written with batched inserts rather than the
 * domain functions (those take a transaction each), but consistent with what they would write:
 * gapless numbers and their counters, a first revision per postmortem and decision, actions that
 * satisfy the table's rules, and search documents built from the same view the app uses.
 * Idempotent: an existing scale-N workspace is left as it is.
 */
import { randomUUID } from "node:crypto";
import { sql, type Insertable } from "kysely";
import type { Db } from "../connection";
import type { Database, IncidentStatus, PostmortemStatus, TierKey } from "../schema";
import { DEMO_USER } from "../seed";
import {
  ACTION_STATUS_WEIGHTS,
  action,
  between,
  chance,
  decision,
  factor,
  incidentContext,
  incidentImpact,
  incidentTitle,
  pick,
  postmortemBody,
  seededRandom,
  SEVERITY_WEIGHTS,
  TIER_WEIGHTS,
  weighted,
} from "./corpus";

type Actor = { id: string; email: string; display_name: string };
export type ScaleDomain = {
  signUp: (db: Db, input: { email: string; displayName: string; password: string }) => Promise<{ ok: boolean }>;
  createWorkspace: (db: Db, actor: Actor, input: { name: string; slug: string }) => Promise<{ ok: true; workspace: { id: string } } | { ok: false }>;
  /** Builds the workspace's search documents from its records (app/domain/search/indexing.server.ts). */
  rebuildSearch: (db: Db, workspaceId: string) => Promise<number>;
};

export type ScaleResult = { slug: string; created: boolean; counts: Record<string, number>; seconds: number };

/** Share of the records that are decisions; the rest hang off incidents. */
const DECISION_SHARE = 0.04;
/** Incidents are written in chunks this size, with everything under them, then the next chunk. */
const CHUNK = 500;
/** Rows per insert statement: well under Postgres's 65,535 parameters. */
const BATCH = 400;
const YEARS = 3;

export async function seedScale(db: Db, total: number, domain: ScaleDomain, log: (line: string) => void = () => {}): Promise<ScaleResult> {
  const started = Date.now();
  const slug = `scale-${total}`;
  const existing = await db.selectFrom("workspaces").select("id").where("slug", "=", slug).executeTakeFirst();
  if (existing) return { slug, created: false, counts: {}, seconds: 0 };

  const user = await demoUser(db, domain);
  const created = await domain.createWorkspace(db, user, { name: `Scale ${total.toLocaleString("en")}`, slug });
  if (!created.ok) throw new Error(`could not create workspace ${slug}`);
  const workspaceId = created.workspace.id;
  const areas = await db.selectFrom("areas").select(["id", "slug"]).where("workspace_id", "=", workspaceId).execute();
  const random = seededRandom(total);
  const now = Date.now();
  const span = YEARS * 365 * 24 * 3600 * 1000;
  const counts = { incidents: 0, postmortems: 0, factors: 0, actions: 0, decisions: 0 };
  const gateIds = await insertGates(db, workspaceId, user.id, random);

  // Decisions first: a fixed share of the total.
  const decisionCount = Math.round(total * DECISION_SHARE);
  let budget = total - decisionCount;
  const decisionRows: Insertable<Database["decision_records"]>[] = [];
  const decisionRevisions: Insertable<Database["decision_revisions"]>[] = [];
  const perKind = { adr: 0, rfc: 0 };
  for (let i = 0; i < decisionCount; i++) {
    const d = decision(random);
    const kind = chance(random, 0.8) ? "adr" : "rfc";
    const number = ++perKind[kind];
    const id = randomUUID();
    const at = new Date(now - random() * span);
    const body = JSON.stringify(d.doc);
    decisionRows.push({
      id,
      workspace_id: workspaceId,
      kind,
      number,
      title: d.title,
      status: weighted(random, [["accepted", 0.6], ["proposed", 0.2], ["deprecated", 0.1], ["rejected", 0.1]]),
      deciders: JSON.stringify(d.deciders),
      decided_on: at.toISOString().slice(0, 10),
      tags: JSON.stringify(d.tags),
      template: kind === "adr" ? "madr" : "rfc",
      body,
      body_text: d.text,
      created_by: user.id,
      updated_by: user.id,
      created_at: at,
      updated_at: at,
    });
    decisionRevisions.push({ decision_id: id, version: 1, title: d.title, body, author_id: user.id, saved_at: at });
  }
  await insertBatches(db, "decision_records", decisionRows);
  await insertBatches(db, "decision_revisions", decisionRevisions);
  counts.decisions = decisionCount;
  log(`decisions: ${decisionCount}`);

  let incidentNumber = 0;
  let actionNumber = 0;
  while (budget > 0) {
    const incidents: Insertable<Database["incidents"]>[] = [];
    const incidentAreas: Insertable<Database["incident_areas"]>[] = [];
    const postmortems: Insertable<Database["postmortems"]>[] = [];
    const revisions: Insertable<Database["postmortem_revisions"]>[] = [];
    const factors: Insertable<Database["contributing_factors"]>[] = [];
    const actions: Insertable<Database["guardrail_actions"]>[] = [];
    for (let n = 0; n < CHUNK && budget > 0; n++) {
      const c = incidentContext(random);
      const id = randomUUID();
      const number = ++incidentNumber;
      // Older incidents have lower numbers, as they would.
      const startedAt = new Date(Math.min(now - 3600_000, now - span + (span * number) / Math.max(1, total / 5.4) + random() * 3600_000));
      const recent = now - startedAt.getTime() < 14 * 24 * 3600 * 1000;
      const status: IncidentStatus = recent ? pick(random, ["investigating", "identified", "monitoring", "resolved"] as const) : "resolved";
      const tier: TierKey = weighted(random, TIER_WEIGHTS);
      const impact = incidentImpact(random, c);
      const detected = new Date(startedAt.getTime() + between(random, 1, 90) * 60_000);
      const mitigated = new Date(detected.getTime() + between(random, 5, 240) * 60_000);
      incidents.push({
        id,
        workspace_id: workspaceId,
        number,
        title: incidentTitle(random, c),
        severity: weighted(random, SEVERITY_WEIGHTS),
        status,
        tier,
        impact,
        started_at: startedAt,
        detected_at: detected,
        mitigated_at: status === "investigating" || status === "identified" ? null : mitigated,
        resolved_at: status === "resolved" ? new Date(mitigated.getTime() + between(random, 5, 600) * 60_000) : null,
        created_by: user.id,
        created_at: startedAt,
        updated_at: startedAt,
      });
      for (const area of new Set(Array.from({ length: between(random, 0, 2) }, () => pick(random, areas)))) {
        incidentAreas.push({ incident_id: id, area_id: area.id });
      }
      counts.incidents += 1;
      budget -= 1;
      if (budget <= 0 || !chance(random, 0.85)) continue;

      const pmId = randomUUID();
      const body = postmortemBody(random, c, impact);
      const pmStatus: PostmortemStatus = weighted(random, [["published", 0.6], ["in_review", 0.15], ["draft", 0.25]]);
      const written = new Date(mitigated.getTime() + between(random, 1, 10) * 24 * 3600_000);
      const title = `Postmortem: INC-${number} ${incidents[incidents.length - 1]!.title}`;
      const bodyJson = JSON.stringify(body.doc);
      postmortems.push({
        id: pmId,
        workspace_id: workspaceId,
        incident_id: id,
        title,
        status: pmStatus,
        template: "google-sre",
        body: bodyJson,
        body_text: body.text,
        review_round: pmStatus === "draft" ? 0 : 1,
        created_by: user.id,
        updated_by: user.id,
        created_at: written,
        updated_at: written,
        published_at: pmStatus === "published" ? written : null,
        published_by: pmStatus === "published" ? user.id : null,
      });
      revisions.push({ postmortem_id: pmId, version: 1, title, body: bodyJson, author_id: user.id, saved_at: written });
      counts.postmortems += 1;
      budget -= 1;

      const factorCount = between(random, 0, 4);
      for (let f = 0; f < factorCount && budget > 0; f++) {
        const fId = randomUUID();
        const made = factor(random, c);
        const actionCount = weighted(random, [[0, 0.2], [1, 0.55], [2, 0.25]] as Array<[number, number]>);
        factors.push({
          id: fId,
          workspace_id: workspaceId,
          postmortem_id: pmId,
          text: made.text,
          category: made.category,
          tier,
          // A published postmortem has no factor left without an action or a reason (the publish rule).
          no_action_reason: actionCount === 0 ? "Covered by the existing gate; see the linked decision." : null,
          created_by: user.id,
          created_at: written,
          updated_at: written,
        });
        counts.factors += 1;
        budget -= 1;
        for (let a = 0; a < actionCount && budget > 0; a++) {
          const made = action(random, c);
          const status = weighted(random, ACTION_STATUS_WEIGHTS);
          const closed = status === "done" || status === "verified";
          actions.push({
            id: randomUUID(),
            workspace_id: workspaceId,
            number: ++actionNumber,
            factor_id: fId,
            title: made.title,
            kind: made.kind,
            owner_id: user.id,
            due_on: new Date(written.getTime() + between(random, 7, 90) * 24 * 3600_000).toISOString().slice(0, 10),
            status,
            wont_do_reason: status === "wont_do" ? "Superseded by a broader gate." : null,
            gate_id: chance(random, 0.5) ? pick(random, gateIds) : null,
            evidence_url: status === "verified" ? `https://github.com/acme/${c.service}/actions/runs/${between(random, 1e6, 9e6)}` : null,
            evidence_note: status === "verified" ? "Check run seen on the default branch." : null,
            verified_at: status === "verified" ? written : null,
            done_at: closed ? written : null,
            created_by: user.id,
            created_at: written,
            updated_at: written,
          });
          counts.actions += 1;
          budget -= 1;
        }
      }
    }
    await insertBatches(db, "incidents", incidents);
    await insertBatches(db, "incident_areas", incidentAreas);
    await insertBatches(db, "postmortems", postmortems, 100);
    await insertBatches(db, "postmortem_revisions", revisions, 100);
    await insertBatches(db, "contributing_factors", factors);
    await insertBatches(db, "guardrail_actions", actions);
    log(`records: ${total - budget} of ${total}`);
  }

  const counters = [
    { kind: "incident", last_number: incidentNumber },
    { kind: "action", last_number: actionNumber },
    { kind: "adr", last_number: perKind.adr },
    { kind: "rfc", last_number: perKind.rfc },
  ].filter((c) => c.last_number > 0);
  if (counters.length) await db.insertInto("workspace_counters").values(counters.map((c) => ({ workspace_id: workspaceId, ...c }))).execute();
  await db
    .insertInto("audit_events")
    .values({ workspace_id: workspaceId, actor_id: user.id, action: "workspace.seeded", entity_type: "workspace", entity_id: workspaceId, change: JSON.stringify({ scale: total, ...counts }) })
    .execute();
  log("building search documents…");
  const indexed = await domain.rebuildSearch(db, workspaceId);
  // Fresh statistics, so the planner sees the new rows before autovacuum would.
  await sql`analyze`.execute(db);
  return { slug, created: true, counts: { ...counts, searchDocuments: indexed }, seconds: (Date.now() - started) / 1000 };
}

async function demoUser(db: Db, domain: ScaleDomain): Promise<Actor> {
  const find = () => db.selectFrom("users").select(["id", "email", "display_name"]).where("email", "=", DEMO_USER.email).executeTakeFirst();
  const found = await find();
  if (found) return found;
  const signedUp = await domain.signUp(db, DEMO_USER);
  if (!signedUp.ok) throw new Error("demo user refused");
  return (await find())!;
}

async function insertGates(db: Db, workspaceId: string, userId: string, random: () => number): Promise<string[]> {
  const names = ["migration dry run", "config key diff", "contract tests", "canary analysis", "CODEOWNERS for billing", "SAST", "dependency review", "load test", "SLO burn alert", "rollback rehearsal"];
  const rows = names.map((name, i) => ({
    id: randomUUID(),
    workspace_id: workspaceId,
    name: `${name[0]!.toUpperCase()}${name.slice(1)}`,
    kind: pick(random, ["ci_check", "test_suite", "lint_rule", "alert"] as const),
    repository: "acme/platform",
    check_name: `gate-${i + 1}`,
    tiers: JSON.stringify(["T2", "T3"]),
    status: chance(random, 0.7) ? ("enforced" as const) : ("proposed" as const),
    created_by: userId,
  }));
  await db.insertInto("gates").values(rows).execute();
  return rows.map((r) => r.id);
}

async function insertBatches<T extends keyof Database & string>(db: Db, table: T, rows: Insertable<Database[T]>[], size = BATCH): Promise<void> {
  for (let i = 0; i < rows.length; i += size) {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- one helper for every table
    await db.insertInto(table).values(rows.slice(i, i + size) as any).execute();
  }
}
