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
import { publishBlockers, tierApproval, type ReviewRecord } from "./review";
import { approvedText, changedWithin } from "./approval-changes";
import { queueNotifications } from "~/domain/notifications/index.server";
import { recordChange } from "~/domain/search/index.server";
import { postmortemGuidance, postmortemTemplate } from "./templates.server";
import { INCIDENT_HEADLINE } from "~/domain/incidents/index.server";

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
      ...INCIDENT_HEADLINE,
      "incidents.tier as incident_tier",
      "incidents.severity as incident_severity",
      "editor.display_name as updated_by_name",
      "author.display_name as author_name",
    ])
    .where("postmortems.workspace_id", "=", workspaceId)
    .where("incidents.number", "=", incidentNumber);
}

/** Who must approve at the postmortem's tier, and how much text may change after an approval (the workspace's settings). */
async function reviewRules(db: Db, workspaceId: string, tier: TierKey) {
  const row = await db
    .selectFrom("workspaces")
    .leftJoin("tiers", (join) => join.onRef("tiers.workspace_id", "=", "workspaces.id").on("tiers.key", "=", tier))
    .select(["workspaces.approval_tolerance", "tiers.approval"])
    .where("workspaces.id", "=", workspaceId)
    .executeTakeFirst();
  return { approval: tierApproval(tier, row?.approval ?? "other"), tolerance: row?.approval_tolerance ?? 0 };
}

/** The postmortem with its current review round, who was asked, and what still stands between it and publishing. */
export async function findPostmortem(db: Db, workspaceId: string, incidentNumber: number) {
  const postmortem = await postmortemQuery(db, workspaceId, incidentNumber).executeTakeFirst();
  if (!postmortem) return null;
  const [reviews, areas, maintainers, unresolvedFactors, requests, rules] = await Promise.all([
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
        "postmortem_reviews.postmortem_version",
        "postmortem_reviews.reviewed_text",
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
    db
      .selectFrom("review_requests")
      .innerJoin("users", "users.id", "review_requests.reviewer_id")
      .select(["review_requests.reviewer_id", "users.display_name as reviewer_name", "review_requests.requested_at"])
      .where("review_requests.postmortem_id", "=", postmortem.id)
      .where("review_requests.review_round", "=", postmortem.review_round)
      .orderBy("users.display_name")
      .execute(),
    reviewRules(db, workspaceId, postmortem.incident_tier),
  ]);
  const text = approvedText(postmortem.title, postmortem.body_text);
  // An approval stands for the version it was given on, or for a later text within the workspace's tolerance.
  const current = (r: (typeof reviews)[number]) =>
    r.postmortem_version === postmortem.version || (rules.tolerance > 0 && r.reviewed_text !== null && changedWithin(r.reviewed_text, text, rules.tolerance));
  const withStanding = reviews.map(({ reviewed_text: _text, ...r }) => ({ ...r, current: r.verdict !== "approve" || current({ ...r, reviewed_text: _text }) }));
  const currentRound: ReviewRecord[] = withStanding
    .filter((r) => r.review_round === postmortem.review_round)
    .map((r) => ({ reviewerId: r.reviewer_id, reviewerName: r.reviewer_name, verdict: r.verdict, at: r.created_at, version: r.postmortem_version, current: r.current }));
  const blockers =
    postmortem.status === "published"
      ? []
      : publishBlockers({
          status: postmortem.status,
          tier: postmortem.incident_tier,
          approval: rules.approval,
          authorId: postmortem.created_by,
          version: postmortem.version,
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
  return { ...postmortem, reviews: withStanding, requests, approval: rules.approval, blockers, warnings, maintainerIds: maintainers.map((m) => m.user_id) };
}

/**
 * Who may be asked to review: members who may review (editors and admins), the maintainers of the
 * incident's affected areas first (with the areas they keep), then everyone else by name.
 */
export async function reviewerChoices(db: Db, workspaceId: string, incidentNumber: number) {
  const [members, maintainers] = await Promise.all([
    db
      .selectFrom("memberships")
      .innerJoin("users", "users.id", "memberships.user_id")
      .select(["users.id", "users.display_name"])
      .where("memberships.workspace_id", "=", workspaceId)
      .where("memberships.role", "in", ["editor", "admin"])
      .orderBy("users.display_name")
      .execute(),
    db
      .selectFrom("incidents")
      .innerJoin("incident_areas", "incident_areas.incident_id", "incidents.id")
      .innerJoin("area_maintainers", "area_maintainers.area_id", "incident_areas.area_id")
      .innerJoin("areas", "areas.id", "incident_areas.area_id")
      .select(["area_maintainers.user_id", "areas.name"])
      .where("incidents.workspace_id", "=", workspaceId)
      .where("incidents.number", "=", incidentNumber)
      .orderBy("areas.name")
      .execute(),
  ]);
  const keeps = new Map<string, string[]>();
  for (const m of maintainers) keeps.set(m.user_id, [...(keeps.get(m.user_id) ?? []), m.name]);
  const choices = members.map((m) => ({ id: m.id, name: m.display_name, maintains: keeps.get(m.id) ?? [] }));
  return [...choices.filter((c) => c.maintains.length), ...choices.filter((c) => !c.maintains.length)];
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
    .select([
      "postmortems.id",
      "postmortems.status",
      "postmortems.review_round",
      "postmortems.created_by",
      "postmortems.version",
      "postmortems.title",
      "postmortems.body_text",
      "incidents.number",
      "incidents.tier",
    ])
    .where("postmortems.workspace_id", "=", workspaceId)
    .where("incidents.number", "=", incidentNumber)
    .forUpdate("postmortems")
    .executeTakeFirst();
}

/**
 * Sends a draft for review (a new review round), or asks more people in the round under way.
 * Each person asked gets a review request (their inbox shows it) and is owed a mail. Reviewers
 * must be members who may review, other than the one asking.
 */
export async function requestReview(
  db: Db,
  actor: PublicUser,
  workspaceId: string,
  incidentNumber: number,
  reviewerIds: readonly string[] = [],
): Promise<WorkflowResult> {
  return db.transaction().execute(async (trx) => {
    const pm = await lockPostmortem(trx, workspaceId, incidentNumber);
    if (!pm) return notFound("Postmortem not found.");
    if (pm.status === "published") return conflict("It is published: reopen it before asking for a review.");
    if (pm.status === "in_review" && reviewerIds.length === 0) return invalid({ reviewers: ["Choose who else should review it."] });
    const wanted = [...new Set(reviewerIds)];
    const eligible = wanted.length
      ? await trx
          .selectFrom("memberships")
          .innerJoin("users", "users.id", "memberships.user_id")
          .select(["users.id", "users.display_name"])
          .where("memberships.workspace_id", "=", workspaceId)
          .where("memberships.role", "in", ["editor", "admin"])
          .where("users.id", "in", wanted)
          .execute()
      : [];
    if (eligible.length !== wanted.length || wanted.includes(actor.id)) {
      return invalid({ reviewers: ["Choose reviewers among the workspace's editors and admins, other than yourself."] });
    }
    const round = pm.status === "draft" ? pm.review_round + 1 : pm.review_round;
    if (pm.status === "draft") await trx.updateTable("postmortems").set({ status: "in_review", review_round: round }).where("id", "=", pm.id).execute();
    const added = wanted.length
      ? await trx
          .insertInto("review_requests")
          .values(wanted.map((id) => ({ workspace_id: workspaceId, postmortem_id: pm.id, reviewer_id: id, requested_by: actor.id, review_round: round })))
          .onConflict((oc) => oc.columns(["postmortem_id", "review_round", "reviewer_id"]).doNothing())
          .returning("reviewer_id")
          .execute()
      : [];
    const workspace = await trx.selectFrom("workspaces").select(["slug", "name"]).where("id", "=", workspaceId).executeTakeFirstOrThrow();
    const reference = incidentReference(pm.number);
    await queueNotifications(
      trx,
      added.map((a) => ({
        workspaceId,
        userId: a.reviewer_id,
        kind: "review_requested" as const,
        subject: `Review requested: ${reference} ${pm.title}`,
        body: `${actor.display_name} asked you to review “${pm.title}” (${pm.tier}) in ${workspace.name}. Approve it, ask for changes, or comment.`,
        link: `/w/${workspace.slug}/incidents/${pm.number}/postmortem`,
      })),
    );
    const reviewers = added.map((a) => a.reviewer_id);
    await recordChange(trx, { type: "postmortem", id: pm.id }, { workspaceId, actorId: actor.id, action: "postmortem.review_requested", change: { round, reviewers } });
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
    const { approval } = await reviewRules(trx, workspaceId, pm.tier);
    const decision = decideRecord(postmortemPolicy["postmortem.review"], actor.id, { startedBy: pm.created_by, verdict: input.verdict, approval });
    if (!decision.ok) return decision;
    if (input.verdict === "request_changes" && !input.comment.trim()) {
      return conflict("Say what should change.");
    }
    const review = await trx
      .insertInto("postmortem_reviews")
      .values({
        postmortem_id: pm.id,
        reviewer_id: actor.id,
        review_round: pm.review_round,
        verdict: input.verdict,
        comment: input.comment.trim(),
        // The approval is for this version; its text is kept to measure later changes against.
        postmortem_version: pm.version,
        reviewed_text: input.verdict === "approve" ? approvedText(pm.title, pm.body_text) : null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordAuditEvent(trx, {
      workspaceId,
      actorId: actor.id,
      action: `postmortem.reviewed`,
      entityType: "postmortem",
      entityId: pm.id,
      change: { verdict: input.verdict, review: review.id, round: pm.review_round, version: pm.version },
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
    // A draft may be published straight away only where its tier needs no approval (the blockers say so).
    if (full.blockers.length || full.status === "published") {
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
