import type { Db } from "#db/connection";
import { conflict, notFound, type Outcome } from "~/domain/shared/outcomes";
import type { TierApproval, TierKey } from "#db/schema";
import { recordAuditEvent } from "~/domain/shared/audit.server";
import defaultAreas from "#templates/catalog/areas.json";
import defaultTiers from "#templates/catalog/tiers.json";

type CatalogTier = {
  key: TierKey;
  name: string;
  summary: string;
  typicalChanges: string[];
  requiredChecks: string[];
  releaseControls: string[];
};
export type ReviewRules = { t0: TierApproval; t1: TierApproval; tolerance: number };

type CatalogArea = { slug: string; name: string; description: string; defaultTier: TierKey };

/** Copies the default tiers and risk areas of templates/catalog into a new workspace. */
export async function installDefaultCatalog(trx: Db, workspaceId: string): Promise<void> {
  await trx
    .insertInto("tiers")
    .values(
      (defaultTiers as CatalogTier[]).map((t) => ({
        workspace_id: workspaceId,
        key: t.key,
        name: t.name,
        summary: t.summary,
        typical_changes: JSON.stringify(t.typicalChanges),
        required_checks: JSON.stringify(t.requiredChecks),
        release_controls: JSON.stringify(t.releaseControls),
      })),
    )
    .execute();
  await trx
    .insertInto("areas")
    .values(
      (defaultAreas as CatalogArea[]).map((a) => ({
        workspace_id: workspaceId,
        slug: a.slug,
        name: a.name,
        description: a.description,
        default_tier: a.defaultTier,
      })),
    )
    .execute();
}

export async function listTiers(db: Db, workspaceId: string) {
  return db.selectFrom("tiers").selectAll().where("workspace_id", "=", workspaceId).orderBy("key").execute();
}

export async function listAreas(db: Db, workspaceId: string) {
  return db.selectFrom("areas").selectAll().where("workspace_id", "=", workspaceId).orderBy("name").execute();
}

/** Each area's maintainers, by area id. */
export async function areaMaintainers(db: Db, workspaceId: string) {
  const rows = await db
    .selectFrom("area_maintainers")
    .innerJoin("areas", "areas.id", "area_maintainers.area_id")
    .innerJoin("users", "users.id", "area_maintainers.user_id")
    .select(["areas.id as area_id", "users.id as user_id", "users.display_name"])
    .where("areas.workspace_id", "=", workspaceId)
    .orderBy("users.display_name")
    .execute();
  const byArea = new Map<string, { id: string; name: string }[]>();
  for (const r of rows) byArea.set(r.area_id, [...(byArea.get(r.area_id) ?? []), { id: r.user_id, name: r.display_name }]);
  return byArea;
}

/**
 * Names the maintainers of an area. Only members of the workspace can be named; returns
 * false when the area or a person is not in this workspace.
 */
export async function setAreaMaintainers(
  db: Db,
  actor: { id: string },
  workspaceId: string,
  areaId: string,
  userIds: string[],
): Promise<boolean> {
  const wanted = [...new Set(userIds)];
  return db.transaction().execute(async (trx) => {
    const area = await trx.selectFrom("areas").select(["id", "name"]).where("id", "=", areaId).where("workspace_id", "=", workspaceId).executeTakeFirst();
    if (!area) return false;
    if (wanted.length) {
      const members = await trx
        .selectFrom("memberships")
        .select("user_id")
        .where("workspace_id", "=", workspaceId)
        .where("user_id", "in", wanted)
        .execute();
      if (members.length !== wanted.length) return false;
    }
    await trx.deleteFrom("area_maintainers").where("area_id", "=", areaId).execute();
    if (wanted.length) await trx.insertInto("area_maintainers").values(wanted.map((user_id) => ({ area_id: areaId, user_id }))).execute();
    await recordAuditEvent(trx, {
      workspaceId,
      actorId: actor.id,
      action: "area.maintainers_set",
      entityType: "area",
      entityId: areaId,
      change: { maintainers: wanted },
    });
    return true;
  });
}

export type TierTextInput = { name: string; summary: string; typicalChanges: string[]; requiredChecks: string[]; releaseControls: string[] };

/** Each workspace words its own tiers; the keys T0..T3 stay. */
export async function updateTier(db: Db, actor: { id: string }, workspaceId: string, key: TierKey, input: TierTextInput): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable("tiers")
      .set({
        name: input.name,
        summary: input.summary,
        typical_changes: JSON.stringify(input.typicalChanges),
        required_checks: JSON.stringify(input.requiredChecks),
        release_controls: JSON.stringify(input.releaseControls),
      })
      .where("workspace_id", "=", workspaceId)
      .where("key", "=", key)
      .returning("id")
      .executeTakeFirst();
    if (!updated) return false;
    await recordAuditEvent(trx, { workspaceId, actorId: actor.id, action: "tier.updated", entityType: "tier", entityId: updated.id, change: { key, ...input } });
    return true;
  });
}

export type AreaInput = { name: string; slug: string; description: string; defaultTier: TierKey };

/** Adds a risk area, or (with areaId) renames it and changes its default tier. */
export async function saveArea(
  db: Db,
  actor: { id: string },
  workspaceId: string,
  areaId: string | null,
  input: AreaInput,
): Promise<Outcome> {
  return db.transaction().execute(async (trx) => {
    const clash = await trx
      .selectFrom("areas")
      .select("id")
      .where("workspace_id", "=", workspaceId)
      .where("slug", "=", input.slug)
      .$if(areaId !== null, (q) => q.where("id", "<>", areaId!))
      .executeTakeFirst();
    if (clash) return conflict("Another area already uses this short name.", { slug: ["Another area already uses this short name."] });
    const values = { name: input.name, slug: input.slug, description: input.description, default_tier: input.defaultTier };
    const row = areaId
      ? await trx.updateTable("areas").set(values).where("id", "=", areaId).where("workspace_id", "=", workspaceId).returning("id").executeTakeFirst()
      : await trx.insertInto("areas").values({ ...values, workspace_id: workspaceId }).returning("id").executeTakeFirst();
    if (!row) return notFound("Area not found.");
    await recordAuditEvent(trx, {
      workspaceId,
      actorId: actor.id,
      action: areaId ? "area.updated" : "area.created",
      entityType: "area",
      entityId: row.id,
      change: { ...input },
    });
    return { ok: true as const };
  });
}

/** The workspace's review rules: who approves at T0 and T1, and how much may change after an approval. */
export async function reviewRulesOf(db: Db, workspaceId: string): Promise<ReviewRules> {
  const [workspace, tiers] = await Promise.all([
    db.selectFrom("workspaces").select("approval_tolerance").where("id", "=", workspaceId).executeTakeFirstOrThrow(),
    db.selectFrom("tiers").select(["key", "approval"]).where("workspace_id", "=", workspaceId).where("key", "in", ["T0", "T1"]).execute(),
  ]);
  const of = (key: TierKey) => tiers.find((t) => t.key === key)?.approval ?? "other";
  return { t0: of("T0"), t1: of("T1"), tolerance: workspace.approval_tolerance };
}

/** Saves the review rules (an admin's; docs/decisions/0024). */
export async function saveReviewRules(db: Db, actor: { id: string }, workspaceId: string, rules: ReviewRules): Promise<{ ok: true }> {
  return db.transaction().execute(async (trx) => {
    await trx.updateTable("workspaces").set({ approval_tolerance: rules.tolerance }).where("id", "=", workspaceId).execute();
    await trx.updateTable("tiers").set({ approval: rules.t0 }).where("workspace_id", "=", workspaceId).where("key", "=", "T0").execute();
    await trx.updateTable("tiers").set({ approval: rules.t1 }).where("workspace_id", "=", workspaceId).where("key", "=", "T1").execute();
    await recordAuditEvent(trx, { workspaceId, actorId: actor.id, action: "workspace.review_rules_changed", entityType: "workspace", entityId: workspaceId, change: { ...rules } });
    return { ok: true as const };
  });
}
