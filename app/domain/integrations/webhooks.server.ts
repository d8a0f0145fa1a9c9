import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { Db } from "#db/connection";
import type { DeliveryOutcome, IntegrationSource } from "#db/schema";
import { recordAuditEvent } from "~/domain/shared/audit.server";
import type { PublicUser } from "~/domain/accounts/index.server";
import { generateSecretToken } from "~/domain/shared/tokens.server";
import { needsResealing, openSecret, sealSecret, secretKeyring, type Keyring } from "./secret-box.server";
import { resealGithubTokens } from "./github-settings.server";

/**
 * Incoming webhooks: the per-workspace secrets that authenticate them, signature checks, and the
 * delivery log that makes each delivery count once. See docs/decisions/0007-webhooks-ingest-and-api-tokens.md.
 */

/** After a rotation the old secret keeps working this long, so the sender can be switched over. */
const ROTATION_GRACE_MS = 24 * 60 * 60 * 1000;

// ---------------------------------------------------------------------------------------------
// Signatures (pure)

function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

function hmacSha256Hex(key: string, body: Uint8Array): string {
  return createHmac("sha256", key).update(body).digest("hex");
}

/** Compares two strings in time that depends on their length only. */
function constantTimeEqual(expected: string, given: string): boolean {
  const a = Buffer.from(expected, "utf8");
  const b = Buffer.from(given, "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}

export type SignatureVerdict = "ok" | "missing" | "mismatch";

/** GitHub: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>`. */
export function verifyGithubSignature(keys: readonly string[], body: Uint8Array, header: string | null): SignatureVerdict {
  const given = header?.trim().match(/^sha256=([0-9a-fA-F]{64})$/)?.[1]?.toLowerCase();
  if (!given) return "missing";
  return keys.some((key) => constantTimeEqual(hmacSha256Hex(key, body), given)) ? "ok" : "mismatch";
}

/**
 * PagerDuty v3: `X-PagerDuty-Signature: v1=<hex>[,v1=<hex>…]` — several while PagerDuty rotates
 * its secret; one match is enough.
 */
export function verifyPagerDutySignature(keys: readonly string[], body: Uint8Array, header: string | null): SignatureVerdict {
  const given = (header ?? "")
    .split(",")
    .map((part) => part.trim().match(/^v1=([0-9a-fA-F]{64})$/)?.[1]?.toLowerCase())
    .filter((s): s is string => Boolean(s));
  if (!given.length) return "missing";
  const expected = keys.map((key) => hmacSha256Hex(key, body));
  // Compare every pair, so the time taken does not depend on which one matched.
  let ok = false;
  for (const e of expected) for (const g of given) ok = constantTimeEqual(e, g) || ok;
  return ok ? "ok" : "mismatch";
}

/** Alertmanager: `Authorization: Bearer <token>`; the stored keys are SHA-256 hashes of tokens. */
export function verifyBearerToken(tokenHashes: readonly string[], header: string | null): SignatureVerdict {
  const token = header?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
  if (!token) return "missing";
  const given = sha256Hex(token);
  let ok = false;
  for (const hash of tokenHashes) ok = constantTimeEqual(hash, given) || ok;
  return ok ? "ok" : "mismatch";
}

// ---------------------------------------------------------------------------------------------
// Secrets

export type WebhookTarget = { workspaceId: string; slug: string; keys: string[] };

/**
 * The workspace a webhook URL names and the keys that may sign for it (the current secret, and
 * the previous one during its grace period). Null when the workspace does not exist or has not
 * set up this source: both answer 404, so slugs can't be probed.
 */
/** Stored secrets are sealed (secret-box.server.ts) and bound to their workspace and source. */
function secretContext(workspaceId: string, source: IntegrationSource): string {
  return `integration_secrets:${workspaceId}:${source}`;
}

export async function findWebhookTarget(db: Db, slug: string, source: IntegrationSource, now = new Date(), ring: Keyring = secretKeyring()): Promise<WebhookTarget | null> {
  const row = await db
    .selectFrom("workspaces")
    .innerJoin("integration_secrets", "integration_secrets.workspace_id", "workspaces.id")
    .select(["workspaces.id", "workspaces.slug", "integration_secrets.secret", "integration_secrets.previous_secret", "integration_secrets.previous_valid_until"])
    .where("workspaces.slug", "=", slug)
    .where("integration_secrets.source", "=", source)
    .executeTakeFirst();
  if (!row) return null;
  const context = secretContext(row.id, source);
  const keys = [openSecret(ring, row.secret, context)];
  if (row.previous_secret && row.previous_valid_until && row.previous_valid_until > now) keys.push(openSecret(ring, row.previous_secret, context));
  return { workspaceId: row.id, slug: row.slug, keys };
}

function hintOf(secret: string): string {
  return secret.slice(-4);
}

async function storeSecret(trx: Db, actor: PublicUser, workspaceId: string, source: IntegrationSource, plain: string, hint: string, now: Date) {
  const stored = sealSecret(secretKeyring(), plain, secretContext(workspaceId, source));
  const before = await trx
    .selectFrom("integration_secrets")
    .select(["secret"])
    .where("workspace_id", "=", workspaceId)
    .where("source", "=", source)
    .forUpdate()
    .executeTakeFirst();
  const previous = before ? { previous_secret: before.secret, previous_valid_until: new Date(now.getTime() + ROTATION_GRACE_MS) } : {};
  await trx
    .insertInto("integration_secrets")
    .values({ workspace_id: workspaceId, source, secret: stored, hint, updated_by: actor.id, updated_at: now, ...previous })
    .onConflict((oc) =>
      oc.columns(["workspace_id", "source"]).doUpdateSet({ secret: stored, hint, updated_by: actor.id, updated_at: now, ...previous }),
    )
    .execute();
  await recordAuditEvent(trx, {
    workspaceId,
    actorId: actor.id,
    action: before ? "integration.secret_rotated" : "integration.secret_set",
    entityType: "integration",
    entityId: source,
    change: { source, hint, previousValidUntil: previous.previous_valid_until?.toISOString() ?? null },
  });
}

/**
 * A new GitHub webhook secret or Alertmanager bearer token, returned once. GitHub's is stored
 * sealed (HMAC needs the key back); Alertmanager's only as its SHA-256, sealed too.
 */
export async function rotateGeneratedSecret(
  db: Db,
  actor: PublicUser,
  workspaceId: string,
  source: "github" | "alertmanager",
  now = new Date(),
): Promise<{ secret: string }> {
  const secret = source === "github" ? `whsec_${generateSecretToken()}` : `am_${generateSecretToken()}`;
  const stored = source === "github" ? secret : sha256Hex(secret);
  await db.transaction().execute((trx) => storeSecret(trx, actor, workspaceId, source, stored, hintOf(secret), now));
  return { secret };
}

/** PagerDuty makes the signing secret when the subscription is created; an admin pastes it here. */
export async function setPagerDutySecret(db: Db, actor: PublicUser, workspaceId: string, secret: string, now = new Date()): Promise<void> {
  await db.transaction().execute((trx) => storeSecret(trx, actor, workspaceId, "pagerduty", secret, hintOf(secret), now));
}

/**
 * Seals every stored secret that is in plain (stored before encryption) or under an older key,
 * with the current key: at start, and by `npm run secrets:rotate`. Values that open with no
 * key in the ring are reported, not changed.
 */
export async function resealStoredSecrets(db: Db, ring: Keyring = secretKeyring()): Promise<{ resealed: number; unreadable: number }> {
  const rows = await db.selectFrom("integration_secrets").select(["workspace_id", "source", "secret", "previous_secret"]).execute();
  let resealed = 0;
  let unreadable = 0;
  for (const row of rows) {
    const stale = needsResealing(ring, row.secret) || (row.previous_secret !== null && needsResealing(ring, row.previous_secret));
    if (!stale) continue;
    const context = secretContext(row.workspace_id, row.source);
    try {
      const reseal = (value: string) => sealSecret(ring, openSecret(ring, value, context), context);
      await db
        .updateTable("integration_secrets")
        .set({ secret: reseal(row.secret), previous_secret: row.previous_secret === null ? null : reseal(row.previous_secret) })
        .where("workspace_id", "=", row.workspace_id)
        .where("source", "=", row.source)
        .where("secret", "=", row.secret)
        .execute();
      resealed += 1;
    } catch {
      unreadable += 1;
    }
  }
  const tokens = await resealGithubTokens(db, ring);
  return { resealed: resealed + tokens.resealed, unreadable: unreadable + tokens.unreadable };
}

/** Turns a source off: its deliveries answer 404 from now on. */
export async function removeIntegration(db: Db, actor: PublicUser, workspaceId: string, source: IntegrationSource): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const removed = await trx.deleteFrom("integration_secrets").where("workspace_id", "=", workspaceId).where("source", "=", source).executeTakeFirst();
    if (!removed.numDeletedRows) return false;
    await recordAuditEvent(trx, { workspaceId, actorId: actor.id, action: "integration.removed", entityType: "integration", entityId: source, change: { source } });
    return true;
  });
}

export async function integrationStatus(db: Db, workspaceId: string) {
  const rows = await db
    .selectFrom("integration_secrets")
    .innerJoin("users", "users.id", "integration_secrets.updated_by")
    .select([
      "integration_secrets.source",
      "integration_secrets.hint",
      "integration_secrets.updated_at",
      "integration_secrets.previous_valid_until",
      "users.display_name as updated_by_name",
    ])
    .where("integration_secrets.workspace_id", "=", workspaceId)
    .execute();
  const bySource = new Map(rows.map((r) => [r.source, r]));
  return {
    github: bySource.get("github") ?? null,
    pagerduty: bySource.get("pagerduty") ?? null,
    alertmanager: bySource.get("alertmanager") ?? null,
  };
}

// ---------------------------------------------------------------------------------------------
// Deliveries

export type Processed = { kind: "processed"; outcome: DeliveryOutcome; summary: string; changes: string[] };
/** A delivery refused: `malformed` when it isn't the event it claims to be, `unusable` when it is but can't be applied here. */
export type Rejected = { kind: "rejected"; why: "malformed" | "unusable"; reason: string };
export type DeliveryResult = Processed | Rejected | { kind: "replay"; deliveryId: string };

export function ignored(summary: string): Processed {
  return { kind: "processed", outcome: "ignored", summary, changes: [] };
}

export function applied(summary: string, changes: string[]): Processed {
  return { kind: "processed", outcome: changes.length ? "applied" : "ignored", summary, changes };
}

class DeliveryRejected extends Error {
  constructor(readonly result: Rejected) {
    super(result.reason);
  }
}

export type DeliveryHeader = { workspaceId: string; source: IntegrationSource; deliveryId: string; event: string };

/**
 * Runs one delivery exactly once, in one transaction: its row in the delivery log is claimed
 * first (a concurrent duplicate waits on the unique key, then finds it taken), then `apply`
 * makes the changes, each with its audit event. A rejection rolls everything back, the claim
 * included, so a corrected redelivery of the same id can still be processed.
 */
export async function receiveDelivery(db: Db, header: DeliveryHeader, apply: (trx: Db) => Promise<Processed | Rejected>): Promise<DeliveryResult> {
  try {
    return await db.transaction().execute(async (trx) => {
      const claimed = await trx
        .insertInto("webhook_deliveries")
        .values({ workspace_id: header.workspaceId, source: header.source, delivery_id: header.deliveryId, event: header.event.slice(0, 200) })
        .onConflict((oc) => oc.columns(["workspace_id", "source", "delivery_id"]).doNothing())
        .returning("id")
        .executeTakeFirst();
      if (!claimed) return { kind: "replay" as const, deliveryId: header.deliveryId };
      const result = await apply(trx);
      if (result.kind === "rejected") throw new DeliveryRejected(result);
      await trx
        .updateTable("webhook_deliveries")
        .set({ outcome: result.outcome, summary: result.summary.slice(0, 2000), changes: JSON.stringify(result.changes) })
        .where("id", "=", claimed.id)
        .execute();
      return result;
    });
  } catch (error) {
    if (error instanceof DeliveryRejected) return error.result;
    throw error;
  }
}

export async function listDeliveries(db: Db, workspaceId: string, limit = 100) {
  return db
    .selectFrom("webhook_deliveries")
    .select(["id", "source", "delivery_id", "event", "received_at", "outcome", "summary", "changes"])
    .where("workspace_id", "=", workspaceId)
    .orderBy("received_at", "desc")
    .orderBy("id")
    .limit(limit)
    .execute();
}
