/**
 * Every insights number equals a direct count: a small workspace with known times, its rows read
 * back plainly, the definitions of rules.ts applied to them in JavaScript, compared with what the
 * SQL aggregates answer. A few answers are also written out by hand.
 */
import { sql } from "kysely";
import { beforeAll, expect, test } from "vitest";
import type { Db } from "#db/connection";
import type { FactorCategory, Severity, TierKey } from "#db/schema";
import type { PublicUser } from "~/domain/accounts/index.server";
import { clearInsightsCache, currentInsightsReport, type InsightsReport, insightsReport, insightsTables, overviewHeadline, parseInsightsFilters } from "~/domain/insights/index.server";
import {
  daysBetween,
  isFlaggedRecurrence,
  median,
  p90,
  GATE_STATE_ORDER,
  periodEnds,
  periodStart,
  timelinessBucket,
  unpublishedAfter,
} from "~/domain/insights/rules";
import { boardFilters } from "~/domain/guardrails/rules";
import { GateFilters, parseBoardView } from "~/domain/guardrails/forms";
import { boardTotals, listGates } from "~/domain/guardrails/index.server";
import { describeEachEngine } from "../support/databases";
import { makeUser, makeWorkspace } from "../support/factories";
import { makeAction, makeFactor, makePostmortem } from "../support/guardrails";
import { makeIncident } from "../support/incidents";

const NOW = new Date("2026-01-20T12:00:00Z");
const t = (iso: string) => new Date(iso);
const minutes = (from: string, m: number) => new Date(t(from).getTime() + m * 60_000);
const close = (a: number | null, b: number | null) => (a === null || b === null ? expect(a).toBe(b) : expect(a).toBeCloseTo(b, 6));

describeEachEngine("insights", (testDb) => {
  let db: Db;
  let actor: PublicUser;
  let workspaceId: string;
  let slug: string;
  let area: Record<string, string>;

  async function incident(started: string, severity: Severity, tier: TierKey, areas: string[], times: { detect?: number; mitigate?: number; resolve?: number }, postmortem: boolean) {
    const input = {
      startedAt: t(started),
      severity,
      tier,
      areaIds: areas.map((a) => area[a]!),
      detectedAt: times.detect === undefined ? null : minutes(started, times.detect),
      mitigatedAt: times.mitigate === undefined ? null : minutes(started, times.mitigate),
      resolvedAt: times.resolve === undefined ? null : minutes(started, times.resolve),
      status: times.resolve === undefined ? ("investigating" as const) : ("resolved" as const),
    };
    return postmortem ? makePostmortem(db, actor, workspaceId, input) : (await makeIncident(db, actor, workspaceId, input)).number;
  }

  async function publish(number: number, at: string) {
    const inc = await db.selectFrom("incidents").select("id").where("workspace_id", "=", workspaceId).where("number", "=", number).executeTakeFirstOrThrow();
    await db.updateTable("postmortems").set({ status: "published", published_at: t(at), published_by: actor.id }).where("incident_id", "=", inc.id).execute();
  }

  /** An action with its history written as it would have happened (the domain stamps "now"). */
  async function action(factorId: string, history: { created: string; due?: string; done?: string; verified?: string; byPerson?: boolean; status: "open" | "in_progress" | "done" | "verified" | "wont_do"; gateId?: string }) {
    const number = await makeAction(db, actor, workspaceId, factorId, { dueOn: history.due ?? null, gateId: history.gateId ?? null });
    await db
      .updateTable("guardrail_actions")
      .set({
        status: history.status,
        // created_at is the database's own stamp in the schema type; a fixture writes history.
        created_at: t(history.created) as never,
        updated_at: t(history.verified ?? history.done ?? history.created),
        done_at: history.done ? t(history.done) : null,
        verified_at: history.verified ? t(history.verified) : null,
        verified_by: history.verified && history.byPerson ? actor.id : null,
        evidence_note: history.verified ? "Check run seen on main." : null,
        wont_do_reason: history.status === "wont_do" ? "Covered elsewhere." : null,
      })
      .where("workspace_id", "=", workspaceId)
      .where("number", "=", number)
      .execute();
  }

  async function pullRequest(incidentNumber: number, n: number, role: "trigger" | "fix" | "related", assisted: "yes" | "no" | "unknown") {
    const inc = await db.selectFrom("incidents").select("id").where("workspace_id", "=", workspaceId).where("number", "=", incidentNumber).executeTakeFirstOrThrow();
    const pr = await db
      .insertInto("pull_requests")
      .values({ workspace_id: workspaceId, repository: "acme/shop", number: n, url: `https://github.com/acme/shop/pull/${n}`, assisted })
      .returning("id")
      .executeTakeFirstOrThrow();
    await db.insertInto("incident_pull_requests").values({ incident_id: inc.id, pull_request_id: pr.id, role }).execute();
  }

  beforeAll(async () => {
    db = testDb();
    actor = await makeUser(db, "Insights Admin");
    const ws = await makeWorkspace(db, actor);
    workspaceId = ws.id;
    slug = ws.slug;
    const areas = await db.selectFrom("areas").select(["id", "slug"]).where("workspace_id", "=", workspaceId).execute();
    area = Object.fromEntries(areas.map((a) => [a.slug, a.id]));
    const [auth, billing] = Object.keys(area).sort();
    await db.insertInto("area_maintainers").values({ area_id: area[auth!]!, user_id: actor.id }).execute();

    // The previous period (for trends) and the range 1 Dec 2025 – 19 Jan 2026, across New Year.
    await incident("2025-11-01T10:00:00Z", "SEV2", "T2", [auth!], { detect: 40, mitigate: 120, resolve: 180 }, false);
    const i1 = await incident("2025-12-03T10:00:00Z", "SEV1", "T2", [auth!], { detect: 10, mitigate: 60, resolve: 120 }, true);
    const i2 = await incident("2025-12-30T08:00:00Z", "SEV2", "T2", [auth!, billing!], { detect: 30, mitigate: 90, resolve: 180 }, true);
    const i3 = await incident("2026-01-02T09:00:00Z", "SEV3", "T1", [billing!], { detect: 5 }, true);
    const i4 = await incident("2026-01-15T09:00:00Z", "SEV2", "T3", [], { detect: 20, mitigate: 40, resolve: 60 }, true);
    await incident("2026-01-25T09:00:00Z", "SEV1", "T2", [auth!], { detect: 1 }, false); // after the range

    const gate = await db
      .insertInto("gates")
      .values({ workspace_id: workspaceId, name: "Migration dry run", kind: "ci_check", tiers: JSON.stringify(["T2", "T3"]), status: "enforced", created_by: actor.id })
      .returning("id")
      .executeTakeFirstOrThrow();
    await db.insertInto("gates").values({ workspace_id: workspaceId, name: "Owner review", kind: "codeowners", tiers: JSON.stringify(["T1"]), status: "proposed", created_by: actor.id }).execute();
    // Gates no factor names, one per piece of evidence (they count in the gate chart only).
    for (const [name, status, state, tiers] of [
      ["Contract tests", "enforced", "enforced", ["T2"]],
      ["Lint on main", "enforced", "stale", ["T1"]],
      ["SAST", "enforced", "regressed", ["T2", "T3"]],
      ["Old smoke test", "retired", "enforced", ["T2"]],
    ] as const) {
      await db.insertInto("gates").values({ workspace_id: workspaceId, name, kind: "ci_check", tiers: JSON.stringify(tiers), status, state, created_by: actor.id }).execute();
    }

    const f1 = await makeFactor(db, actor, workspaceId, i1, { category: "missing_test", gates: [{ gateId: gate.id, involvement: "missing" }] });
    const f2 = await makeFactor(db, actor, workspaceId, i2, { category: "missing_test" });
    const f3 = await makeFactor(db, actor, workspaceId, i2, { category: "review_gap" });
    await makeFactor(db, actor, workspaceId, i3, { category: "observability_gap" });
    await makeFactor(db, actor, workspaceId, i4, { category: "observability_gap" });
    const f6 = await makeFactor(db, actor, workspaceId, i4, { category: "assisted_change_unverified" });

    await action(f1, { created: "2025-12-04T09:00:00Z", done: "2025-12-10T09:00:00Z", verified: "2025-12-12T09:00:00Z", status: "verified", gateId: gate.id });
    await action(f2, { created: "2025-12-31T09:00:00Z", due: "2026-01-05", status: "open" });
    await action(f3, { created: "2026-01-01T09:00:00Z", verified: "2026-01-08T09:00:00Z", byPerson: true, status: "verified" });
    await action(f6, { created: "2026-01-16T09:00:00Z", due: "2026-02-01", status: "in_progress" });
    await action(f6, { created: "2025-12-20T09:00:00Z", status: "wont_do" });

    await publish(i1, "2025-12-05T12:00:00Z"); // 2.1 days after resolution
    await publish(i4, "2026-01-15T20:00:00Z"); // within a day
    await pullRequest(i1, 1, "trigger", "no");
    await pullRequest(i1, 2, "related", "yes");
    await pullRequest(i2, 3, "trigger", "yes");
    await pullRequest(i4, 4, "fix", "unknown");
  });

  const filters = () => parseInsightsFilters(new URLSearchParams("range=custom&from=2025-12-01&to=2026-01-19"), "2026-01-20");

  async function direct() {
    const incidents = await db
      .selectFrom("incidents")
      .select(["id", "number", "severity", "tier", "started_at", "detected_at", "mitigated_at", "resolved_at"])
      .where("workspace_id", "=", workspaceId)
      .execute();
    const links = await db.selectFrom("incident_areas").innerJoin("areas", "areas.id", "incident_areas.area_id").select(["incident_id", "areas.slug"]).where("areas.workspace_id", "=", workspaceId).execute();
    const postmortems = await db.selectFrom("postmortems").select(["incident_id", "status", "published_at"]).where("workspace_id", "=", workspaceId).execute();
    const factors = await db
      .selectFrom("contributing_factors")
      .innerJoin("postmortems", "postmortems.id", "contributing_factors.postmortem_id")
      .select(["contributing_factors.id", "contributing_factors.category", "postmortems.incident_id"])
      .where("contributing_factors.workspace_id", "=", workspaceId)
      .execute();
    const actions = await db.selectFrom("guardrail_actions").selectAll().where("workspace_id", "=", workspaceId).execute();
    const prs = await db
      .selectFrom("incident_pull_requests")
      .innerJoin("pull_requests", "pull_requests.id", "incident_pull_requests.pull_request_id")
      .select(["incident_id", "role", "assisted", "pull_requests.id"])
      .where("pull_requests.workspace_id", "=", workspaceId)
      .execute();
    return { incidents, links, postmortems, factors, actions, prs };
  }

  let report: InsightsReport;
  let rows: Awaited<ReturnType<typeof direct>>;
  beforeAll(async () => {
    report = await insightsReport(db, workspaceId, filters(), NOW);
    rows = await direct();
  });

  const inRange = (d: Date | null) => d !== null && d >= report.bounds.start && d < report.bounds.end;

  test("incidents over time, per week across New Year, by severity", () => {
    const expected = new Map<string, number>();
    for (const i of rows.incidents.filter((i) => inRange(i.started_at))) {
      const key = `${periodStart(i.started_at, "week")}|${i.severity}`;
      expected.set(key, (expected.get(key) ?? 0) + 1);
    }
    expect(new Map(report.incidents.map((r) => [`${r.period}|${r.severity}`, r.incidents]))).toEqual(expected);
    // By hand: 30 Dec 2025 and 2 Jan 2026 fall in the week of Monday 29 Dec.
    expect(report.incidents.filter((r) => r.period === "2025-12-29").map((r) => r.severity)).toEqual(["SEV2", "SEV3"]);
    expect(report.bounds.grain).toBe("week");
  });

  test("time to detect and mitigate per tier and per area, with the previous period", () => {
    const previousStart = report.bounds.previousStart;
    for (const row of report.response.byTier) {
      const current = rows.incidents.filter((i) => i.tier === row.key && inRange(i.started_at));
      const previous = rows.incidents.filter((i) => i.tier === row.key && i.started_at >= previousStart && i.started_at < report.bounds.start);
      const detect = (list: typeof current) => list.filter((i) => i.detected_at).map((i) => (i.detected_at!.getTime() - i.started_at.getTime()) / 60_000);
      const mitigate = (list: typeof current) => list.filter((i) => i.mitigated_at).map((i) => (i.mitigated_at!.getTime() - i.started_at.getTime()) / 60_000);
      expect(row.incidents).toBe(current.length);
      close(row.detectMedian, median(detect(current)));
      close(row.detectP90, p90(detect(current)));
      close(row.mitigateMedian, median(mitigate(current)));
      close(row.mitigateP90, p90(mitigate(current)));
      expect(row.previousIncidents).toBe(previous.length);
      close(row.previousDetectMedian, median(detect(previous)));
    }
    const t2 = report.response.byTier.find((r) => r.key === "T2")!;
    expect([t2.incidents, t2.detectMedian, t2.detectP90, t2.previousDetectMedian]).toEqual([2, 20, 28, 40]);
    for (const row of report.response.byArea) {
      const ids = new Set(rows.links.filter((l) => l.slug === row.key).map((l) => l.incident_id));
      expect(row.incidents).toBe(rows.incidents.filter((i) => ids.has(i.id) && inRange(i.started_at)).length);
    }
  });

  test("postmortem timeliness and the share unpublished after 7 and 30 days", () => {
    const resolved = rows.incidents.filter((i) => inRange(i.resolved_at));
    const published = (id: string) => rows.postmortems.find((p) => p.incident_id === id && p.status === "published")?.published_at ?? null;
    const buckets = new Map<string, number>();
    for (const i of resolved) {
      const p = published(i.id);
      const key = timelinessBucket(p ? daysBetween(i.resolved_at!, p) : null);
      buckets.set(key, (buckets.get(key) ?? 0) + 1);
    }
    expect(new Map(report.timeliness.buckets.filter((b) => b.postmortems > 0).map((b) => [b.key, b.postmortems]))).toEqual(buckets);
    const after = (n: number) => resolved.map((i) => unpublishedAfter(i.resolved_at!, published(i.id), n, NOW)).filter((v) => v !== null);
    expect([report.timeliness.eligible7, report.timeliness.unpublished7]).toEqual([after(7).length, after(7).filter(Boolean).length]);
    expect([report.timeliness.eligible30, report.timeliness.unpublished30]).toEqual([after(30).length, after(30).filter(Boolean).length]);
    // By hand: INC 1 published in 2.1 days, INC 2 not at all, INC 4 within a day (resolved 5 days before now).
    expect(report.timeliness.buckets.map((b) => b.postmortems)).toEqual([1, 1, 0, 0, 0, 0, 1]);
    expect([report.timeliness.eligible7, report.timeliness.unpublished7]).toEqual([2, 1]);
  });

  test("factors by category over time, with recurrence", () => {
    const scoped = rows.factors.filter((f) => inRange(rows.incidents.find((i) => i.id === f.incident_id)!.started_at));
    const counts = new Map<string, number>();
    for (const f of scoped) {
      const key = `${periodStart(rows.incidents.find((i) => i.id === f.incident_id)!.started_at, "week")}|${f.category}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(new Map(report.factors.byPeriod.map((r) => [`${r.period}|${r.category}`, r.factors]))).toEqual(counts);
    for (const c of report.factors.categories) {
      const mine = scoped.filter((f) => f.category === c.category);
      expect(c.incidents).toBe(new Set(mine.map((f) => f.incident_id)).size);
      expect(c.verifiedActions).toBe(rows.actions.filter((a) => a.status === "verified" && mine.some((f) => f.id === a.factor_id)).length);
    }
    const flagged = report.factors.categories.filter((c) => isFlaggedRecurrence(c.incidents, c.verifiedActions)).map((c) => c.category);
    expect(flagged).toEqual<FactorCategory[]>(["observability_gap"]);
  });

  test("actions flow, verification and the backlog read at each period's end", () => {
    const { grain, start, end } = report.bounds;
    const opened = new Map<string, number>();
    const done = new Map<string, number>();
    const verified = new Map<string, number>();
    const bump = (m: Map<string, number>, d: Date) => m.set(periodStart(d, grain), (m.get(periodStart(d, grain)) ?? 0) + 1);
    for (const a of rows.actions) {
      if (inRange(a.created_at)) bump(opened, a.created_at);
      if (inRange(a.done_at)) bump(done, a.done_at!);
      if (a.status === "verified" && inRange(a.verified_at)) bump(verified, a.verified_at!);
    }
    for (const r of report.flow.byPeriod) {
      expect([r.opened, r.done, r.verified], r.period).toEqual([opened.get(r.period) ?? 0, done.get(r.period) ?? 0, verified.get(r.period) ?? 0]);
    }
    const v = rows.actions.filter((a) => a.status === "verified" && inRange(a.verified_at));
    expect(report.flow.verified).toBe(v.length);
    expect(report.flow.verifiedByGate).toBe(v.filter((a) => a.verified_by === null).length);
    expect(report.flow.verifiedByPerson).toBe(v.filter((a) => a.verified_by !== null).length);
    close(report.flow.medianDaysToVerified, median(v.map((a) => daysBetween(a.created_at, a.verified_at!))));
    expect(report.flow.medianDaysToVerified).toBe(7.5); // 8 days and 7 days

    const closedAt = (a: (typeof rows.actions)[number]) =>
      a.status === "open" || a.status === "in_progress" ? null : a.status === "wont_do" ? a.updated_at : [a.done_at, a.verified_at].filter((d): d is Date => d !== null).sort((x, y) => +x - +y)[0]!;
    const readings = periodEnds(start, end, grain);
    expect(report.flow.backlog.map((r) => r.period)).toEqual(readings.map((r) => r.period));
    for (const [k, reading] of readings.entries()) {
      const open = rows.actions.filter((a) => a.created_at < reading.at && (closedAt(a) === null || closedAt(a)! >= reading.at));
      // Overdue as the board says it on the period's last day: due before that day.
      const lastDay = new Date(reading.at.getTime() - 86_400_000).toISOString().slice(0, 10);
      const overdue = open.filter((a) => a.due_on !== null && a.due_on < lastDay);
      expect([report.flow.backlog[k]!.open, report.flow.backlog[k]!.overdue], reading.period).toEqual([open.length, overdue.length]);
    }
    // By hand, at the range's end: ACT-2 (overdue since 6 Jan) and ACT-4 are open.
    expect(report.flow.backlog.at(-1)).toMatchObject({ open: 2, overdue: 1 });
  });

  test("gates, assisted changes and area health", async () => {
    // The gate chart counts what the evidence says, as the gates table holds it.
    const gateRows = await db.selectFrom("gates").select(["status", "state", "tiers"]).where("workspace_id", "=", workspaceId).execute();
    const direct = (rowsOf: typeof gateRows) => ({
      byState: Object.fromEntries(GATE_STATE_ORDER.map((state) => [state, rowsOf.filter((g) => g.status !== "retired" && g.state === state).length])),
      retired: rowsOf.filter((g) => g.status === "retired").length,
    });
    expect(report.gates).toEqual(direct(gateRows));
    expect(report.gates).toEqual({ byState: { enforced: 1, required_not_seen: 0, seen_not_required: 0, stale: 1, regressed: 1, proposed: 2 }, retired: 1 });
    const t2 = await insightsReport(db, workspaceId, parseInsightsFilters(new URLSearchParams("range=custom&from=2025-12-01&to=2026-01-19&tier=T2"), "2026-01-20"), NOW);
    expect(t2.gates).toEqual(direct(gateRows.filter((g) => (g.tiers as string[]).includes("T2"))));
    for (const row of report.assisted) {
      const incidents = rows.incidents.filter((i) => i.tier === row.tier && inRange(i.started_at));
      const ids = new Set(incidents.map((i) => i.id));
      const links = rows.prs.filter((p) => ids.has(p.incident_id));
      const triggers = links.filter((p) => p.role === "trigger");
      expect(row).toEqual({
        tier: row.tier,
        incidents: incidents.length,
        withTrigger: new Set(triggers.map((p) => p.incident_id)).size,
        assistedTrigger: new Set(triggers.filter((p) => p.assisted === "yes").map((p) => p.incident_id)).size,
        linkedPullRequests: new Set(links.map((p) => p.id)).size,
        assistedPullRequests: new Set(links.filter((p) => p.assisted === "yes").map((p) => p.id)).size,
      });
    }
    expect(report.assisted.find((r) => r.tier === "T2")).toMatchObject({ withTrigger: 2, assistedTrigger: 1, linkedPullRequests: 3, assistedPullRequests: 2 });

    for (const row of report.areas) {
      const ids = new Set(rows.links.filter((l) => l.slug === row.slug).map((l) => l.incident_id));
      const areaFactors = rows.factors.filter((f) => ids.has(f.incident_id));
      const areaActions = rows.actions.filter((a) => areaFactors.some((f) => f.id === a.factor_id));
      const open = areaActions.filter((a) => a.status === "open" || a.status === "in_progress");
      const categories = new Set(areaFactors.map((f) => f.category));
      const recurring = [...categories].filter((c) => {
        const fs = areaFactors.filter((f) => f.category === c);
        const verifiedActions = areaActions.filter((a) => a.status === "verified" && fs.some((f) => f.id === a.factor_id)).length;
        return isFlaggedRecurrence(new Set(fs.map((f) => f.incident_id)).size, verifiedActions);
      });
      expect(row.incidents).toBe(rows.incidents.filter((i) => ids.has(i.id) && inRange(i.started_at)).length);
      expect(row.openActions).toBe(open.length);
      expect(row.overdueActions).toBe(open.filter((a) => a.due_on !== null && a.due_on < "2026-01-20").length);
      expect(row.recurringFactors).toBe(recurring.length);
    }
    const [auth, billing] = Object.keys(area).sort();
    // The enforced gate was never seen and is named by an auth factor and action; auth has the one maintainer.
    expect(report.areas.find((a) => a.slug === auth)).toMatchObject({ incidents: 2, unverifiedGates: 1, maintainers: 1 });
    expect(report.areas.find((a) => a.slug === billing)).toMatchObject({ incidents: 2, openActions: 1, overdueActions: 1, maintainers: 0 });
  });

  test("filters narrow every chart; an empty range answers zeros, not errors", async () => {
    const t3 = await insightsReport(db, workspaceId, parseInsightsFilters(new URLSearchParams("range=custom&from=2025-12-01&to=2026-01-19&tier=T3"), "2026-01-20"), NOW);
    expect(t3.incidents).toEqual([{ period: "2026-01-12", severity: "SEV2", incidents: 1 }]);
    // INC 4 (T3) has two actions, both opened in the range.
    expect(t3.flow.byPeriod.reduce((sum, r) => sum + r.opened, 0)).toBe(2);
    const empty = await insightsReport(db, workspaceId, parseInsightsFilters(new URLSearchParams("range=custom&from=2020-01-01&to=2020-01-31"), "2026-01-20"), NOW);
    expect(empty.incidents).toEqual([]);
    expect(empty.response.byTier).toEqual([]);
    expect(empty.flow.medianDaysToVerified).toBeNull();
    expect(empty.flow.backlog.every((r) => r.open === 0)).toBe(true);
    const tables = insightsTables(empty, slug);
    expect(tables.incidents.rows.every((r) => r.at(-1) === 0)).toBe(true);
  });

  test("the tables say the same numbers, and link into lists the app already filters", () => {
    const tables = insightsTables(report, slug);
    const total = report.incidents.reduce((sum, r) => sum + r.incidents, 0);
    expect(tables.incidents.rows.reduce((sum, r) => sum + Number(r.at(-1)), 0)).toBe(total);
    expect(tables.incidents.rowLinks[0]).toBe(`/w/${slug}/incidents?from=2025-12-01&to=2025-12-07`);
    // The range ends before today: the board (actions as they are now) is offered for today's backlog, not as the reading.
    expect(tables.backlog.list.href).toBe(`/w/${slug}/guardrails`);
    expect(tables.backlog.rowLinks.every((l) => l === null)).toBe(true);
    expect(tables.flow.rowLinks[0]).toBe(`/w/${slug}/guardrails?status=all&from=2025-12-01&to=2025-12-07`);
    expect(tables.flow.seriesLinks!.done![0]).toBe(`/w/${slug}/guardrails?status=all&dates=done&from=2025-12-01&to=2025-12-07`);
    expect(tables.verification.rowLinks).toEqual([
      `/w/${slug}/guardrails?status=verified&dates=verified&from=2025-12-01&to=2026-01-19&verifiedBy=gate`,
      `/w/${slug}/guardrails?status=verified&dates=verified&from=2025-12-01&to=2026-01-19&verifiedBy=person`,
    ]);
    expect(tables.gates.rowLinks[0]).toBe(`/w/${slug}/gates?state=enforced`);
    expect(tables.gates.rowLinks.at(-1)).toBe(`/w/${slug}/gates?status=retired`);
  });

  test("the links into the board and the gate list list exactly what the charts count", async () => {
    const tables = insightsTables(report, slug);
    const listed = async (href: string | null) => {
      const url = new URL(href!, "http://app.test");
      return (await boardTotals(db, workspaceId, boardFilters(parseBoardView(url.searchParams), actor.id), "2026-01-20")).total;
    };
    for (const [i, r] of report.flow.byPeriod.entries()) {
      expect(await listed(tables.flow.seriesLinks!.opened![i]!), r.period).toBe(r.opened);
      expect(await listed(tables.flow.seriesLinks!.done![i]!), r.period).toBe(r.done);
      expect(await listed(tables.flow.seriesLinks!.verified![i]!), r.period).toBe(r.verified);
    }
    expect(await listed(tables.verification.rowLinks[0]!)).toBe(report.flow.verifiedByGate);
    expect(await listed(tables.verification.rowLinks[1]!)).toBe(report.flow.verifiedByPerson);
    expect(await listed(tables.flow.list.href)).toBe(report.flow.byPeriod.reduce((sum, r) => sum + r.opened, 0));
    // A range ending today: the last reading of the backlog is the board's open and overdue today.
    const today = await insightsReport(db, workspaceId, parseInsightsFilters(new URLSearchParams("range=90"), "2026-01-20"), NOW);
    const todayTables = insightsTables(today, slug);
    expect(await listed(todayTables.backlog.seriesLinks!.open!.at(-1)!)).toBe(today.flow.backlog.at(-1)!.open);
    expect(await listed(todayTables.backlog.seriesLinks!.overdue!.at(-1)!)).toBe(today.flow.backlog.at(-1)!.overdue);
    for (const [i, a] of report.areas.entries()) expect(await listed(tables.areas.rowLinks[i]!), a.slug).toBe(a.openActions);
    // Narrowed by tier: the links carry it, and the board applies it.
    const t2 = await insightsReport(db, workspaceId, parseInsightsFilters(new URLSearchParams("range=custom&from=2025-12-01&to=2026-01-19&tier=T2"), "2026-01-20"), NOW);
    const t2Tables = insightsTables(t2, slug);
    expect(await listed(t2Tables.flow.list.href)).toBe(t2.flow.byPeriod.reduce((sum, r) => sum + r.opened, 0));
    for (const [i, row] of t2Tables.gates.rows.entries()) {
      const url = new URL(t2Tables.gates.rowLinks[i]!, "http://app.test");
      const gates = await listGates(db, workspaceId, GateFilters.parse(Object.fromEntries(url.searchParams)));
      expect(gates.length, String(row[0])).toBe(row[1]);
    }
  });

  test("a kept report is used only while nothing in the workspace changed", async () => {
    clearInsightsCache();
    const f = filters();
    const first = await currentInsightsReport(db, workspaceId, f, NOW);
    expect(first.cached).toBe(false);
    const again = await currentInsightsReport(db, workspaceId, f, new Date(NOW.getTime() + 1000));
    expect(again).toMatchObject({ cached: true });
    expect(again.report).toBe(first.report);
    // Another day, other filters: computed.
    expect((await currentInsightsReport(db, workspaceId, f, new Date(NOW.getTime() + 86_400_000))).cached).toBe(false);
    // A change (here a new action, audited in its transaction) means the next request computes again, with it.
    const opened = first.report.flow.byPeriod.reduce((sum, r) => sum + r.opened, 0);
    const factor = await db.selectFrom("contributing_factors").select("id").where("workspace_id", "=", workspaceId).executeTakeFirstOrThrow();
    const number = await makeAction(db, actor, workspaceId, factor.id);
    await sql`update guardrail_actions set created_at = ${t("2026-01-10T09:00:00Z")} where workspace_id = ${workspaceId} and number = ${number}`.execute(db);
    const after = await currentInsightsReport(db, workspaceId, f, new Date(NOW.getTime() + 2000));
    expect(after.cached).toBe(false);
    expect(after.report.flow.byPeriod.reduce((sum, r) => sum + r.opened, 0)).toBe(opened + 1);
    // And after a minute it is computed again even when nothing changed.
    expect((await currentInsightsReport(db, workspaceId, f, new Date(NOW.getTime() + 3000))).cached).toBe(true);
    expect((await currentInsightsReport(db, workspaceId, f, new Date(NOW.getTime() + 70_000))).cached).toBe(false);
    await db.deleteFrom("guardrail_actions").where("workspace_id", "=", workspaceId).where("number", "=", number).execute();
    clearInsightsCache();
  });

  test("the overview's headline numbers", async () => {
    const headline = await overviewHeadline(db, workspaceId, NOW);
    // Overdue today: ACT-2. Verified in the last 90 days: 8 and 7 days. Flagged: observability gap.
    expect(headline).toEqual({ overdueActions: 1, medianDaysToVerified: 7.5, flaggedRecurrences: 1 });
  });
});
