/**
 * Secrets at rest: signing secrets and tokens for outbound calls are stored encrypted with
 * AES-256-GCM (Node's crypto) under a key from the environment, `HINDSIGHT_SECRET_KEY`
 * (32 bytes, base64 or hex). Each stored value names the key that sealed it, so keys can be
 * rotated: the new key goes in HINDSIGHT_SECRET_KEY, the old ones in
 * HINDSIGHT_SECRET_KEY_PREVIOUS (comma-separated) until `npm run secrets:rotate` has re-sealed
 * everything. Without a key (the demo), one is generated into the data folder, with a warning.
 *
 * A sealed value is bound to where it is stored (the "context": table, row and column), so a
 * value copied into another row does not open.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const PREFIX = "enc:v1:";
const IV_BYTES = 12;
const TAG_BYTES = 16;

export type Keyring = { current: { id: string; key: Buffer }; all: Map<string, Buffer> };

class SecretKeyProblem extends Error {
  override name = "SecretKeyProblem";
}

function keyId(key: Buffer): string {
  return createHash("sha256").update(key).digest("hex").slice(0, 8);
}

/** 32 bytes written as 64 hex digits or as base64 (with or without padding, either alphabet). */
export function parseSecretKey(text: string, name = "HINDSIGHT_SECRET_KEY"): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, "hex") : Buffer.from(trimmed.replace(/-/g, "+").replace(/_/g, "/"), "base64");
  if (key.length !== 32) {
    throw new SecretKeyProblem(`${name} must be 32 random bytes, as 64 hex digits or base64 (make one with: openssl rand -base64 32).`);
  }
  return key;
}

export function generateSecretKey(): string {
  return randomBytes(32).toString("base64");
}

export function keyring(current: Buffer, previous: Buffer[] = []): Keyring {
  const all = new Map<string, Buffer>();
  for (const key of [current, ...previous]) all.set(keyId(key), key);
  return { current: { id: keyId(current), key: current }, all };
}

export function isSealed(stored: string): boolean {
  return stored.startsWith(PREFIX);
}

export function sealSecret(ring: Keyring, plaintext: string, context: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", ring.current.key, iv);
  cipher.setAAD(Buffer.from(context, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return `${PREFIX}${ring.current.id}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url")}`;
}

/**
 * The plaintext of a stored value. A value stored before encryption existed (no prefix) is
 * returned as it is; `npm run secrets:rotate` (and the start-up sweep) seal those.
 */
export function openSecret(ring: Keyring, stored: string, context: string): string {
  if (!isSealed(stored)) return stored;
  const [id, packed] = stored.slice(PREFIX.length).split(":");
  const key = id ? ring.all.get(id) : undefined;
  if (!key || !packed) {
    throw new SecretKeyProblem(`A stored secret was sealed with key ${id ?? "?"}, which is neither HINDSIGHT_SECRET_KEY nor in HINDSIGHT_SECRET_KEY_PREVIOUS.`);
  }
  const raw = Buffer.from(packed, "base64url");
  const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(context, "utf8"));
  decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString("utf8");
  } catch {
    throw new SecretKeyProblem("A stored secret does not open with its key: it was altered or moved to another row.");
  }
}

/** True when the value should be sealed again: stored in plain, or under an older key. */
export function needsResealing(ring: Keyring, stored: string): boolean {
  return !isSealed(stored) || !stored.startsWith(`${PREFIX}${ring.current.id}:`);
}

export type KeySource = { ring: Keyring; generatedAt: string | null };

/**
 * The process's keyring: from HINDSIGHT_SECRET_KEY (and _PREVIOUS), or else from a key file in
 * the data folder, made on first use. `generatedAt` names the file when that happened, so the
 * caller can warn that production should set the variable.
 */
export function keyringFromEnv(env: Record<string, string | undefined> = process.env, dataFolder = path.resolve(".data")): KeySource {
  const previous = (env.HINDSIGHT_SECRET_KEY_PREVIOUS ?? "")
    .split(",")
    .filter((part) => part.trim())
    .map((part) => parseSecretKey(part, "HINDSIGHT_SECRET_KEY_PREVIOUS"));
  if (env.HINDSIGHT_SECRET_KEY?.trim()) return { ring: keyring(parseSecretKey(env.HINDSIGHT_SECRET_KEY), previous), generatedAt: null };
  const file = path.join(dataFolder, "secret.key");
  let generatedAt: string | null = null;
  if (!existsSync(file)) {
    mkdirSync(dataFolder, { recursive: true });
    try {
      writeFileSync(file, `${generateSecretKey()}\n`, { mode: 0o600, flag: "wx" });
      generatedAt = file;
    } catch (error) {
      // Another process made it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
  chmodSync(file, 0o600);
  return { ring: keyring(parseSecretKey(readFileSync(file, "utf8"), file), previous), generatedAt };
}

let processKeyring: Keyring | null = null;

/**
 * This process's keyring, read once. Without HINDSIGHT_SECRET_KEY the key file sits in the
 * data folder (beside the embedded database): fine for the demo, and said once on stderr.
 */
export function secretKeyring(env: Record<string, string | undefined> = process.env): Keyring {
  if (processKeyring) return processKeyring;
  const dataFolder = path.dirname(path.resolve(env.PGLITE_DIR || "./.data/pglite"));
  const source = keyringFromEnv(env, dataFolder);
  if (source.generatedAt) {
    console.warn(
      JSON.stringify({ level: "warn", msg: `HINDSIGHT_SECRET_KEY is not set: generated a key into ${source.generatedAt}. Set HINDSIGHT_SECRET_KEY in production, the same in every process.` }),
    );
  }
  processKeyring = source.ring;
  return processKeyring;
}
