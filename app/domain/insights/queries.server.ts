/**
 * The insights page's numbers, each one SQL aggregate over the workspace's rows (nothing is
 * loaded row by row into Node). Definitions live in rules.ts; docs/domain.md ("Insights") says
 * them in words. Every query is scoped to one workspace.
 */
import camelcaseKeys, { type CamelCaseKeys } from "camelcase-keys";
import { sql, type RawBuilder } from "kysely";
import type { Db } from "#db/connection";
import type { FactorCategory, GateState, Severity, TierKey } from "#db/schema";
import { GATE_STATE_ORDER, isoDay, periodEnds, rangeBounds, TIMELINESS_BUCKETS, type Grain, type InsightsFilters, type RangeBounds } from "./rules";

type Scope = Pick<InsightsFilters, "areas" | "tier" | "severity">;

/** The bucket key of a timestamp: its period's first day, "YYYY-MM-DD", in UTC. */
function periodOf(column: RawBuilder<unknown>, grain: Grain) {
  return sql<string>`to_char(date_trunc(${sql.lit(grain)}, ${column} at time zone 'UTC'), 'YYYY-MM-DD')`;
}

/** The incident filters (tier, severity, areas) on an incident aliased `i`. */
function incidentScope(workspaceId: string, scope: Scope) {
  const parts = [sql`i.workspace_id = ${workspaceId}`];
  if (scope.tier) parts.push(sql`i.tier = ${scope.tier}`);
  if (scope.severity) parts.push(sql`i.severity = ${scope.severity}`);
  if (scope.areas.length) {
    parts.push(
      sql`exists (select 1 from incident_areas ia join areas a on a.id = ia.area_id where ia.incident_id = i.id and a.slug in (${sql.join(scope.areas)}))`,
    );
  }
  return sql.join(parts, sql` and `);
}

const minutesBetween = (from: string, to: string) => sql.raw(`extract(epoch from (${to} - ${from}))::float8 / 60`);

// ---------------------------------------------------------------------------------------------
// Response

export type IncidentsByPeriod = { period: string; severity: Severity; incidents: number }[];

/** 1. Incidents started in the range, per period and severity. */
export async function incidentsOverTime(db: Db, workspaceId: string, filters: InsightsFilters, bounds = rangeBounds(filters)): Promise<IncidentsByPeriod> {
  const { rows } = await sql<{ period: string; severity: Severity; incidents: number }>`
    select ${periodOf(sql`i.started_at`, bounds.grain)} as period, i.severity, count(*)::int as incidents
    from incidents i
    where ${incidentScope(workspaceId, filters)} and i.started_at >= ${bounds.start} and i.started_at < ${bounds.end}
    group by 1, 2
    order by 1, 2`.execute(db);
  return rows;
}

type ResponseRow = {
  key: string;
  label: string;
  incidents: number;
  detect_median: number | null;
  detect_p90: number | null;
  mitigate_median: number | null;
  mitigate_p90: number | null;
  previous_incidents: number;
  previous_detect_median: number | null;
  previous_mitigate_median: number | null;
};

/** Medians and p90s of one tier or area, in minutes; previous* are the period before, for the trend. */
export type ResponseTimes = CamelCaseKeys<ResponseRow>;

function responseAggregates(bounds: RangeBounds) {
  const detect = minutesBetween("i.started_at", "i.detected_at");
  const mitigate = minutesBetween("i.started_at", "i.mitigated_at");
  const current = sql`i.started_at >= ${bounds.start}`;
  const previous = sql`i.started_at < ${bounds.start}`;
  return sql`
    count(*) filter (where ${current})::int as incidents,
    percentile_cont(0.5) within group (order by ${detect}) filter (where ${current} and i.detected_at is not null) as detect_median,
    percentile_cont(0.9) within group (order by ${detect}) filter (where ${current} and i.detected_at is not null) as detect_p90,
    percentile_cont(0.5) within group (order by ${mitigate}) filter (where ${current} and i.mitigated_at is not null) as mitigate_median,
    percentile_cont(0.9) within group (order by ${mitigate}) filter (where ${current} and i.mitigated_at is not null) as mitigate_p90,
    count(*) filter (where ${previous})::int as previous_incidents,
    percentile_cont(0.5) within group (order by ${detect}) filter (where ${previous} and i.detected_at is not null) as previous_detect_median,
    percentile_cont(0.5) within group (order by ${mitigate}) filter (where ${previous} and i.mitigated_at is not null) as previous_mitigate_median`;
}

/**
 * 2. Time to detect (started → detected) and to mitigate (started → mitigated), in minutes:
 * median and p90 per tier and per area over the range, and the medians over the previous
 * period of equal length, for the trend.
 */
export async function responseTimes(db: Db, workspaceId: string, filters: InsightsFilters, bounds = rangeBounds(filters)) {
  const window = sql`i.started_at >= ${bounds.previousStart} and i.started_at < ${bounds.end}`;
  const [byTier, byArea] = await Promise.all([
    sql<ResponseRow>`
      select i.tier as key, i.tier as label, ${responseAggregates(bounds)}
      from incidents i
      where ${incidentScope(workspaceId, filters)} and ${window}
      group by i.tier
      order by i.tier`.execute(db),
    sql<ResponseRow>`
      select a.slug as key, a.name as label, ${responseAggregates(bounds)}
      from incidents i
      join incident_areas ia on ia.incident_id = i.id
      join areas a on a.id = ia.area_id
      where ${incidentScope(workspaceId, filters)} and ${window}
        ${filters.areas.length ? sql`and a.slug in (${sql.join(filters.areas)})` : sql``}
      group by a.slug, a.name
      order by a.name`.execute(db),
  ]);
  return { byTier: byTier.rows.map((row) => camelcaseKeys(row)), byArea: byArea.rows.map((row) => camelcaseKeys(row)) };
}

// ---------------------------------------------------------------------------------------------
// Learning

export type Timeliness = {
  buckets: { key: string; postmortems: number }[];
  resolved: number;
  medianDays: number | null;
  eligible7: number;
  unpublished7: number;
  eligible30: number;
  unpublished30: number;
};

/**
 * 3. For incidents resolved in the range: days from resolved to postmortem published, bucketed
 * (no postmortem or not yet published: "unpublished"); and of those resolved at least 7 (30)
 * days before `now`, how many had no published postmortem 7 (30) days after resolution.
 */
export async function postmortemTimeliness(db: Db, workspaceId: string, filters: InsightsFilters, now: Date, bounds = rangeBounds(filters)): Promise<Timeliness> {
  const days = sql.raw(`extract(epoch from (p.published_at - i.resolved_at))::float8 / 86400`);
  const finite = TIMELINESS_BUCKETS.filter((b) => Number.isFinite(b.upTo));
  const bucket = sql.join(
    finite.map((b) => sql`when ${days} <= ${sql.lit(b.upTo)} then ${sql.lit(b.key)}`),
    sql` `,
  );
  const scoped = sql`
    from incidents i
    left join postmortems p on p.incident_id = i.id and p.status = 'published'
    where ${incidentScope(workspaceId, filters)} and i.resolved_at >= ${bounds.start} and i.resolved_at < ${bounds.end}`;
  const late = (n: number) => sql`(p.published_at is null or p.published_at > i.resolved_at + interval '${sql.raw(String(n))} days')`;
  const due = (n: number) => sql`i.resolved_at + interval '${sql.raw(String(n))} days' <= ${now}`;
  const [buckets, totals] = await Promise.all([
    sql<{ key: string; postmortems: number }>`
      select case when p.published_at is null then 'unpublished' ${bucket} else ${sql.lit(TIMELINESS_BUCKETS.at(-1)!.key)} end as key, count(*)::int as postmortems
      ${scoped}
      group by 1`.execute(db),
    sql<{ resolved: number; median_days: number | null; eligible7: number; unpublished7: number; eligible30: number; unpublished30: number }>`
      select count(*)::int as resolved,
        percentile_cont(0.5) within group (order by ${days}) filter (where p.published_at is not null) as median_days,
        count(*) filter (where ${due(7)})::int as eligible7,
        count(*) filter (where ${due(7)} and ${late(7)})::int as unpublished7,
        count(*) filter (where ${due(30)})::int as eligible30,
        count(*) filter (where ${due(30)} and ${late(30)})::int as unpublished30
      ${scoped}`.execute(db),
  ]);
  const t = totals.rows[0]!;
  const counts = new Map(buckets.rows.map((b) => [b.key, b.postmortems]));
  return {
    buckets: [...TIMELINESS_BUCKETS.map((b) => b.key), "unpublished"].map((key) => ({ key, postmortems: counts.get(key) ?? 0 })),
    resolved: t.resolved,
    medianDays: t.median_days,
    eligible7: t.eligible7,
    unpublished7: t.unpublished7,
    eligible30: t.eligible30,
    unpublished30: t.unpublished30,
  };
}

export type FactorsOverTime = {
  byPeriod: { period: string; category: FactorCategory; factors: number }[];
  /** Per category named in the range: incidents naming it and its verified actions. */
  categories: { category: FactorCategory; incidents: number; verifiedActions: number }[];
};

/**
 * 4. Contributing factors of incidents started in the range, per period (of the incident's
 * start) and category; with, per category, the incidents naming it and its verified actions,
 * for recurrence.
 */
export async function factorsOverTime(db: Db, workspaceId: string, filters: InsightsFilters, bounds = rangeBounds(filters)): Promise<FactorsOverTime> {
  const scoped = sql`
    from incidents i
    join postmortems p on p.incident_id = i.id
    join contributing_factors f on f.postmortem_id = p.id
    left join guardrail_actions ga on ga.factor_id = f.id
    where f.workspace_id = ${workspaceId} and ${incidentScope(workspaceId, filters)}
      and i.started_at >= ${bounds.start} and i.started_at < ${bounds.end}`;
  const [byPeriod, categories] = await Promise.all([
    sql<{ period: string; category: FactorCategory; factors: number }>`
      select ${periodOf(sql`i.started_at`, bounds.grain)} as period, f.category, count(distinct f.id)::int as factors
      ${scoped}
      group by 1, 2
      order by 1, 2`.execute(db),
    sql<{ category: FactorCategory; incidents: number; verifiedActions: number }>`
      select f.category, count(distinct i.id)::int as incidents,
        count(ga.id) filter (where ga.status = 'verified')::int as "verifiedActions"
      ${scoped}
      group by f.category
      order by f.category`.execute(db),
  ]);
  return { byPeriod: byPeriod.rows, categories: categories.rows };
}

// ---------------------------------------------------------------------------------------------
// Follow-through

export type ActionFlow = {
  byPeriod: { period: string; opened: number; done: number; verified: number }[];
  verified: number;
  verifiedByGate: number;
  verifiedByPerson: number;
  medianDaysToVerified: number | null;
  backlog: { period: string; at: Date; open: number; overdue: number }[];
};

/** The actions of incidents matching the filters (actions are scoped by their incident). */
function actionScope(workspaceId: string, scope: Scope) {
  if (!scope.tier && !scope.severity && !scope.areas.length) return sql`ga.workspace_id = ${workspaceId}`;
  return sql`ga.workspace_id = ${workspaceId} and exists (select 1 from incidents i where i.id = ga.incident_id and ${incidentScope(workspaceId, scope)})`;
}

/** When an action left the open backlog: done, verified, or won't do (its last change). */
const CLOSED_AT = sql`case ga.status when 'open' then null when 'in_progress' then null when 'wont_do' then ga.updated_at else least(ga.done_at, ga.verified_at) end`;

/**
 * 5. Guardrail actions as a flow: opened (created), done and verified per period of the range;
 * the verified ones' median days from opened to verified and who verified them (a gate's run:
 * no person; a person's evidence); and the backlog read at the end of each period: open
 * (created, not yet done, verified or won't do) and overdue (open, and due before that day).
 */
export async function actionFlow(db: Db, workspaceId: string, filters: InsightsFilters, bounds = rangeBounds(filters)): Promise<ActionFlow> {
  const scope = actionScope(workspaceId, filters);
  const inRange = (column: string) => sql`${sql.ref(column)} >= ${bounds.start} and ${sql.ref(column)} < ${bounds.end}`;
  const ends = periodEnds(bounds.start, bounds.end, bounds.grain);
  const [flow, verified, backlog] = await Promise.all([
    sql<{ period: string; kind: "opened" | "done" | "verified"; actions: number }>`
      select period, kind, count(*)::int as actions from (
        select ${periodOf(sql`ga.created_at`, bounds.grain)} as period, 'opened' as kind from guardrail_actions ga where ${scope} and ${inRange("ga.created_at")}
        union all
        select ${periodOf(sql`ga.done_at`, bounds.grain)}, 'done' from guardrail_actions ga where ${scope} and ${inRange("ga.done_at")}
        union all
        select ${periodOf(sql`ga.verified_at`, bounds.grain)}, 'verified' from guardrail_actions ga where ${scope} and ga.status = 'verified' and ${inRange("ga.verified_at")}
      ) events
      group by 1, 2`.execute(db),
    sql<{ verified: number; by_gate: number; by_person: number; median_days: number | null }>`
      select count(*)::int as verified,
        count(*) filter (where ga.verified_by is null)::int as by_gate,
        count(*) filter (where ga.verified_by is not null)::int as by_person,
        percentile_cont(0.5) within group (order by extract(epoch from (ga.verified_at - ga.created_at))::float8 / 86400) as median_days
      from guardrail_actions ga
      where ${scope} and ga.status = 'verified' and ${inRange("ga.verified_at")}`.execute(db),
    // One scan, two counts per reading: open at that instant, and overdue (due before the period's
    // last day, as the board counts it on that day). (Counting entries and exits per reading with
    // width_bucket was tried: slower at 100k, docs/benchmarks/insights.md.)
    ends.length
      ? sql<Record<string, number>>`
      select ${sql.join(
        ends.map(
          (e, k) => sql`
            count(*) filter (where a.created_at < ${e.at} and (a.closed_at is null or a.closed_at >= ${e.at}))::int as ${sql.ref(`open_${k}`)},
            count(*) filter (where a.created_at < ${e.at} and (a.closed_at is null or a.closed_at >= ${e.at}) and a.due_on < ${lastDayBefore(e.at)}::date)::int as ${sql.ref(`overdue_${k}`)}`,
        ),
      )}
      from (select ga.created_at, ga.due_on, ${CLOSED_AT} as closed_at from guardrail_actions ga where ${scope} and ga.created_at < ${bounds.end}) a
      where a.closed_at is null or a.closed_at >= ${bounds.start}`.execute(db)
      : Promise.resolve({ rows: [] as Record<string, number>[] }),
  ]);
  const counts = new Map<string, { opened: number; done: number; verified: number }>();
  for (const row of flow.rows) {
    const entry = counts.get(row.period) ?? { opened: 0, done: 0, verified: 0 };
    entry[row.kind] = row.actions;
    counts.set(row.period, entry);
  }
  const v = verified.rows[0]!;
  const reading = backlog.rows[0] ?? {};

  return {
    byPeriod: ends.map((e) => ({ period: e.period, ...(counts.get(e.period) ?? { opened: 0, done: 0, verified: 0 }) })),
    verified: v.verified,
    verifiedByGate: v.by_gate,
    verifiedByPerson: v.by_person,
    medianDaysToVerified: v.median_days,
    backlog: ends.map((e, k) => ({ period: e.period, at: e.at, open: reading[`open_${k}`] ?? 0, overdue: reading[`overdue_${k}`] ?? 0 })),
  };
}

/** The last day of the period a reading (a midnight) ends: the day before it. */
function lastDayBefore(at: Date): string {
  return isoDay(new Date(at.getTime() - 24 * 60 * 60 * 1000));
}

export type GateCounts = { byState: Record<GateState, number>; retired: number };

/**
 * 6. Gates today, by what the evidence says (enforced = required and seen passing; required but
 * not seen; seen but not required; stale; regressed; proposed: neither), retired ones apart.
 */
export async function gateCounts(db: Db, workspaceId: string, tier: TierKey | null): Promise<GateCounts> {
  const tierScope = tier ? sql`and g.tiers @> ${JSON.stringify([tier])}::jsonb` : sql``;
  const { rows } = await sql<{ state: GateState | "retired"; gates: number }>`
    select case when g.status = 'retired' then 'retired' else g.state end as state, count(*)::int as gates
    from gates g
    where g.workspace_id = ${workspaceId} ${tierScope}
    group by 1`.execute(db);
  const byState = Object.fromEntries(GATE_STATE_ORDER.map((state) => [state, 0])) as Record<GateState, number>;
  let retired = 0;
  for (const r of rows) {
    if (r.state === "retired") retired = r.gates;
    else byState[r.state] = r.gates;
  }
  return { byState, retired };
}

// ---------------------------------------------------------------------------------------------
// The AI-era angle

export type AssistedByTier = {
  tier: TierKey;
  incidents: number;
  withTrigger: number;
  assistedTrigger: number;
  linkedPullRequests: number;
  assistedPullRequests: number;
};

/**
 * 7. Per tier, of incidents started in the range: how many have a trigger pull request and how
 * many of those were assisted by a model; against all pull requests linked to those incidents
 * (any role) and how many of them were assisted.
 */
export async function assistedChanges(db: Db, workspaceId: string, filters: InsightsFilters, bounds = rangeBounds(filters)): Promise<AssistedByTier[]> {
  const { rows } = await sql<AssistedByTier>`
    select i.tier,
      count(distinct i.id)::int as incidents,
      count(distinct i.id) filter (where ipr.role = 'trigger')::int as "withTrigger",
      count(distinct i.id) filter (where ipr.role = 'trigger' and pr.assisted = 'yes')::int as "assistedTrigger",
      count(distinct pr.id)::int as "linkedPullRequests",
      count(distinct pr.id) filter (where pr.assisted = 'yes')::int as "assistedPullRequests"
    from incidents i
    left join incident_pull_requests ipr on ipr.incident_id = i.id
    left join pull_requests pr on pr.id = ipr.pull_request_id
    where ${incidentScope(workspaceId, filters)} and i.started_at >= ${bounds.start} and i.started_at < ${bounds.end}
    group by i.tier
    order by i.tier`.execute(db);
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Area health

export type AreaHealth = {
  slug: string;
  name: string;
  incidents: number;
  openActions: number;
  overdueActions: number;
  recurringFactors: number;
  unverifiedGates: number;
  maintainers: number;
};

/**
 * 9. One row per area: incidents started in the range (tier and severity filters apply), and,
 * as of today over all time: open and overdue actions of its incidents, flagged recurring
 * categories (named in more than one of its incidents, none of their actions verified), gates
 * its factors or actions name that the evidence doesn't show enforced (any state but enforced;
 * retired gates left out), and its maintainers.
 */
export async function areaHealth(db: Db, workspaceId: string, filters: InsightsFilters, today: string, bounds = rangeBounds(filters)): Promise<AreaHealth[]> {
  const areaFilter = filters.areas.length ? sql`and a.slug in (${sql.join(filters.areas)})` : sql``;
  const incidentFilter = incidentScope(workspaceId, { ...filters, areas: [] });
  type PerArea = { area_id: string; n: number; m?: number };
  // Each count is one grouped statement over the workspace, run side by side, then joined by area.
  const [areas, incidents, actions, recurring, gates, maintainers] = await Promise.all([
    sql<{ id: string; slug: string; name: string }>`select a.id, a.slug, a.name from areas a where a.workspace_id = ${workspaceId} ${areaFilter} order by a.name`.execute(db),
    sql<PerArea>`
      select ia.area_id, count(*)::int as n
      from incidents i join incident_areas ia on ia.incident_id = i.id
      where ${incidentFilter} and i.started_at >= ${bounds.start} and i.started_at < ${bounds.end}
      group by ia.area_id`.execute(db),
    sql<PerArea>`
      select ia.area_id, count(*)::int as n, count(*) filter (where ga.due_on < ${today}::date)::int as m
      from guardrail_actions ga
      join incident_areas ia on ia.incident_id = ga.incident_id
      where ga.workspace_id = ${workspaceId} and ga.status in ('open', 'in_progress')
      group by ia.area_id`.execute(db),
    sql<PerArea>`
      select r.area_id, count(*)::int as n from (
        select ia.area_id, f.category
        from contributing_factors f
        join incident_areas ia on ia.incident_id = f.incident_id
        left join guardrail_actions ga on ga.factor_id = f.id and ga.status = 'verified'
        where f.workspace_id = ${workspaceId}
        group by ia.area_id, f.category
        having count(distinct f.incident_id) > 1 and count(ga.id) = 0
      ) r
      group by r.area_id`.execute(db),
    sql<PerArea>`
      with unverified as (
        select g.id from gates g
        where g.workspace_id = ${workspaceId} and g.status <> 'retired' and g.state <> 'enforced'
      ), named as (
        select ia.area_id, ga.gate_id
        from guardrail_actions ga
        join incident_areas ia on ia.incident_id = ga.incident_id
        where ga.gate_id in (select id from unverified)
        union
        select ia.area_id, fg.gate_id
        from factor_gates fg
        join contributing_factors f on f.id = fg.factor_id
        join incident_areas ia on ia.incident_id = f.incident_id
        where fg.gate_id in (select id from unverified)
      )
      select area_id, count(*)::int as n from named group by area_id`.execute(db),
    sql<PerArea>`
      select am.area_id, count(*)::int as n from area_maintainers am join areas a on a.id = am.area_id
      where a.workspace_id = ${workspaceId} group by am.area_id`.execute(db),
  ]);
  const index = (rows: PerArea[]) => new Map(rows.map((r) => [r.area_id, r]));
  const [byIncidents, byActions, byRecurring, byGates, byMaintainers] = [incidents, actions, recurring, gates, maintainers].map((r) => index(r.rows));
  return areas.rows.map((a) => ({
    slug: a.slug,
    name: a.name,
    incidents: byIncidents!.get(a.id)?.n ?? 0,
    openActions: byActions!.get(a.id)?.n ?? 0,
    overdueActions: byActions!.get(a.id)?.m ?? 0,
    recurringFactors: byRecurring!.get(a.id)?.n ?? 0,
    unverifiedGates: byGates!.get(a.id)?.n ?? 0,
    maintainers: byMaintainers!.get(a.id)?.n ?? 0,
  }));
}

// ---------------------------------------------------------------------------------------------
// The overview strip

export type Headline = { overdueActions: number; medianDaysToVerified: number | null; flaggedRecurrences: number };

/**
 * The three numbers on the workspace overview: overdue guardrail actions today; median days
 * from opened to verified of actions verified in the last `days` days; and flagged recurrences
 * over all time (categories and gates named in more than one incident, none of their actions
 * verified), as the guardrails board counts them.
 */
export async function headline(db: Db, workspaceId: string, today: string, since: Date): Promise<Headline> {
  const { rows } = await sql<{ overdue: number; median_days: number | null; categories: number; gates: number }>`
    select
      (select count(*) from guardrail_actions ga
        where ga.workspace_id = ${workspaceId} and ga.status in ('open', 'in_progress') and ga.due_on < ${today}::date)::int as overdue,
      (select percentile_cont(0.5) within group (order by extract(epoch from (ga.verified_at - ga.created_at))::float8 / 86400)
        from guardrail_actions ga
        where ga.workspace_id = ${workspaceId} and ga.status = 'verified' and ga.verified_at >= ${since}) as median_days,
      (select count(*) from (
        select f.category
        from contributing_factors f
        left join guardrail_actions ga on ga.factor_id = f.id and ga.status = 'verified'
        where f.workspace_id = ${workspaceId}
        group by f.category
        having count(distinct f.incident_id) > 1 and count(ga.id) = 0) c)::int as categories,
      (select count(*) from (
        select fg.gate_id
        from factor_gates fg
        join contributing_factors f on f.id = fg.factor_id
        where f.workspace_id = ${workspaceId}
        group by fg.gate_id
        having count(distinct f.incident_id) > 1
          and not exists (select 1 from guardrail_actions ga where ga.gate_id = fg.gate_id and ga.status = 'verified')) g)::int as gates`.execute(db);
  const r = rows[0]!;
  return { overdueActions: r.overdue, medianDaysToVerified: r.median_days, flaggedRecurrences: r.categories + r.gates };
}
