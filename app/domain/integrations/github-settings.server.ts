import type { Db } from "#db/connection";
import { recordAuditEvent } from "~/domain/shared/audit.server";
import { invalid, type Outcome } from "~/domain/shared/outcomes";
import type { PublicUser } from "~/domain/accounts/index.server";
import { DEFAULT_ASSIST_TOOLS, DEFAULT_STALE_AFTER_DAYS, DEFAULT_TIER_LABEL_PATTERNS, tierPatternProblem } from "~/domain/guardrails/index.server";
import { needsResealing, openSecret, sealSecret, secretKeyring, type Keyring } from "./secret-box.server";

/**
 * A workspace's GitHub settings: which labels name a pull request's tier, which tools count as
 * model assistance, after how many days a required gate not seen passing is stale, and the token
 * "Check now" uses (sealed at rest like the webhook secrets, ADR 0017; only its last characters
 * are ever shown again).
 */

export type GithubSettings = {
  tierLabelPatterns: string[];
  assistTools: string[];
  staleAfterDays: number;
  tokenHint: string | null;
  updatedAt: Date | null;
};

function tokenContext(workspaceId: string): string {
  return `github_settings:${workspaceId}:api_token`;
}

export async function githubSettings(db: Db, workspaceId: string): Promise<GithubSettings> {
  const row = await db
    .selectFrom("github_settings")
    .select(["tier_label_patterns", "assist_tools", "stale_after_days", "token_hint", "updated_at"])
    .where("workspace_id", "=", workspaceId)
    .executeTakeFirst();
  if (!row) return { tierLabelPatterns: DEFAULT_TIER_LABEL_PATTERNS, assistTools: DEFAULT_ASSIST_TOOLS, staleAfterDays: DEFAULT_STALE_AFTER_DAYS, tokenHint: null, updatedAt: null };
  return { tierLabelPatterns: row.tier_label_patterns, assistTools: row.assist_tools, staleAfterDays: row.stale_after_days, tokenHint: row.token_hint, updatedAt: row.updated_at };
}

/** The stored token in plain, for one outbound call; null when none is stored. */
export async function githubToken(db: Db, workspaceId: string, ring: Keyring = secretKeyring()): Promise<string | null> {
  const row = await db.selectFrom("github_settings").select("api_token").where("workspace_id", "=", workspaceId).executeTakeFirst();
  return row?.api_token ? openSecret(ring, row.api_token, tokenContext(workspaceId)) : null;
}

export type GithubSettingsInput = { tierLabelPatterns: string[]; assistTools: string[]; staleAfterDays: number };

export async function saveGithubSettings(db: Db, actor: PublicUser, workspaceId: string, input: GithubSettingsInput): Promise<Outcome> {
  const problems = input.tierLabelPatterns.map(tierPatternProblem).filter((p): p is string => p !== null);
  if (problems.length) return invalid({ tierLabelPatterns: problems });
  const values = {
    tier_label_patterns: JSON.stringify(input.tierLabelPatterns),
    assist_tools: JSON.stringify(input.assistTools),
    stale_after_days: input.staleAfterDays,
    updated_by: actor.id,
    updated_at: new Date(),
  };
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto("github_settings")
      .values({ workspace_id: workspaceId, ...values })
      .onConflict((oc) => oc.column("workspace_id").doUpdateSet(values))
      .execute();
    await recordAuditEvent(trx, { workspaceId, actorId: actor.id, action: "github.settings_changed", entityType: "integration", entityId: "github", change: { ...input } });
  });
  return { ok: true };
}

/** Stores (or, given null, removes) the token for Check now. */
export async function setGithubToken(db: Db, actor: PublicUser, workspaceId: string, token: string | null): Promise<void> {
  const sealed = token ? sealSecret(secretKeyring(), token, tokenContext(workspaceId)) : null;
  const hint = token ? token.slice(-4) : null;
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto("github_settings")
      .values({ workspace_id: workspaceId, api_token: sealed, token_hint: hint, updated_by: actor.id })
      .onConflict((oc) => oc.column("workspace_id").doUpdateSet({ api_token: sealed, token_hint: hint, updated_by: actor.id, updated_at: new Date() }))
      .execute();
    await recordAuditEvent(trx, {
      workspaceId,
      actorId: actor.id,
      action: token ? "github.token_set" : "github.token_removed",
      entityType: "integration",
      entityId: "github",
      change: { hint },
    });
  });
}

/** Seals stored GitHub tokens that are plain or under an older key with the current one (start-up, `npm run secrets:rotate`). */
export async function resealGithubTokens(db: Db, ring: Keyring = secretKeyring()): Promise<{ resealed: number; unreadable: number }> {
  const rows = await db.selectFrom("github_settings").select(["workspace_id", "api_token"]).where("api_token", "is not", null).execute();
  let resealed = 0;
  let unreadable = 0;
  for (const row of rows) {
    if (!row.api_token || !needsResealing(ring, row.api_token)) continue;
    const context = tokenContext(row.workspace_id);
    try {
      const sealed = sealSecret(ring, openSecret(ring, row.api_token, context), context);
      await db.updateTable("github_settings").set({ api_token: sealed }).where("workspace_id", "=", row.workspace_id).where("api_token", "=", row.api_token).execute();
      resealed += 1;
    } catch {
      unreadable += 1;
    }
  }
  return { resealed, unreadable };
}
