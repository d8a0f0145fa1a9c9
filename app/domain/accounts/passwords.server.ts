import { hash, verify } from "@node-rs/argon2";

// OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane.
const ARGON2_OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;


const COMMON_PASSWORDS = new Set([
  "password123", "password1234", "1234567890", "12345678910", "qwertyuiop", "iloveyou123",
  "letmein1234", "welcome123", "administrator", "passw0rd123", "abc1234567", "qwerty12345",
  "1q2w3e4r5t", "football123", "baseball123", "monkey12345", "dragon12345", "sunshine123",
  "princess123", "trustno1234", "changeme123", "hindsight123",
]);

/** A reason the password is too weak, or null. Length limits are checked by the form schema. */
export function passwordWeakness(password: string, email: string): string | null {
  const lower = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lower)) return "That password is one of the most common ones. Choose another.";
  if (new Set(lower).size < 4) return "Use at least four different characters.";
  const local = email.split("@")[0]?.toLowerCase() ?? "";
  if (local.length >= 4 && lower.includes(local)) return "Don't build the password from your email address.";
  return null;
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** Verify against a throwaway hash so an unknown email takes as long as a wrong password. */
let dummyHash: Promise<string> | null = null;
export async function burnPasswordCheck(password: string): Promise<void> {
  dummyHash ??= hashPassword("not-a-real-password-0");
  await verifyPassword(await dummyHash, password);
}
