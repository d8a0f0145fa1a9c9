/**
 * Invitations by email: the invite's link is mailed by the `invites.send` job, never inside the
 * request. The link carries the invite's secret token, so the job holds it sealed with the
 * workspace's secret key (docs/decisions/0017) and the job opens it only to send.
 */
import type { Db } from "#db/connection";
import { enqueue } from "#db/queue";
import { openSecret, sealSecret, secretKeyring, type Mailer } from "~/domain/integrations/index.server";
import { recordAuditEvent } from "~/domain/shared/audit.server";

const context = (inviteId: string) => `invite:${inviteId}`;

/** Queues the invite's mail; call it with the transaction that creates the invite. */
export async function queueInviteMail(trx: Db, invite: { id: string; email: string; link: string }): Promise<void> {
  await enqueue(trx, "invites.send", { inviteId: invite.id, email: invite.email, sealedLink: sealSecret(secretKeyring(), invite.link, context(invite.id)) });
}

/** The job: mails the link unless the invite was revoked, accepted or expired since. */
export async function sendInviteMail(db: Db, mailer: Mailer, job: { inviteId: string; email: string; sealedLink: string }): Promise<{ sent: boolean }> {
  const invite = await db
    .selectFrom("invites")
    .innerJoin("workspaces", "workspaces.id", "invites.workspace_id")
    .innerJoin("users", "users.id", "invites.created_by")
    .select(["invites.id", "invites.workspace_id", "invites.role", "invites.expires_at", "invites.accepted_at", "invites.revoked_at", "workspaces.name", "users.display_name"])
    .where("invites.id", "=", job.inviteId)
    .executeTakeFirst();
  if (!invite || invite.accepted_at || invite.revoked_at || invite.expires_at.getTime() < Date.now()) return { sent: false };
  const link = openSecret(secretKeyring(), job.sealedLink, context(job.inviteId));
  await mailer.send({
    to: job.email,
    subject: `${invite.display_name} invited you to ${invite.name} on Hindsight`,
    text: [
      "Hello,",
      "",
      `${invite.display_name} invited you to join ${invite.name} on Hindsight as ${invite.role === "admin" ? "an" : "a"} ${invite.role}.`,
      "Hindsight is where the team writes blameless postmortems and decision records, and follows",
      "each lesson through to a guardrail that is seen enforced.",
      "",
      `Join: ${link}`,
      "",
      `The link works once and expires on ${invite.expires_at.toISOString().slice(0, 10)}.`,
      "",
      "— Hindsight",
    ].join("\n"),
  });
  await recordAuditEvent(db, { workspaceId: invite.workspace_id, actorId: null, action: "invite.emailed", entityType: "invite", entityId: invite.id, change: { email: job.email } });
  return { sent: true };
}
