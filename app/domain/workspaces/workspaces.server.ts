import type { Db } from "#db/connection";
import type { Role, Workspace } from "#db/schema";
import { conflict, notFound, type Outcome } from "~/domain/shared/outcomes";
import { decideRecord } from "~/domain/shared/policy";
import { recordAuditEvent } from "~/domain/shared/audit.server";
import type { PublicUser } from "~/domain/accounts/index.server";
import { installDefaultCatalog } from "./catalog.server";
import { generateSecretToken, hashToken } from "~/domain/shared/tokens.server";
import { workspacePolicy } from "./policy";
import { queueInviteMail } from "~/domain/notifications/index.server";

const INVITE_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;
/** Words that would shadow app URLs or read as official. */
const RESERVED_SLUGS = new Set(["new", "admin", "api", "settings", "login", "signup", "logout", "invite", "healthz", "webhooks"]);

export type WorkspaceMembership = { workspace: Workspace; role: Role };

export async function createWorkspace(
  db: Db,
  actor: PublicUser,
  input: { name: string; slug: string },
): Promise<Outcome<{ workspace: Workspace }>> {
  if (RESERVED_SLUGS.has(input.slug)) {
    return conflict("That address is reserved. Choose another.", { slug: ["That address is reserved. Choose another."] });
  }
  return db.transaction().execute(async (trx) => {
    const workspace = await trx
      .insertInto("workspaces")
      .values({ name: input.name.trim(), slug: input.slug })
      .onConflict((oc) => oc.column("slug").doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!workspace) return conflict("That address is taken. Choose another.", { slug: ["That address is taken. Choose another."] });
    await trx.insertInto("memberships").values({ workspace_id: workspace.id, user_id: actor.id, role: "admin" }).execute();
    await installDefaultCatalog(trx, workspace.id);
    await recordAuditEvent(trx, {
      workspaceId: workspace.id,
      actorId: actor.id,
      action: "workspace.created",
      entityType: "workspace",
      entityId: workspace.id,
      change: { name: workspace.name, slug: workspace.slug },
    });
    return { ok: true as const, workspace };
  });
}

export async function workspacesOf(db: Db, userId: string) {
  return db
    .selectFrom("memberships")
    .innerJoin("workspaces", "workspaces.id", "memberships.workspace_id")
    .select(["workspaces.id", "workspaces.slug", "workspaces.name", "memberships.role"])
    .where("memberships.user_id", "=", userId)
    .orderBy("workspaces.name")
    .execute();
}

/** The user's role in the workspace with this slug; null when it doesn't exist or they aren't a member. */
export async function findMembership(db: Db, userId: string, slug: string): Promise<WorkspaceMembership | null> {
  const row = await db
    .selectFrom("workspaces")
    .innerJoin("memberships", "memberships.workspace_id", "workspaces.id")
    .selectAll("workspaces")
    .select("memberships.role")
    .where("workspaces.slug", "=", slug)
    .where("memberships.user_id", "=", userId)
    .executeTakeFirst();
  if (!row) return null;
  const { role, ...workspace } = row;
  return { workspace, role };
}

export async function renameWorkspace(db: Db, actor: PublicUser, workspaceId: string, name: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom("workspaces").select("name").where("id", "=", workspaceId).executeTakeFirstOrThrow();
    await trx.updateTable("workspaces").set({ name: name.trim() }).where("id", "=", workspaceId).execute();
    await recordAuditEvent(trx, {
      workspaceId,
      actorId: actor.id,
      action: "workspace.renamed",
      entityType: "workspace",
      entityId: workspaceId,
      change: { from: before.name, to: name.trim() },
    });
  });
}

export async function listMembers(db: Db, workspaceId: string) {
  return db
    .selectFrom("memberships")
    .innerJoin("users", "users.id", "memberships.user_id")
    .select(["users.id", "users.email", "users.display_name", "memberships.role", "memberships.created_at"])
    .where("memberships.workspace_id", "=", workspaceId)
    .orderBy("users.display_name")
    .execute();
}

type MemberChangeResult = Outcome;

/** Changes a member's role, or removes them (role null). A workspace always keeps one admin. */
export async function changeMemberRole(
  db: Db,
  actor: PublicUser,
  workspaceId: string,
  userId: string,
  role: Role | null,
): Promise<MemberChangeResult> {
  return db.transaction().execute(async (trx) => {
    // Lock the workspace's memberships so two admins demoting each other can't leave none.
    const members = await trx
      .selectFrom("memberships")
      .select(["user_id", "role"])
      .where("workspace_id", "=", workspaceId)
      .forUpdate()
      .execute();
    const target = members.find((m) => m.user_id === userId);
    if (!target) return notFound("That person is not a member.");
    const admins = members.filter((m) => m.role === "admin").length;
    const rule = role === null ? workspacePolicy["member.remove"] : workspacePolicy["member.change-role"];
    const decision = decideRecord(rule, actor.id, { targetRole: target.role, newRole: role, admins });
    if (!decision.ok) return decision;
    if (role === null) {
      await trx.deleteFrom("memberships").where("workspace_id", "=", workspaceId).where("user_id", "=", userId).execute();
    } else {
      await trx.updateTable("memberships").set({ role }).where("workspace_id", "=", workspaceId).where("user_id", "=", userId).execute();
    }
    await recordAuditEvent(trx, {
      workspaceId,
      actorId: actor.id,
      action: role === null ? "member.removed" : "member.role_changed",
      entityType: "user",
      entityId: userId,
      change: { from: target.role, to: role },
    });
    return { ok: true as const };
  });
}

export async function createInvite(
  db: Db,
  actor: PublicUser,
  workspaceId: string,
  role: Role,
  now = new Date(),
  /** Also mail the link to this address (by a job; only when mail is configured). */
  mailTo?: { email: string; linkFor: (token: string) => string },
): Promise<{ token: string; expiresAt: Date }> {
  const token = generateSecretToken();
  const expiresAt = new Date(now.getTime() + INVITE_LIFETIME_MS);
  const email = mailTo?.email.trim().toLowerCase() ?? null;
  await db.transaction().execute(async (trx) => {
    const invite = await trx
      .insertInto("invites")
      .values({ workspace_id: workspaceId, token_hash: hashToken(token), role, created_by: actor.id, expires_at: expiresAt, email })
      .returning("id")
      .executeTakeFirstOrThrow();
    if (mailTo && email) await queueInviteMail(trx, { id: invite.id, email, link: mailTo.linkFor(token) });
    await recordAuditEvent(trx, {
      workspaceId,
      actorId: actor.id,
      action: "invite.created",
      entityType: "invite",
      entityId: invite.id,
      change: { role, expiresAt: expiresAt.toISOString(), ...(email ? { email } : {}) },
    });
  });
  return { token, expiresAt };
}

export async function pendingInvites(db: Db, workspaceId: string, now = new Date()) {
  return db
    .selectFrom("invites")
    .innerJoin("users", "users.id", "invites.created_by")
    .select(["invites.id", "invites.role", "invites.email", "invites.created_at", "invites.expires_at", "users.display_name as created_by_name"])
    .where("invites.workspace_id", "=", workspaceId)
    .where("invites.accepted_at", "is", null)
    .where("invites.revoked_at", "is", null)
    .where("invites.expires_at", ">", now)
    .orderBy("invites.created_at", "desc")
    .execute();
}

export async function revokeInvite(db: Db, actor: PublicUser, workspaceId: string, inviteId: string): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const revoked = await trx
      .updateTable("invites")
      .set({ revoked_at: new Date() })
      .where("id", "=", inviteId)
      .where("workspace_id", "=", workspaceId)
      .where("accepted_at", "is", null)
      .where("revoked_at", "is", null)
      .returning("id")
      .executeTakeFirst();
    if (!revoked) return false;
    await recordAuditEvent(trx, {
      workspaceId,
      actorId: actor.id,
      action: "invite.revoked",
      entityType: "invite",
      entityId: inviteId,
    });
    return true;
  });
}

/** An invite that can still be used, with the workspace it opens. */
export async function findUsableInvite(db: Db, token: string, now = new Date()) {
  if (!/^[a-z2-7]{32}$/.test(token)) return null;
  return (
    (await db
      .selectFrom("invites")
      .innerJoin("workspaces", "workspaces.id", "invites.workspace_id")
      .select(["invites.id", "invites.role", "invites.workspace_id", "workspaces.slug", "workspaces.name"])
      .where("invites.token_hash", "=", hashToken(token))
      .where("invites.accepted_at", "is", null)
      .where("invites.revoked_at", "is", null)
      .where("invites.expires_at", ">", now)
      .executeTakeFirst()) ?? null
  );
}

/** Joins the invite's workspace (single use). A member already keeps their current role. */
export async function acceptInvite(db: Db, user: PublicUser, token: string): Promise<{ slug: string } | null> {
  return db.transaction().execute(async (trx) => {
    const invite = await findUsableInvite(trx, token);
    if (!invite) return null;
    const claimed = await trx
      .updateTable("invites")
      .set({ accepted_by: user.id, accepted_at: new Date() })
      .where("id", "=", invite.id)
      .where("accepted_at", "is", null)
      .returning("id")
      .executeTakeFirst();
    if (!claimed) return null;
    await trx
      .insertInto("memberships")
      .values({ workspace_id: invite.workspace_id, user_id: user.id, role: invite.role })
      .onConflict((oc) => oc.columns(["workspace_id", "user_id"]).doNothing())
      .execute();
    await recordAuditEvent(trx, {
      workspaceId: invite.workspace_id,
      actorId: user.id,
      action: "invite.accepted",
      entityType: "invite",
      entityId: invite.id,
      change: { role: invite.role },
    });
    return { slug: invite.slug };
  });
}

