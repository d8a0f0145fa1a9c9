import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generateSecretKey, isSealed, keyring, keyringFromEnv, needsResealing, openSecret, parseSecretKey, sealSecret } from "~/domain/integrations/index.server";

const oldKey = parseSecretKey(generateSecretKey());
const newKey = parseSecretKey(generateSecretKey());
const CONTEXT = "integration_secrets:ws-1:github:secret";

describe("secrets sealed at rest", () => {
  it("opens what it sealed, and never stores the plaintext", () => {
    const ring = keyring(oldKey);
    const sealed = sealSecret(ring, "whsec_abc123", CONTEXT);
    expect(isSealed(sealed)).toBe(true);
    expect(sealed).not.toContain("whsec_abc123");
    expect(sealSecret(ring, "whsec_abc123", CONTEXT)).not.toBe(sealed);
    expect(openSecret(ring, sealed, CONTEXT)).toBe("whsec_abc123");
  });

  it("refuses a sealed value moved to another row or altered", () => {
    const ring = keyring(oldKey);
    const sealed = sealSecret(ring, "whsec_abc123", CONTEXT);
    expect(() => openSecret(ring, sealed, "integration_secrets:ws-2:github:secret")).toThrow(/altered or moved to another row/);
    // One bit of the ciphertext flipped (decoded, so base64's spare bits can't hide the change).
    const prefix = sealed.slice(0, sealed.lastIndexOf(":") + 1);
    const bytes = Buffer.from(sealed.slice(prefix.length), "base64url");
    bytes[bytes.length - 1]! ^= 1;
    const flipped = prefix + bytes.toString("base64url");
    expect(() => openSecret(ring, flipped, CONTEXT)).toThrow(/altered or moved/);
  });

  it("opens values under a previous key during a rotation, and says which need sealing again", () => {
    const before = sealSecret(keyring(oldKey), "pd-signing-secret", CONTEXT);
    const rotated = keyring(newKey, [oldKey]);
    expect(openSecret(rotated, before, CONTEXT)).toBe("pd-signing-secret");
    expect(needsResealing(rotated, before)).toBe(true);
    expect(needsResealing(rotated, sealSecret(rotated, "pd-signing-secret", CONTEXT))).toBe(false);
    expect(() => openSecret(keyring(newKey), before, CONTEXT)).toThrow(/neither HINDSIGHT_SECRET_KEY nor in HINDSIGHT_SECRET_KEY_PREVIOUS/);
  });

  it("reads a value stored before encryption as it is, and marks it for sealing", () => {
    const ring = keyring(oldKey);
    expect(openSecret(ring, "whsec_legacy", CONTEXT)).toBe("whsec_legacy");
    expect(needsResealing(ring, "whsec_legacy")).toBe(true);
  });

  it("takes a key as base64 or hex, and explains a wrong one", () => {
    expect(parseSecretKey(oldKey.toString("hex")).equals(oldKey)).toBe(true);
    expect(parseSecretKey(oldKey.toString("base64url")).equals(oldKey)).toBe(true);
    expect(() => parseSecretKey("too-short")).toThrow("HINDSIGHT_SECRET_KEY must be 32 random bytes, as 64 hex digits or base64 (make one with: openssl rand -base64 32).");
  });
});

describe("the key's source", () => {
  const folder = mkdtempSync(path.join(tmpdir(), "hindsight-keys-"));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it("uses HINDSIGHT_SECRET_KEY when set", () => {
    const source = keyringFromEnv({ HINDSIGHT_SECRET_KEY: newKey.toString("base64") }, folder);
    expect(source.generatedAt).toBeNull();
    expect(source.ring.current.key.equals(newKey)).toBe(true);
  });

  it("without it, makes a key file readable by its owner only, once, and keeps using it", () => {
    const first = keyringFromEnv({}, folder);
    const file = path.join(folder, "secret.key");
    expect(first.generatedAt).toBe(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const second = keyringFromEnv({}, folder);
    expect(second.generatedAt).toBeNull();
    expect(second.ring.current.key.equals(first.ring.current.key)).toBe(true);
    expect(parseSecretKey(readFileSync(file, "utf8")).equals(first.ring.current.key)).toBe(true);
  });
});
