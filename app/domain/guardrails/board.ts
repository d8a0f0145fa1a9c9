/**
 * The guardrails board's view as its address says it: which actions (status, owner, areas, tier,
 * severity, gate, a date range on one of their moments, who verified them), grouped how. One
 * grammar for the board's form, its count cards and every link into it (insights charts, the
 * overview). Pure and client-safe; forms.ts parses it with zod.
 */
import type { Severity, TierKey } from "#db/schema";

/** What the status filter can ask for. Overdue and regressed are views across statuses. */
export const BOARD_STATUSES = {
  open: "Open (not done yet)",
  overdue: "Overdue",
  regressed: "Sent back or gate drifted",
  done: "Done, awaiting verification",
  verified: "Verified",
  wont_do: "Won't do",
  closed: "Closed (done, verified, won't do)",
  all: "All",
} as const;
export type BoardStatus = keyof typeof BOARD_STATUSES;

export const BOARD_GROUPS = { owner: "Owner", area: "Area", gate: "Gate" } as const;
export type BoardGroup = keyof typeof BOARD_GROUPS;

/** Which moment of an action `from`/`to` bound: when it was opened, marked done, or verified. */
export const BOARD_DATES = { opened: "Opened", done: "Done", verified: "Verified" } as const;
export type BoardDateField = keyof typeof BOARD_DATES;

export const BOARD_VERIFIERS = { gate: "A gate's check run", person: "A person's evidence" } as const;
export type BoardVerifier = keyof typeof BOARD_VERIFIERS;

/** The day after a "YYYY-MM-DD" day (for an inclusive `to`). */
export function addDay(day: string): string {
  const next = new Date(`${day}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString().slice(0, 10);
}

/** How many actions a board page shows. */
export const BOARD_PAGE_SIZE = 100;

export type BoardView = {
  status: BoardStatus;
  /** "me", "none" (no owner) or a member's id. */
  owner?: string;
  /** Area slugs: actions of incidents in any of them. */
  areas: string[];
  tier?: TierKey;
  severity?: Severity;
  /** "none" (no gate) or a gate's id. */
  gate?: string;
  group?: BoardGroup;
  /** Inclusive UTC days bounding `dates`' moment. */
  from?: string;
  to?: string;
  dates: BoardDateField;
  verifiedBy?: BoardVerifier;
};

/** What the domain filters by: a view with "me" and "none" resolved. */
export type BoardFilters = {
  status?: BoardStatus;
  /** A member's id; null: actions without an owner. */
  ownerId?: string | null;
  areaSlugs?: string[];
  tier?: string;
  severity?: string;
  /** A gate's id; null: actions naming no gate. */
  gateId?: string | null;
  /** Inclusive UTC days bounding one moment of the action. */
  dates?: { field: BoardDateField; from?: string; to?: string };
  verifiedBy?: BoardVerifier;
  group?: BoardGroup;
};

/** The view as the domain filters it: "me" is the member asking, "none" no owner or no gate. */
export function boardFilters(view: BoardView, me: string): BoardFilters {
  return {
    status: view.status,
    ownerId: view.owner === "me" ? me : view.owner === "none" ? null : view.owner,
    areaSlugs: view.areas,
    tier: view.tier,
    severity: view.severity,
    gateId: view.gate === "none" ? null : view.gate,
    dates: view.from || view.to ? { field: view.dates, from: view.from, to: view.to } : undefined,
    verifiedBy: view.verifiedBy,
    group: view.group,
  };
}

/** The query string of a view (defaults left out), the inverse of forms.ts's parseBoardView. */
export function boardQuery(view: Partial<BoardView>): string {
  const params = new URLSearchParams();
  if (view.status && view.status !== "open") params.set("status", view.status);
  if (view.owner) params.set("owner", view.owner);
  for (const area of view.areas ?? []) params.append("area", area);
  if (view.tier) params.set("tier", view.tier);
  if (view.severity) params.set("severity", view.severity);
  if (view.gate) params.set("gate", view.gate);
  if (view.from || view.to) {
    if (view.dates && view.dates !== "opened") params.set("dates", view.dates);
    if (view.from) params.set("from", view.from);
    if (view.to) params.set("to", view.to);
  }
  if (view.verifiedBy) params.set("verifiedBy", view.verifiedBy);
  if (view.group) params.set("group", view.group);
  return params.toString();
}

export function boardHref(slug: string, view: Partial<BoardView> = {}): string {
  const query = boardQuery(view);
  return `/w/${slug}/guardrails${query ? `?${query}` : ""}`;
}

/** Whether the view narrows the board beyond its default (open actions, anyone's, ungrouped). */
export function isNarrowed(view: BoardView): boolean {
  return boardQuery({ ...view, group: undefined }) !== "";
}
