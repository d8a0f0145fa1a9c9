/**
 * The guardrails board: actions filtered by the view of board.ts, in the board's order (open work
 * first, overdue at the very top, then by due date), optionally grouped by owner, area or gate,
 * in keyset pages. The page's sort key is the cursor, so a page never repeats or skips a row when
 * others are added meanwhile. Read-only; every statement is scoped to one workspace.
 */
import { sql, type RawBuilder } from "kysely";
import type { Db } from "#db/connection";
import type { ActionKind, ActionStatus, FactorCategory, GateState } from "#db/schema";
import type { BoardDateField, BoardFilters, BoardGroup, BoardStatus } from "./board";

export type { BoardFilters } from "./board";
import { addDay, isOverdue, todayUtc } from "./rules";

export type BoardRow = {
  id: string;
  number: number;
  title: string;
  kind: ActionKind;
  status: ActionStatus;
  due_on: string | null;
  owner_id: string | null;
  owner_name: string | null;
  gate_id: string | null;
  gate_name: string | null;
  gate_state: GateState | null;
  drift_reason: string | null;
  incident_number: number;
  incident_title: string;
  category: FactorCategory;
  /** The group this row is listed under (grouped views only; an action of two areas is listed under each). */
  group_id: string | null;
  group_label: string | null;
};

/** One sort key of the board's order: its SQL, and the type its cursor value must have. */
type SortKey = { expr: RawBuilder<unknown>; type: "int" | "text" };
export type BoardCursor = { group: BoardGroup | "none"; values: (number | string)[] };

const CLOSED = sql`ga.status in ('done', 'verified', 'wont_do')`;
const OPEN = sql`ga.status in ('open', 'in_progress')`;
const DATE_COLUMNS: Record<BoardDateField, RawBuilder<unknown>> = { opened: sql`ga.created_at`, done: sql`ga.done_at`, verified: sql`ga.verified_at` };

function statusCondition(status: BoardStatus, today: string): RawBuilder<unknown> {
  switch (status) {
    case "open":
      return OPEN;
    case "overdue":
      return sql`${OPEN} and ga.due_on < ${today}::date`;
    // Sent back by a gate's drift, or waiting on a gate that is regressed or stale now.
    case "regressed":
      return sql`(ga.drift_reason is not null or g.state in ('regressed', 'stale'))`;
    case "done":
    case "verified":
    case "wont_do":
      return sql`ga.status = ${status}`;
    case "closed":
      return CLOSED;
    case "all":
      return sql`true`;
  }
}

/** The conditions of a view, on actions `ga` joined to their incident `i` and gate `g`. */
function conditions(workspaceId: string, filters: BoardFilters, today: string): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [sql`ga.workspace_id = ${workspaceId}`, statusCondition(filters.status ?? "open", today)];
  if (filters.ownerId === null) parts.push(sql`ga.owner_id is null`);
  else if (filters.ownerId) parts.push(sql`ga.owner_id = ${filters.ownerId}`);
  if (filters.gateId === null) parts.push(sql`ga.gate_id is null`);
  else if (filters.gateId) parts.push(sql`ga.gate_id = ${filters.gateId}`);
  if (filters.tier) parts.push(sql`i.tier = ${filters.tier}`);
  if (filters.severity) parts.push(sql`i.severity = ${filters.severity}`);
  if (filters.areaSlugs?.length) {
    parts.push(
      sql`exists (select 1 from incident_areas ia join areas a on a.id = ia.area_id where ia.incident_id = i.id and a.workspace_id = ${workspaceId} and a.slug in (${sql.join(filters.areaSlugs)}))`,
    );
  }
  if (filters.dates && (filters.dates.from || filters.dates.to)) {
    const column = DATE_COLUMNS[filters.dates.field];
    if (filters.dates.from) parts.push(sql`${column} >= ${new Date(`${filters.dates.from}T00:00:00Z`)}`);
    if (filters.dates.to) parts.push(sql`${column} < ${new Date(`${addDay(filters.dates.to)}T00:00:00Z`)}`);
  }
  if (filters.verifiedBy) parts.push(sql`ga.status = 'verified' and ga.verified_by is ${filters.verifiedBy === "gate" ? sql`null` : sql`not null`}`);
  return sql.join(parts, sql` and `);
}

const FROM = sql`
  from guardrail_actions ga
  join contributing_factors f on f.id = ga.factor_id
  join incidents i on i.id = ga.incident_id
  left join users u on u.id = ga.owner_id
  left join gates g on g.id = ga.gate_id`;

/** Areas of the action's incident, as groups: only the chosen ones when areas are filtered. */
function areaGroups(workspaceId: string, filters: BoardFilters) {
  const chosen = filters.areaSlugs?.length ? sql`and a.slug in (${sql.join(filters.areaSlugs)})` : sql``;
  return sql`left join (
    select ia.incident_id, a.id, a.name from incident_areas ia join areas a on a.id = ia.area_id
    where a.workspace_id = ${workspaceId} ${chosen}
  ) grp on grp.incident_id = i.id`;
}

/** The group of a row (id and label), null in both for "no owner", "no gate", "no area". */
function groupColumns(group: BoardGroup | undefined) {
  if (group === "owner") return { id: sql`u.id::text`, label: sql`u.display_name` };
  if (group === "gate") return { id: sql`g.id::text`, label: sql`g.name` };
  if (group === "area") return { id: sql`grp.id::text`, label: sql`grp.name` };
  return { id: sql`null::text`, label: sql`null::text` };
}

/** The board's order, groups first (named ones by name, the unnamed group last), as sort keys. */
function sortKeys(group: BoardGroup | undefined, today: string): SortKey[] {
  const keys: SortKey[] = [];
  if (group) {
    const g = groupColumns(group);
    keys.push(
      { expr: sql`case when ${g.id} is null then 1 else 0 end`, type: "int" },
      { expr: sql`coalesce(${g.label}, '')`, type: "text" },
      { expr: sql`coalesce(${g.id}, '')`, type: "text" },
    );
  }
  keys.push(
    { expr: sql`case when ${CLOSED} then 1 else 0 end`, type: "int" },
    { expr: sql`case when ${OPEN} and ga.due_on < ${today}::date then 0 else 1 end`, type: "int" },
    { expr: sql`coalesce(to_char(ga.due_on, 'YYYY-MM-DD'), '9999-12-31')`, type: "text" },
    { expr: sql`ga.number`, type: "int" },
  );
  return keys;
}

export function encodeBoardCursor(cursor: BoardCursor): string {
  return Buffer.from(JSON.stringify([cursor.group, ...cursor.values])).toString("base64url");
}

/** A cursor from the address; anything malformed reads as "the first page". */
export function decodeBoardCursor(value: string | null | undefined): BoardCursor | null {
  if (!value || value.length > 2000) return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, "base64url").toString("utf8"));
    if (!Array.isArray(parsed) || parsed.length < 2) return null;
    const [group, ...values] = parsed as unknown[];
    if (group !== "none" && group !== "owner" && group !== "area" && group !== "gate") return null;
    if (!values.every((v) => (typeof v === "number" && Number.isSafeInteger(v)) || (typeof v === "string" && v.length <= 500))) return null;
    return { group, values: values as (number | string)[] };
  } catch {
    return null;
  }
}

/** The cursor's values as SQL, or null when they don't fit these keys (another grouping, a hand-made value). */
function cursorValues(keys: SortKey[], cursor: BoardCursor | null, group: BoardGroup | undefined) {
  if (!cursor || cursor.group !== (group ?? "none") || cursor.values.length !== keys.length) return null;
  const values: RawBuilder<unknown>[] = [];
  for (const [i, key] of keys.entries()) {
    const v = cursor.values[i];
    if (key.type === "int" ? typeof v !== "number" : typeof v !== "string") return null;
    values.push(key.type === "int" ? sql`${v}::int` : sql`${v}::text`);
  }
  return values;
}

/**
 * A page of the board. The decision records each action implements are added by the caller
 * (withImplementedDecisions in ~/domain/decisions): decisions build on guardrails, not the other way.
 */
export type BoardPage = { actions: (BoardRow & { overdue: boolean })[]; next: BoardCursor | null };

/** One page of the board: `limit` actions after `after` in the board's order. */
export async function guardrailBoard(
  db: Db,
  workspaceId: string,
  filters: BoardFilters,
  page: { after?: BoardCursor | null; limit?: number } = {},
  today = todayUtc(),
): Promise<BoardPage> {
  const limit = page.limit ?? 100;
  const keys = sortKeys(filters.group, today);
  const after = cursorValues(keys, page.after ?? null, filters.group);
  const g = groupColumns(filters.group);
  const { rows } = await sql<BoardRow & Record<`k${number}`, number | string>>`
    select ga.id, ga.number, ga.title, ga.kind, ga.status, ga.due_on, ga.owner_id, u.display_name as owner_name,
      g.id as gate_id, g.name as gate_name, g.state as gate_state, ga.drift_reason,
      i.number as incident_number, i.title as incident_title, f.category,
      ${g.id} as group_id, ${g.label} as group_label,
      ${sql.join(keys.map((k, i) => sql`${k.expr} as ${sql.ref(`k${i}`)}`))}
    ${FROM}
    ${filters.group === "area" ? areaGroups(workspaceId, filters) : sql``}
    where ${conditions(workspaceId, filters, today)}
      ${after ? sql`and (${sql.join(keys.map((k) => k.expr))}) > (${sql.join(after)})` : sql``}
    order by ${sql.join(keys.map((k) => k.expr))}
    limit ${limit + 1}`.execute(db);
  const shown = rows.slice(0, limit);
  const last = shown.at(-1);
  const next = rows.length > limit && last ? { group: filters.group ?? ("none" as const), values: keys.map((_, i) => last[`k${i}`]!) } : null;
  return {
    actions: shown.map((r) => {
      const row = Object.fromEntries(Object.entries(r).filter(([k]) => !/^k\d+$/.test(k))) as BoardRow;
      return { ...row, overdue: isOverdue(row.status, row.due_on, today) };
    }),
    next,
  };
}

/** How many actions the view holds in all, and per group when grouped (the headings' counts). */
export async function boardTotals(db: Db, workspaceId: string, filters: BoardFilters, today = todayUtc()): Promise<{ total: number; groups: Map<string, number> }> {
  const g = groupColumns(filters.group);
  const { rows } = await sql<{ group_id: string | null; n: number }>`
    select ${g.id} as group_id, count(distinct ga.id)::int as n
    ${FROM}
    ${filters.group === "area" ? areaGroups(workspaceId, filters) : sql``}
    where ${conditions(workspaceId, filters, today)}
    group by 1`.execute(db);
  const groups = new Map(rows.map((r) => [r.group_id ?? "", r.n]));
  // An action of two areas is in two groups: the total counts it once.
  const total = filters.group === "area" ? (await boardTotals(db, workspaceId, { ...filters, group: undefined }, today)).total : rows.reduce((a, r) => a + r.n, 0);
  return { total, groups };
}

/** Counts for the board's cards, over the whole workspace; each card links to the view that lists them. */
export async function guardrailCounts(db: Db, workspaceId: string, today = todayUtc()) {
  const { rows } = await sql<{ open: number; overdue: number; regressed: number; awaiting_verification: number; verified: number }>`
    select
      count(*) filter (where ${statusCondition("open", today)})::int as open,
      count(*) filter (where ${statusCondition("overdue", today)})::int as overdue,
      count(*) filter (where ${statusCondition("regressed", today)})::int as regressed,
      count(*) filter (where ga.status = 'done')::int as awaiting_verification,
      count(*) filter (where ga.status = 'verified')::int as verified
    from guardrail_actions ga left join gates g on g.id = ga.gate_id
    where ga.workspace_id = ${workspaceId}`.execute(db);
  return rows[0]!;
}
