import { describe, expect, it } from "vitest";
import { approvedText, changedWithin } from "~/domain/postmortems/index.server";

describe("how much a postmortem changed since its approval", () => {
  const before = approvedText("Postmortem: INC-4 Checkout retries", "The retry loop had no idempotency key. Teh fix adds one.");
  it("a typo fix is a few characters inserted and removed", () => {
    const after = before.replace("Teh", "The");
    expect(changedWithin(before, after, 2)).toBe(true);
    expect(changedWithin(before, after, 1)).toBe(false);
  });
  it("strict (0) accepts only the same text", () => {
    expect(changedWithin(before, before, 0)).toBe(true);
    expect(changedWithin(before, `${before}.`, 0)).toBe(false);
  });
  it("a rewritten section is over any small limit, and is measured without diffing it whole", () => {
    const after = before.replace("The retry loop had no idempotency key.", "Retries were sent by two services, each with its own timer.");
    expect(changedWithin(before, after, 20)).toBe(false);
    const long = "x".repeat(100_000);
    expect(changedWithin(long, `${long.slice(0, 50_000)}${"y".repeat(50_000)}`, 10)).toBe(false);
  });
});
