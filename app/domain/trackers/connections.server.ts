import { randomUUID } from "node:crypto";
import type { Db } from "#db/connection";
import type { TrackerMapping, TrackerVendor } from "#db/schema";
import type { PublicUser } from "~/domain/accounts/index.server";
import { openSecret, sealSecret, secretKeyring, needsResealing, type Keyring } from "~/domain/integrations/index.server";
import { recordAuditEvent } from "~/domain/shared/audit.server";
import { conflict, invalid, notFound, type Outcome } from "~/domain/shared/outcomes";
import { generateSecretToken } from "~/domain/shared/tokens.server";
import { TrackerCallError, type TrackerClient } from "./client";
import { githubClient } from "./github-client.server";
import { jiraClient } from "./jira-client.server";
import { linearClient } from "./linear-client.server";
import { DEFAULT_API_URLS, TRACKER_VENDORS, trackerError } from "./rules";

/**
 * Tracker connections: a workspace's GitHub repository, Jira project or Linear team, with the
 * token Hindsight calls it with and the secret its webhooks are signed with, both sealed at rest
 * (ADR 0017) and bound to the connection's row.
 */

export type ConnectionInput = {
  vendor: TrackerVendor;
  name: string | null;
  apiUrl: string | null;
  target: string;
  issueType: string | null;
  accountEmail: string | null;
  token: string;
  webhookSecret: string | null;
  mapping: TrackerMapping;
};

const context = (connectionId: string, what: "token" | "webhook") => `tracker_connections:${connectionId}:${what}`;

/** https anywhere; plain http only to this machine (a local Jira, the tests' fake server). */
export function apiUrlProblem(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return "Give the full address, like https://acme.atlassian.net.";
  }
  if (url.username || url.password) return "Leave credentials out of the address; the token goes in its own field.";
  if (url.protocol === "https:") return null;
  if (url.protocol === "http:" && ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname)) return null;
  return "The address must use https.";
}

function targetProblem(vendor: TrackerVendor, target: string): string | null {
  if (vendor === "github") return /^[A-Za-z0-9-]{1,39}\/[A-Za-z0-9._-]{1,100}$/.test(target) ? null : "Name the repository as owner/name.";
  return /^[A-Z][A-Z0-9_]{0,9}$/.test(target) ? null : "Give the key in capitals, like PLAT.";
}

export async function createConnection(db: Db, actor: PublicUser, workspaceId: string, input: ConnectionInput): Promise<Outcome<{ id: string; webhookSecret: string | null }>> {
  const apiUrl = (input.apiUrl?.trim() || DEFAULT_API_URLS[input.vendor]).replace(/\/+$/, "");
  const target = input.vendor === "github" ? input.target.trim().toLowerCase() : input.target.trim().toUpperCase();
  const errors: Record<string, string[]> = {};
  if (!apiUrl) errors.apiUrl = ["Give your Jira site's address, like https://acme.atlassian.net."];
  else if (apiUrlProblem(apiUrl)) errors.apiUrl = [apiUrlProblem(apiUrl)!];
  if (targetProblem(input.vendor, target)) errors.target = [targetProblem(input.vendor, target)!];
  if (input.vendor === "jira" && !input.accountEmail) errors.accountEmail = ["Jira's API token belongs to an account: give its email."];
  if (input.vendor === "linear" && !input.webhookSecret) errors.webhookSecret = ["Paste the signing secret Linear shows for the webhook."];
  if (Object.keys(errors).length) return invalid(errors);

  const id = randomUUID();
  const ring = secretKeyring();
  // GitHub and Jira take a secret we choose; Linear makes its own, pasted here.
  const generated = input.webhookSecret ? null : `whsec_${generateSecretToken()}`;
  const secret = input.webhookSecret ?? generated!;
  const name = input.name?.trim() || `${TRACKER_VENDORS[input.vendor]} ${target}`;
  return db.transaction().execute(async (trx) => {
    const clash = await trx
      .selectFrom("tracker_connections")
      .select("id")
      .where("workspace_id", "=", workspaceId)
      .where("vendor", "=", input.vendor)
      .where((eb) => eb(eb.fn("lower", ["api_url"]), "=", apiUrl.toLowerCase()))
      .where((eb) => eb(eb.fn("lower", ["target"]), "=", target.toLowerCase()))
      .executeTakeFirst();
    if (clash) return invalid({ target: ["This workspace is already connected to it."] });
    await trx
      .insertInto("tracker_connections")
      .values({
        id,
        workspace_id: workspaceId,
        vendor: input.vendor,
        name: name.slice(0, 120),
        api_url: apiUrl,
        target,
        issue_type: input.vendor === "jira" ? input.issueType?.trim() || "Task" : null,
        account_email: input.vendor === "jira" ? input.accountEmail!.trim().toLowerCase() : null,
        token: sealSecret(ring, input.token, context(id, "token")),
        token_hint: input.token.slice(-4),
        webhook_secret: sealSecret(ring, secret, context(id, "webhook")),
        webhook_hint: secret.slice(-4),
        mapping: JSON.stringify(input.mapping),
        created_by: actor.id,
      })
      .execute();
    await recordAuditEvent(trx, {
      workspaceId,
      actorId: actor.id,
      action: "tracker.connected",
      entityType: "tracker",
      entityId: id,
      change: { vendor: input.vendor, apiUrl, target, tokenHint: input.token.slice(-4), mapping: input.mapping },
    });
    return { ok: true as const, id, webhookSecret: generated };
  });
}

export async function listConnections(db: Db, workspaceId: string) {
  return db
    .selectFrom("tracker_connections")
    .select(["id", "vendor", "name", "api_url", "target", "issue_type", "account_email", "token_hint", "webhook_hint", "mapping", "bot_identity", "tested_at", "test_ok", "test_message", "created_at"])
    .where("workspace_id", "=", workspaceId)
    .orderBy("created_at")
    .execute();
}

export type ConnectionRow = Awaited<ReturnType<typeof loadConnection>>;

async function loadConnection(db: Db, workspaceId: string, connectionId: string) {
  return db.selectFrom("tracker_connections").selectAll().where("id", "=", connectionId).where("workspace_id", "=", workspaceId).executeTakeFirst();
}

/** The client for a connection, its token opened for this call only. */
export function clientFor(connection: NonNullable<ConnectionRow>, ring: Keyring = secretKeyring()): TrackerClient {
  const token = openSecret(ring, connection.token, context(connection.id, "token"));
  switch (connection.vendor) {
    case "github":
      return githubClient({ baseUrl: connection.api_url, token, repository: connection.target });
    case "jira":
      return jiraClient({ site: connection.api_url, email: connection.account_email ?? "", token, project: connection.target, issueType: connection.issue_type ?? "Task" });
    case "linear":
      return linearClient({ apiUrl: connection.api_url, token, team: connection.target });
  }
}

/** The keys a connection's webhook may be signed with. */
export function webhookKeyOf(connection: NonNullable<ConnectionRow>, ring: Keyring = secretKeyring()): string {
  return openSecret(ring, connection.webhook_secret, context(connection.id, "webhook"));
}

export async function findConnection(db: Db, workspaceId: string, connectionId: string) {
  return (await loadConnection(db, workspaceId, connectionId)) ?? null;
}

/**
 * "Test connection": who the token acts as, and that the repository, project or team is there.
 * The answer is stored and shown; who the token is tells Hindsight's own changes apart later.
 */
export async function testConnection(db: Db, actor: PublicUser, workspaceId: string, connectionId: string): Promise<Outcome<{ message: string; passed: boolean }>> {
  const connection = await loadConnection(db, workspaceId, connectionId);
  if (!connection) return notFound("Connection not found.");
  let message: string;
  let passed = false;
  let identity: string | null = connection.bot_identity;
  try {
    const client = clientFor(connection);
    const me = await client.whoAmI();
    identity = me.identity;
    message = `Connected as ${me.name}. ${await client.checkTarget()}`;
    passed = true;
  } catch (error) {
    if (!(error instanceof TrackerCallError)) throw error;
    message = trackerError(connection.vendor, error.status, error.message);
  }
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable("tracker_connections")
      .set({ tested_at: new Date(), test_ok: passed, test_message: message.slice(0, 1000), bot_identity: identity, updated_at: new Date() })
      .where("id", "=", connection.id)
      .execute();
    await recordAuditEvent(trx, { workspaceId, actorId: actor.id, action: "tracker.tested", entityType: "tracker", entityId: connection.id, change: { passed, message } });
  });
  return { ok: true, message, passed };
}

/** A new webhook secret: generated (GitHub, Jira) and shown once, or pasted from Linear. */
export async function setWebhookSecret(db: Db, actor: PublicUser, workspaceId: string, connectionId: string, pasted: string | null): Promise<Outcome<{ webhookSecret: string | null }>> {
  return db.transaction().execute(async (trx) => {
    const connection = await trx.selectFrom("tracker_connections").select(["id", "vendor"]).where("id", "=", connectionId).where("workspace_id", "=", workspaceId).forUpdate().executeTakeFirst();
    if (!connection) return notFound("Connection not found.");
    if (connection.vendor === "linear" && !pasted) return conflict("Linear makes the signing secret: paste it from the webhook's page in Linear.");
    const generated = pasted ? null : `whsec_${generateSecretToken()}`;
    const secret = pasted ?? generated!;
    await trx
      .updateTable("tracker_connections")
      .set({ webhook_secret: sealSecret(secretKeyring(), secret, context(connection.id, "webhook")), webhook_hint: secret.slice(-4), updated_at: new Date() })
      .where("id", "=", connection.id)
      .execute();
    await recordAuditEvent(trx, { workspaceId, actorId: actor.id, action: "tracker.webhook_secret_set", entityType: "tracker", entityId: connection.id, change: { hint: secret.slice(-4) } });
    return { ok: true as const, webhookSecret: generated };
  });
}

/** Removes a connection and its links; the actions stay, without their issue. */
export async function removeConnection(db: Db, actor: PublicUser, workspaceId: string, connectionId: string): Promise<Outcome> {
  return db.transaction().execute(async (trx) => {
    const removed = await trx.deleteFrom("tracker_connections").where("id", "=", connectionId).where("workspace_id", "=", workspaceId).returning(["vendor", "target"]).executeTakeFirst();
    if (!removed) return notFound("Connection not found.");
    await recordAuditEvent(trx, { workspaceId, actorId: actor.id, action: "tracker.removed", entityType: "tracker", entityId: connectionId, change: { ...removed } });
    return { ok: true as const };
  });
}

/** Seals tokens and webhook secrets stored under an older key (start-up, `npm run secrets:rotate`). */
export async function resealTrackerSecrets(db: Db, ring: Keyring = secretKeyring()): Promise<{ resealed: number; unreadable: number }> {
  const rows = await db.selectFrom("tracker_connections").select(["id", "token", "webhook_secret"]).execute();
  let resealed = 0;
  let unreadable = 0;
  for (const row of rows) {
    if (!needsResealing(ring, row.token) && !needsResealing(ring, row.webhook_secret)) continue;
    try {
      const token = sealSecret(ring, openSecret(ring, row.token, context(row.id, "token")), context(row.id, "token"));
      const webhook = sealSecret(ring, openSecret(ring, row.webhook_secret, context(row.id, "webhook")), context(row.id, "webhook"));
      await db.updateTable("tracker_connections").set({ token, webhook_secret: webhook }).where("id", "=", row.id).where("token", "=", row.token).execute();
      resealed += 1;
    } catch {
      unreadable += 1;
    }
  }
  return { resealed, unreadable };
}
