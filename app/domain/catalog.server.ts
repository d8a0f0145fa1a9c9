import type { Db } from "#db/connection";
import type { TierKey } from "#db/schema";
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
type CatalogArea = { slug: string; name: string; description: string; defaultTier: TierKey };

export const TIER_KEYS: readonly TierKey[] = ["T0", "T1", "T2", "T3"];

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
