import { sql } from "kysely";
import type { Db } from "#db/connection";
import type { ApiTokenScope, Role } from "#db/schema";
import { recordAuditEvent } from "~/domain/shared/audit.server";
import type { PublicUser } from "~/domain/accounts/index.server";
import { generateSecretToken, hashToken } from "~/domain/shared/tokens.server";

/**
 * Workspace API tokens: `hs_` + 160 random bits, shown once; the database keeps the SHA-256
 * (like sessions). A token acts for the admin who created it, within its scope: read, or write.
 * It stops working when revoked, and when its creator leaves the workspace; a write token whose
 * creator is no longer an editor can only read (the policy caps it: ~/domain/shared/policy.ts).
 */

const TOKEN_PATTERN = /^hs_[a-z2-7]{32}$/;
/** last_used_at is written at most this often per token, so reads don't each become a write. */
const LAST_USED_RESOLUTION_MS = 60_000;

export async function createApiToken(
  db: Db,
  actor: PublicUser,
  workspaceId: string,
  input: { name: string; scope: ApiTokenScope },
): Promise<{ id: string; token: string }> {
  const token = `hs_${generateSecretToken()}`;
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto("api_tokens")
      .values({ workspace_id: workspaceId, name: input.name.trim(), token_hash: hashToken(token), prefix: token.slice(0, 7), scope: input.scope, created_by: actor.id })
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordAuditEvent(trx, {
      workspaceId,
      actorId: actor.id,
      action: "api_token.created",
      entityType: "api_token",
      entityId: row.id,
      change: { name: input.name.trim(), scope: input.scope },
    });
    return { id: row.id, token };
  });
}

export async function revokeApiToken(db: Db, actor: PublicUser, workspaceId: string, tokenId: string, now = new Date()): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const revoked = await trx
      .updateTable("api_tokens")
      .set({ revoked_at: now, revoked_by: actor.id })
      .where("id", "=", tokenId)
      .where("workspace_id", "=", workspaceId)
      .where("revoked_at", "is", null)
      .returning(["id", "name"])
      .executeTakeFirst();
    if (!revoked) return false;
    await recordAuditEvent(trx, { workspaceId, actorId: actor.id, action: "api_token.revoked", entityType: "api_token", entityId: tokenId, change: { name: revoked.name } });
    return true;
  });
}

export async function listApiTokens(db: Db, workspaceId: string) {
  return db
    .selectFrom("api_tokens")
    .innerJoin("users", "users.id", "api_tokens.created_by")
    .select([
      "api_tokens.id",
      "api_tokens.name",
      "api_tokens.prefix",
      "api_tokens.scope",
      "api_tokens.created_at",
      "api_tokens.last_used_at",
      "api_tokens.revoked_at",
      "users.display_name as created_by_name",
    ])
    .where("api_tokens.workspace_id", "=", workspaceId)
    .orderBy(sql`api_tokens.revoked_at is not null`)
    .orderBy("api_tokens.created_at", "desc")
    .execute();
}

export type ApiCaller = {
  tokenId: string;
  workspaceId: string;
  workspaceSlug: string;
  /** The scope the token was made with, and its creator's role now: the policy caps one by the other. */
  tokenScope: ApiTokenScope;
  creatorRole: Role;
  /** Writes are recorded as the token's creator. */
  actor: PublicUser;
};

/** The caller a bearer token stands for, or null for a malformed, unknown or revoked one. */
export async function authenticateApiToken(db: Db, token: string, now = new Date()): Promise<ApiCaller | null> {
  if (!TOKEN_PATTERN.test(token)) return null;
  const row = await db
    .selectFrom("api_tokens")
    .innerJoin("workspaces", "workspaces.id", "api_tokens.workspace_id")
    .innerJoin("users", "users.id", "api_tokens.created_by")
    .innerJoin("memberships", (join) =>
      join.onRef("memberships.workspace_id", "=", "api_tokens.workspace_id").onRef("memberships.user_id", "=", "api_tokens.created_by"),
    )
    .select([
      "api_tokens.id",
      "api_tokens.scope",
      "api_tokens.last_used_at",
      "workspaces.id as workspace_id",
      "workspaces.slug",
      "users.id as user_id",
      "users.email",
      "users.display_name",
      "memberships.role",
    ])
    .where("api_tokens.token_hash", "=", hashToken(token))
    .where("api_tokens.revoked_at", "is", null)
    .executeTakeFirst();
  if (!row) return null;
  if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() > LAST_USED_RESOLUTION_MS) {
    await db.updateTable("api_tokens").set({ last_used_at: now }).where("id", "=", row.id).execute();
  }
  return {
    tokenId: row.id,
    workspaceId: row.workspace_id,
    workspaceSlug: row.slug,
    tokenScope: row.scope,
    creatorRole: row.role,
    actor: { id: row.user_id, email: row.email, display_name: row.display_name },
  };
}
