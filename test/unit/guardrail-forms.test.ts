import { describe, expect, it } from "vitest";
import { ActionDetailsForm, GateForm, StatusChangeForm } from "~/domain/guardrails/forms";

function errorsOf(result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) {
  return Object.fromEntries((result.error?.issues ?? []).map((i) => [String(i.path[0]), i.message]));
}

describe("action details form", () => {
  it("reads empty choices as none", () => {
    const parsed = ActionDetailsForm.parse({ title: "Dry-run migrations in CI", kind: "new_gate", ownerId: "", dueOn: "", gateId: "", implementingPrUrl: "" });
    expect(parsed).toEqual({ title: "Dry-run migrations in CI", kind: "new_gate", ownerId: null, dueOn: null, gateId: null, implementingPrUrl: null });
    // Fields a form leaves out are none too.
    expect(ActionDetailsForm.parse({ title: "Dry-run migrations in CI", kind: "alert" }).ownerId).toBeNull();
  });

  it("normalises a pull request URL and refuses anything else beside the field", () => {
    const ok = ActionDetailsForm.parse({ title: "Dry-run migrations", kind: "new_gate", implementingPrUrl: " https://github.com/Acme/API/pull/42/files " });
    expect(ok.implementingPrUrl).toBe("https://github.com/acme/api/pull/42");
    const bad = ActionDetailsForm.safeParse({ title: "Dry-run migrations", kind: "new_gate", implementingPrUrl: "https://gitlab.com/acme/api/merge_requests/1" });
    expect(errorsOf(bad).implementingPrUrl).toMatch(/Only GitHub/);
  });

  it("refuses a date that doesn't exist, an unknown kind and a made-up owner", () => {
    const bad = ActionDetailsForm.safeParse({ title: "x", kind: "magic", ownerId: "alice", dueOn: "2026-02-30", gateId: "not-a-gate" });
    expect(Object.keys(errorsOf(bad)).sort()).toEqual(["dueOn", "gateId", "kind", "ownerId", "title"]);
  });

  it("can be extended for creating an action from a factor", () => {
    const create = ActionDetailsForm.extend({ factorId: ActionDetailsForm.shape.gateId });
    expect(create.parse({ title: "Dry-run migrations", kind: "new_gate", factorId: "" }).factorId).toBeNull();
  });
});

describe("status change form", () => {
  const base = { from: "done", expectedVersion: "3" };
  it("puts the missing evidence beside the evidence field", () => {
    const result = StatusChangeForm.safeParse({ ...base, to: "verified", evidenceUrl: "", evidenceNote: "  " });
    expect(errorsOf(result).evidenceUrl).toMatch(/Verified needs evidence/);
  });
  it("puts the missing reason beside the reason field", () => {
    expect(errorsOf(StatusChangeForm.safeParse({ ...base, to: "wont_do" })).reason).toMatch(/Say why/);
  });
  it("accepts evidence as a link or a note, and only http(s) links", () => {
    expect(StatusChangeForm.parse({ ...base, to: "verified", evidenceUrl: "https://github.com/acme/api/actions/runs/1" }).expectedVersion).toBe(3);
    expect(StatusChangeForm.safeParse({ ...base, to: "verified", evidenceNote: "Saw the check block PR #12" }).success).toBe(true);
    expect(errorsOf(StatusChangeForm.safeParse({ ...base, to: "verified", evidenceUrl: "javascript:alert(1)" })).evidenceUrl).toMatch(/http/);
  });
  it("refuses a move the status it started from doesn't allow", () => {
    expect(errorsOf(StatusChangeForm.safeParse({ from: "verified", to: "done", expectedVersion: "1" })).to).toMatch(/can't become/);
  });
});

describe("gate form", () => {
  const gate = { name: "Migration dry run", kind: "ci_check", status: "proposed" };
  it("takes a repository as owner/name, tiers as a checkbox group", () => {
    const parsed = GateForm.parse({ ...gate, repository: " acme/payments ", checkName: "migrate-dry-run", tiers: ["T2", "T3"] });
    expect(parsed).toMatchObject({ repository: "acme/payments", checkName: "migrate-dry-run", tiers: ["T2", "T3"], description: "" });
    expect(GateForm.parse({ ...gate, tiers: "T1" }).tiers).toEqual(["T1"]);
    expect(GateForm.parse(gate).tiers).toEqual([]);
  });
  it("refuses a repository that isn't owner/name, and a check name with no repository", () => {
    expect(errorsOf(GateForm.safeParse({ ...gate, repository: "https://github.com/acme/payments" })).repository).toMatch(/owner\/name/);
    expect(errorsOf(GateForm.safeParse({ ...gate, checkName: "lint" })).repository).toMatch(/A check runs in a repository/);
    expect(errorsOf(GateForm.safeParse({ ...gate, tiers: ["T9"] })).tiers).toMatch(/T0 to T3/);
  });
});
