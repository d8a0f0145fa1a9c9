/**
 * Webhook signing secrets are stored sealed, keep verifying deliveries, survive a key rotation,
 * and secrets stored in plain before encryption existed are sealed at the next start.
 */
import { expect, it } from "vitest";
import {
  findWebhookTarget,
  generateSecretKey,
  keyring,
  parseSecretKey,
  resealStoredSecrets,
  rotateGeneratedSecret,
  secretKeyring,
  setPagerDutySecret,
} from "~/domain/integrations/index.server";
import { describeEachEngine } from "../support/databases";
import { makeUser, makeWorkspace } from "../support/factories";

describeEachEngine("secrets at rest", (testDb) => {
  it("stores a signing secret sealed, never in plain, and still finds the key that verifies", async () => {
    const db = testDb();
    const admin = await makeUser(db);
    const ws = await makeWorkspace(db, admin);
    await setPagerDutySecret(db, admin, ws.id, "pd-signing-secret-1234");
    const { secret: github } = await rotateGeneratedSecret(db, admin, ws.id, "github");
    const rows = await db.selectFrom("integration_secrets").select(["source", "secret", "hint"]).where("workspace_id", "=", ws.id).orderBy("source").execute();
    expect(rows.map((r) => r.source)).toEqual(["github", "pagerduty"]);
    for (const row of rows) expect(row.secret).toMatch(/^enc:v1:[0-9a-f]{8}:/);
    expect(JSON.stringify(rows)).not.toContain("pd-signing-secret-1234");
    expect(JSON.stringify(rows)).not.toContain(github);
    expect(rows.find((r) => r.source === "pagerduty")?.hint).toBe("1234");
    expect((await findWebhookTarget(db, ws.slug, "pagerduty"))?.keys).toEqual(["pd-signing-secret-1234"]);
    expect((await findWebhookTarget(db, ws.slug, "github"))?.keys).toEqual([github]);
  });

  it("a secret stored in plain before encryption still verifies, and is sealed by the start-up sweep", async () => {
    const db = testDb();
    const admin = await makeUser(db);
    const ws = await makeWorkspace(db, admin);
    await db.insertInto("integration_secrets").values({ workspace_id: ws.id, source: "github", secret: "whsec_legacy", hint: "gacy", updated_by: admin.id }).execute();
    expect((await findWebhookTarget(db, ws.slug, "github"))?.keys).toEqual(["whsec_legacy"]);
    const report = await resealStoredSecrets(db);
    expect(report.resealed).toBeGreaterThanOrEqual(1);
    expect(report.unreadable).toBe(0);
    const row = await db.selectFrom("integration_secrets").select("secret").where("workspace_id", "=", ws.id).executeTakeFirstOrThrow();
    expect(row.secret).toMatch(/^enc:v1:/);
    expect((await findWebhookTarget(db, ws.slug, "github"))?.keys).toEqual(["whsec_legacy"]);
    expect(await resealStoredSecrets(db)).toEqual({ resealed: 0, unreadable: 0 });
  });

  it("rotating the key: the old key as previous opens everything, the sweep reseals, then the new key alone suffices", async () => {
    const db = testDb();
    const admin = await makeUser(db);
    const ws = await makeWorkspace(db, admin);
    await setPagerDutySecret(db, admin, ws.id, "pd-rotating-secret");
    await setPagerDutySecret(db, admin, ws.id, "pd-rotating-secret-2");
    const oldRing = secretKeyring();
    const newKey = parseSecretKey(generateSecretKey());
    const during = keyring(newKey, [oldRing.current.key]);
    expect((await findWebhookTarget(db, ws.slug, "pagerduty", new Date(), during))?.keys).toEqual(["pd-rotating-secret-2", "pd-rotating-secret"]);
    const report = await resealStoredSecrets(db, during);
    expect(report.unreadable).toBe(0);
    const after = keyring(newKey);
    expect((await findWebhookTarget(db, ws.slug, "pagerduty", new Date(), after))?.keys).toEqual(["pd-rotating-secret-2", "pd-rotating-secret"]);
    // Without the key that sealed them, nothing opens and the sweep says so.
    const stranger = keyring(parseSecretKey(generateSecretKey()));
    await expect(findWebhookTarget(db, ws.slug, "pagerduty", new Date(), stranger)).rejects.toThrow(/neither HINDSIGHT_SECRET_KEY nor in HINDSIGHT_SECRET_KEY_PREVIOUS/);
    expect((await resealStoredSecrets(db, stranger)).unreadable).toBeGreaterThanOrEqual(1);
  });
});
