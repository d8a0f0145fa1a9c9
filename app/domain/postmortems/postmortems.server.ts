import { decideRecord } from "~/domain/shared/policy";
import { postmortemFrozen, postmortemPolicy } from "./policy";
import type { PostmortemStatus } from "#db/schema";
import { conflict, invalid, notFound, type Outcome, type Problem } from "~/domain/shared/outcomes";
import type { Db } from "#db/connection";
import type { ReviewVerdict, TierKey } from "#db/schema";
import { recordAuditEvent } from "~/domain/shared/audit.server";
import type { PublicUser } from "~/domain/accounts/index.server";
import { sectionsOnlyGuidance, validateDocument, versionedDocuments, writeFirstRevisions, type DocumentJSON, type VersionedKind } from "~/domain/documents/index.server";
import { factorsWithoutAction } from "~/domain/guardrails/index.server";
import { incidentReference } from "~/domain/incidents/rules";
import { publishBlockers, type ReviewRecord } from "./review";
import { recordChange } from "~/domain/search/index.server";
import { postmortemGuidance, postmortemTemplate } from "./templates.server";

type IncidentRef = { id: string; number: number; title: string; tier: TierKey };

async function incidentByNumber(db: Db, workspaceId: string, number: number): Promise<IncidentRef | null> {
  return (
    (await db
      .selectFrom("incidents")
      .select(["id", "number", "title", "tier"])
      .where("workspace_id", "=", workspaceId)
      .where("number", "=", number)
      .executeTakeFirst()) ?? null
  );
}

export type StartResult = Outcome;

/** Starts the incident's postmortem from a template; an incident has at most one. */
export async function startPostmortem(
  db: Db,
  actor: PublicUser,
  workspaceId: string,
  incidentNumber: number,
  templateKey: string,
): Promise<StartResult> {
  const template = postmortemTemplate(templateKey);
  if (!template) return invalid({ template: ["Choose one of the templates."] });
  return db.transaction().execute(async (trx) => {
    const incident = await incidentByNumber(trx, workspaceId, incidentNumber);
    if (!incident) return notFound("Incident not found.");
    const title = `Postmortem: ${incidentReference(incident.number)} ${incident.title}`;
    const validated = validateDocument(template.doc);
    if (!validated.ok) throw new Error(`template ${templateKey} is not a valid document: ${validated.error}`);
    const created = await trx
      .insertInto("postmortems")
      .values({
        workspace_id: workspaceId,
        incident_id: incident.id,
        title,
        template: template.key,
        body: JSON.stringify(validated.doc),
        body_text: validated.text,
        created_by: actor.id,
        updated_by: actor.id,
      })
      .onConflict((oc) => oc.column("incident_id").doNothing())
      .returning(["id", "version"])
      .executeTakeFirst();
    if (!created) return conflict("This incident already has a postmortem.");
    await writeFirstRevisions(trx, "postmortem", [{ recordId: created.id, version: created.version, title, body: JSON.stringify(validated.doc), authorId: actor.id }]);
    await recordChange(trx, { type: "postmortem", id: created.id }, {
      workspaceId,
      actorId: actor.id,
      action: "postmortem.started",
      change: { incident: incident.number, template: template.key },
    });
    return { ok: true as const };
  });
}

function postmortemQuery(db: Db, workspaceId: string, incidentNumber: number) {
  return db
    .selectFrom("postmortems")
    .innerJoin("incidents", "incidents.id", "postmortems.incident_id")
    .innerJoin("users as editor", "editor.id", "postmortems.updated_by")
    .innerJoin("users as author", "author.id", "postmortems.created_by")
    .selectAll("postmortems")
    .select([
      "incidents.number as incident_number",
      "incidents.title as incident_title",
      "incidents.tier as incident_tier",
      "incidents.severity as incident_severity",
      "editor.display_name as updated_by_name",
      "author.display_name as author_name",
    ])
    .where("postmortems.workspace_id", "=", workspaceId)
    .where("incidents.number", "=", incidentNumber);
}

/** The postmortem with its current review round and what still stands between it and publishing. */
export async function findPostmortem(db: Db, workspaceId: string, incidentNumber: number) {
  const postmortem = await postmortemQuery(db, workspaceId, incidentNumber).executeTakeFirst();
  if (!postmortem) return null;
  const [reviews, areas, maintainers, unresolvedFactors] = await Promise.all([
    db
      .selectFrom("postmortem_reviews")
      .innerJoin("users", "users.id", "postmortem_reviews.reviewer_id")
      .select([
        "postmortem_reviews.id",
        "postmortem_reviews.reviewer_id",
        "postmortem_reviews.verdict",
        "postmortem_reviews.comment",
        "postmortem_reviews.created_at",
        "postmortem_reviews.review_round",
        "users.display_name as reviewer_name",
      ])
      .where("postmortem_reviews.postmortem_id", "=", postmortem.id)
      .orderBy("postmortem_reviews.created_at")
      .execute(),
    db
      .selectFrom("incident_areas")
      .innerJoin("areas", "areas.id", "incident_areas.area_id")
      .select(["areas.id", "areas.name"])
      .where("incident_areas.incident_id", "=", postmortem.incident_id)
      .execute(),
    db
      .selectFrom("incident_areas")
      .innerJoin("area_maintainers", "area_maintainers.area_id", "incident_areas.area_id")
      .innerJoin("areas", "areas.id", "incident_areas.area_id")
      .select(["area_maintainers.user_id", "areas.name as area_name"])
      .where("incident_areas.incident_id", "=", postmortem.incident_id)
      .execute(),
    factorsWithoutAction(db, postmortem.id),
  ]);
  const currentRound: ReviewRecord[] = reviews
    .filter((r) => r.review_round === postmortem.review_round)
    .map((r) => ({ reviewerId: r.reviewer_id, reviewerName: r.reviewer_name, verdict: r.verdict, at: r.created_at }));
  const blockers =
    postmortem.status === "published"
      ? []
      : publishBlockers({
          status: postmortem.status,
          tier: postmortem.incident_tier,
          authorId: postmortem.created_by,
          reviews: currentRound,
          affectedAreas: areas.map((a) => a.name),
          maintainers: maintainers.map((m) => ({ userId: m.user_id, areaName: m.area_name })),
          otherBlockers: unresolvedFactors,
        });
  // Not rules: sections still holding only a template's guidance are pointed out, never block (ADR 25).
  const unfilled = postmortem.status === "published" ? [] : sectionsOnlyGuidance(postmortem.body as DocumentJSON, postmortemGuidance());
  const warnings = unfilled.length
    ? [`${unfilled.map((heading) => `“${heading}”`).join(", ")} ${unfilled.length === 1 ? "still holds" : "still hold"} only the template's guidance.`]
    : [];
  return { ...postmortem, reviews, blockers, warnings, maintainerIds: maintainers.map((m) => m.user_id) };
}

/** A postmortem's text is a versioned document, found by its incident's number; published, it is frozen. */
const POSTMORTEM_TEXT: VersionedKind<number> = {
  store: "postmortem",
  recordId: (db, workspaceId, incidentNumber) =>
    db
      .selectFrom("postmortems")
      .innerJoin("incidents", "incidents.id", "postmortems.incident_id")
      .select("postmortems.id")
      .where("postmortems.workspace_id", "=", workspaceId)
      .where("incidents.number", "=", incidentNumber),
  // The policy's read-only rule, checked under the save's lock.
  frozen: (status) => postmortemFrozen(status as PostmortemStatus),
};

const postmortemText = versionedDocuments(POSTMORTEM_TEXT);
/** Stores an edit made on top of `input.baseVersion`; a stale base is a conflict with the current text. */
export const savePostmortem = postmortemText.save;
export const listRevisions = postmortemText.listRevisions;
export const findRevision = postmortemText.findRevision;
/** Restoring makes a new version with the old text; history is never rewritten. */
export const restoreRevision = postmortemText.restore;

/** A refusal to publish lists what blocks it. */
export type WorkflowResult = Outcome | (Problem & { blockers?: string[] });

async function lockPostmortem(trx: Db, workspaceId: string, incidentNumber: number) {
  return trx
    .selectFrom("postmortems")
    .innerJoin("incidents", "incidents.id", "postmortems.incident_id")
    .select(["postmortems.id", "postmortems.status", "postmortems.review_round", "postmortems.created_by"])
    .where("postmortems.workspace_id", "=", workspaceId)
    .where("incidents.number", "=", incidentNumber)
    .forUpdate("postmortems")
    .executeTakeFirst();
}

export async function requestReview(db: Db, actor: PublicUser, workspaceId: string, incidentNumber: number): Promise<WorkflowResult> {
  return db.transaction().execute(async (trx) => {
    const pm = await lockPostmortem(trx, workspaceId, incidentNumber);
    if (!pm) return notFound("Postmortem not found.");
    if (pm.status !== "draft") return conflict("Only a draft can be sent for review.");
    const round = pm.review_round + 1;
    await trx.updateTable("postmortems").set({ status: "in_review", review_round: round }).where("id", "=", pm.id).execute();
    await recordChange(trx, { type: "postmortem", id: pm.id }, { workspaceId, actorId: actor.id, action: "postmortem.review_requested", change: { round } });
    return { ok: true as const };
  });
}

export async function reviewPostmortem(
  db: Db,
  actor: PublicUser,
  workspaceId: string,
  incidentNumber: number,
  input: { verdict: ReviewVerdict; comment: string },
): Promise<WorkflowResult> {
  return db.transaction().execute(async (trx) => {
    const pm = await lockPostmortem(trx, workspaceId, incidentNumber);
    if (!pm) return notFound("Postmortem not found.");
    if (pm.status !== "in_review") return conflict("This postmortem is not in review.");
    const decision = decideRecord(postmortemPolicy["postmortem.review"], actor.id, { startedBy: pm.created_by, verdict: input.verdict });
    if (!decision.ok) return decision;
    if (input.verdict === "request_changes" && !input.comment.trim()) {
      return conflict("Say what should change.");
    }
    const review = await trx
      .insertInto("postmortem_reviews")
      .values({ postmortem_id: pm.id, reviewer_id: actor.id, review_round: pm.review_round, verdict: input.verdict, comment: input.comment.trim() })
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordAuditEvent(trx, {
      workspaceId,
      actorId: actor.id,
      action: `postmortem.reviewed`,
      entityType: "postmortem",
      entityId: pm.id,
      change: { verdict: input.verdict, review: review.id, round: pm.review_round },
    });
    return { ok: true as const };
  });
}

/** Publishes when every rule is met; otherwise refuses with the reasons, all of them. */
export async function publishPostmortem(db: Db, actor: PublicUser, workspaceId: string, incidentNumber: number): Promise<WorkflowResult> {
  return db.transaction().execute(async (trx) => {
    const pm = await lockPostmortem(trx, workspaceId, incidentNumber);
    if (!pm) return notFound("Postmortem not found.");
    const full = await findPostmortem(trx, workspaceId, incidentNumber);
    if (!full) return notFound("Postmortem not found.");
    if (full.blockers.length || full.status !== "in_review") {
      return { ...conflict("It can't be published yet."), blockers: full.blockers };
    }
    await trx
      .updateTable("postmortems")
      .set({ status: "published", published_at: new Date(), published_by: actor.id })
      .where("id", "=", pm.id)
      .execute();
    await recordChange(trx, { type: "postmortem", id: pm.id }, { workspaceId, actorId: actor.id, action: "postmortem.published", change: { version: full.version } });
    return { ok: true as const };
  });
}

/** Back to draft: withdraws a review request, or reopens a published postmortem for edits. */
export async function reopenPostmortem(db: Db, actor: PublicUser, workspaceId: string, incidentNumber: number): Promise<WorkflowResult> {
  return db.transaction().execute(async (trx) => {
    const pm = await lockPostmortem(trx, workspaceId, incidentNumber);
    if (!pm) return notFound("Postmortem not found.");
    if (pm.status === "draft") return conflict("It is already a draft.");
    await trx.updateTable("postmortems").set({ status: "draft", published_at: null, published_by: null }).where("id", "=", pm.id).execute();
    await recordChange(trx, { type: "postmortem", id: pm.id }, { workspaceId, actorId: actor.id, action: "postmortem.reopened", change: { from: pm.status } });
    return { ok: true as const };
  });
}

export async function listPostmortems(db: Db, workspaceId: string) {
  return db
    .selectFrom("postmortems")
    .innerJoin("incidents", "incidents.id", "postmortems.incident_id")
    .innerJoin("users", "users.id", "postmortems.updated_by")
    .select([
      "postmortems.id",
      "postmortems.title",
      "postmortems.status",
      "postmortems.updated_at",
      "postmortems.published_at",
      "incidents.number as incident_number",
      "incidents.tier as incident_tier",
      "incidents.severity as incident_severity",
      "users.display_name as updated_by_name",
    ])
    .where("postmortems.workspace_id", "=", workspaceId)
    .orderBy("postmortems.updated_at", "desc")
    .limit(200)
    .execute();
}

/** Just enough to show the postmortem's state on its incident's page. */
export async function postmortemSummary(db: Db, workspaceId: string, incidentNumber: number) {
  return (
    (await db
      .selectFrom("postmortems")
      .innerJoin("incidents", "incidents.id", "postmortems.incident_id")
      .select(["postmortems.id", "postmortems.title", "postmortems.status", "postmortems.updated_at", "postmortems.version"])
      .where("postmortems.workspace_id", "=", workspaceId)
      .where("incidents.number", "=", incidentNumber)
      .executeTakeFirst()) ?? null
  );
}
