/**
 * A person's inbox in one workspace: reviews requested of them that they have not answered for
 * the current version, their guardrail actions due within a week or overdue, and their actions a
 * gate's regression or staleness sent back, worked out from the records on each read so it is
 * never out of step with them; and the mentions of them they have not seen yet (./mentions.server)
 * (docs/decisions/0024).
 */
import { sql } from "kysely";
import type { Db } from "#db/connection";
import { CLOSED_STATUSES, todayUtc } from "~/domain/guardrails/rules";
import { unseenMentions, unseenMentionsQuery, type InboxMention } from "./mentions.server";
import { DUE_SOON_DAYS } from "./rules";

export type InboxReview = {
  incidentNumber: number;
  title: string;
  requestedBy: string;
  requestedAt: Date;
  version: number;
  /** The version of my last verdict in this round, when the text changed since. */
  reviewedVersion: number | null;
};
export type InboxAction = { number: number; title: string; dueOn: string | null; overdue: boolean; incidentNumber: number };
export type InboxRegressed = { number: number; title: string; reason: string };
export type Inbox = { reviews: InboxReview[]; due: InboxAction[]; regressed: InboxRegressed[]; mentions: InboxMention[] };

function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

function reviewsQuery(db: Db, workspaceId: string, userId: string) {
  return (
    db
      .selectFrom("review_requests")
      .innerJoin("postmortems", (join) => join.onRef("postmortems.id", "=", "review_requests.postmortem_id").onRef("postmortems.review_round", "=", "review_requests.review_round"))
      .innerJoin("incidents", "incidents.id", "postmortems.incident_id")
      .innerJoin("users as requester", "requester.id", "review_requests.requested_by")
      .where("review_requests.workspace_id", "=", workspaceId)
      .where("review_requests.reviewer_id", "=", userId)
      .where("postmortems.status", "=", "in_review")
      // Answered: a verdict (not a comment) on the current version, in this round.
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom("postmortem_reviews")
              .select("postmortem_reviews.id")
              .whereRef("postmortem_reviews.postmortem_id", "=", "postmortems.id")
              .whereRef("postmortem_reviews.review_round", "=", "postmortems.review_round")
              .whereRef("postmortem_reviews.postmortem_version", "=", "postmortems.version")
              .where("postmortem_reviews.reviewer_id", "=", userId)
              .where("postmortem_reviews.verdict", "<>", "comment"),
          ),
        ),
      )
  );
}

function dueQuery(db: Db, workspaceId: string, userId: string, today: string) {
  return db
    .selectFrom("guardrail_actions")
    .where("guardrail_actions.workspace_id", "=", workspaceId)
    .where("guardrail_actions.owner_id", "=", userId)
    .where("guardrail_actions.status", "not in", [...CLOSED_STATUSES])
    .where("guardrail_actions.due_on", "<=", addDays(today, DUE_SOON_DAYS));
}

/** Sent back by a gate's drift, or waiting on a gate that is regressed or stale now (the board's Regressed view, for one owner). */
function regressedQuery(db: Db, workspaceId: string, userId: string) {
  return db
    .selectFrom("guardrail_actions")
    .leftJoin("gates", "gates.id", "guardrail_actions.gate_id")
    .where("guardrail_actions.workspace_id", "=", workspaceId)
    .where("guardrail_actions.owner_id", "=", userId)
    .where("guardrail_actions.status", "<>", "wont_do")
    .where((eb) => eb.or([eb("guardrail_actions.drift_reason", "is not", null), eb("gates.state", "in", ["regressed", "stale"])]));
}

export async function inboxFor(db: Db, workspaceId: string, userId: string, today = todayUtc()): Promise<Inbox> {
  const [reviews, due, regressed, mentions] = await Promise.all([
    reviewsQuery(db, workspaceId, userId)
      .select([
        "incidents.number as incident_number",
        "postmortems.title",
        "postmortems.version",
        "requester.display_name as requested_by",
        "review_requests.requested_at",
        (eb) =>
          eb
            .selectFrom("postmortem_reviews")
            .select((e) => e.fn.max("postmortem_reviews.postmortem_version").as("v"))
            .whereRef("postmortem_reviews.postmortem_id", "=", "postmortems.id")
            .whereRef("postmortem_reviews.review_round", "=", "postmortems.review_round")
            .where("postmortem_reviews.reviewer_id", "=", userId)
            .where("postmortem_reviews.verdict", "<>", "comment")
            .as("reviewed_version"),
      ])
      .orderBy("review_requests.requested_at")
      .limit(50)
      .execute(),
    dueQuery(db, workspaceId, userId, today)
      .innerJoin("contributing_factors", "contributing_factors.id", "guardrail_actions.factor_id")
      .innerJoin("postmortems", "postmortems.id", "contributing_factors.postmortem_id")
      .innerJoin("incidents", "incidents.id", "postmortems.incident_id")
      .select(["guardrail_actions.number", "guardrail_actions.title", "guardrail_actions.due_on", "incidents.number as incident_number"])
      .orderBy("guardrail_actions.due_on")
      .orderBy("guardrail_actions.number")
      .limit(50)
      .execute(),
    regressedQuery(db, workspaceId, userId)
      .select(["guardrail_actions.number", "guardrail_actions.title", "guardrail_actions.drift_reason", "gates.name as gate_name", "gates.state as gate_state"])
      .orderBy("guardrail_actions.number")
      .limit(50)
      .execute(),
    unseenMentions(db, workspaceId, userId),
  ]);
  return {
    reviews: reviews.map((r) => ({
      incidentNumber: r.incident_number,
      title: r.title,
      requestedBy: r.requested_by,
      requestedAt: r.requested_at,
      version: r.version,
      reviewedVersion: r.reviewed_version === null ? null : Number(r.reviewed_version),
    })),
    due: due.map((a) => ({ number: a.number, title: a.title, dueOn: a.due_on, overdue: a.due_on !== null && a.due_on < today, incidentNumber: a.incident_number })),
    regressed: regressed.map((a) => ({ number: a.number, title: a.title, reason: a.drift_reason ?? `Gate “${a.gate_name ?? ""}” is ${a.gate_state ?? "regressed"}.` })),
    mentions,
  };
}

/** How many things wait for the person: the count beside Inbox in the navigation. */
export async function inboxCount(db: Db, workspaceId: string, userId: string, today = todayUtc()): Promise<number> {
  // One statement for the four counts: the count is on every workspace page, and on PGlite
  // each statement is a turn on its one connection (docs/benchmarks/load.md, run E).
  const row = await db
    .selectNoFrom([
      reviewsQuery(db, workspaceId, userId).select(sql<number>`count(*)::int`.as("n")).as("reviews"),
      dueQuery(db, workspaceId, userId, today).select(sql<number>`count(*)::int`.as("n")).as("due"),
      regressedQuery(db, workspaceId, userId).select(sql<number>`count(*)::int`.as("n")).as("regressed"),
      unseenMentionsQuery(db, workspaceId, userId).select(sql<number>`count(*)::int`.as("n")).as("mentions"),
    ])
    .executeTakeFirstOrThrow();
  return Number(row.reviews) + Number(row.due) + Number(row.regressed) + Number(row.mentions);
}
