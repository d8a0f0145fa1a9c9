import { describe, expect, it } from "vitest";
import { hashPassword, passwordWeakness, verifyPassword } from "~/domain/accounts/index.server";
import { SLUG_PATTERN, slugFromName } from "~/domain/workspaces/rules";

describe("passwords", () => {
  it("are hashed with argon2id and verify only with the same text", async () => {
    const hash = await hashPassword("a long enough passphrase");
    expect(hash.startsWith("$argon2id$")).toBe(true);
    expect(await verifyPassword(hash, "a long enough passphrase")).toBe(true);
    expect(await verifyPassword(hash, "a long enough passphrasE")).toBe(false);
    expect(await verifyPassword("garbage", "anything")).toBe(false);
  });
  it("that are common, repetitive or made of the email are called weak", () => {
    expect(passwordWeakness("Password123", "a@b.c")).toMatch(/common/);
    expect(passwordWeakness("aaaaaaaaaaaa", "a@b.c")).toMatch(/different/);
    expect(passwordWeakness("margaret-2026!", "margaret@example.com")).toMatch(/email/);
    expect(passwordWeakness("tidal basin lantern", "margaret@example.com")).toBeNull();
  });
});


describe("workspace addresses", () => {
  it("are derived from names", () => {
    expect(slugFromName("Acme Payments")).toBe("acme-payments");
    expect(slugFromName("  Ünïcode & Co. ")).toBe("unicode-co");
    expect(SLUG_PATTERN.test(slugFromName("x".repeat(90)))).toBe(true);
  });
  it("reject what would break URLs", () => {
    for (const bad of ["", "-lead", "trail-", "UPPER", "sp ace", "a/b", "x".repeat(41)]) expect(SLUG_PATTERN.test(bad)).toBe(false);
  });
});
