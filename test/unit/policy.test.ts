/** The policy as a table: every action × every kind of actor, and each rule that looks at a record. */
import { describe, expect, it } from "vitest";
import { POLICY, POLICY_ACTIONS, abilitiesOf, authorize, can, type Actor } from "~/domain/policy/rules";

const viewer: Actor = { kind: "member", userId: "u-viewer", role: "viewer" };
const editor: Actor = { kind: "member", userId: "u-editor", role: "editor" };
const admin: Actor = { kind: "member", userId: "u-admin", role: "admin" };
const outsider: Actor = { kind: "outsider" };
const readToken: Actor = { kind: "token", userId: "u-admin", role: "admin", scope: "read" };
const writeToken: Actor = { kind: "token", userId: "u-admin", role: "admin", scope: "write" };
const writeTokenOfViewer: Actor = { kind: "token", userId: "u-viewer", role: "viewer", scope: "write" };

/** What each actor may do by role alone; the record conditions are tested below. */
const ROLE_TABLE: [string, Actor, "viewer" | "editor" | "admin" | "none"][] = [
  ["viewer", viewer, "viewer"],
  ["editor", editor, "editor"],
  ["admin", admin, "admin"],
  ["non-member", outsider, "none"],
  ["read token", readToken, "viewer"],
  ["write token", writeToken, "editor"],
  ["write token of a creator who is now a viewer", writeTokenOfViewer, "viewer"],
];
const REACH = { none: -1, viewer: 0, editor: 1, admin: 2 } as const;

// A subject that passes every record condition, so the table isolates the role check.
const PERMISSIVE: Record<string, unknown> = {
  "member.change-role": { targetRole: "editor", newRole: "viewer", admins: 1 },
  "member.remove": { targetRole: "editor", newRole: null, admins: 1 },
  "postmortem.edit": { status: "draft" },
  "postmortem.review": { startedBy: "someone-else", verdict: "approve" },
  "factor.edit": { postmortemStatus: "draft" },
};

describe("can(actor, action): the role table", () => {
  for (const action of POLICY_ACTIONS) {
    const needs = POLICY[action].needs;
    for (const [name, actor, reach] of ROLE_TABLE) {
      const expected = REACH[reach] >= REACH[needs];
      it(`${name} ${expected ? "may" : "may not"} ${action}`, () => {
        const decision = (authorize as (a: Actor, x: string, s?: unknown) => { ok: boolean; kind?: string })(actor, action, PERMISSIVE[action]);
        expect(decision.ok).toBe(expected);
        if (!expected) expect(decision.kind).toBe("forbidden");
      });
    }
  }
});

describe("rules that look at the record", () => {
  it("a published postmortem is read-only, for everyone", () => {
    expect(authorize(admin, "postmortem.edit", { status: "published" })).toMatchObject({ ok: false, kind: "read-only" });
    expect(can(editor, "postmortem.edit", { status: "in_review" })).toBe(true);
  });

  it("the author's own approval doesn't count, but their comment does", () => {
    expect(authorize(editor, "postmortem.review", { startedBy: "u-editor", verdict: "approve" })).toMatchObject({ ok: false, kind: "forbidden" });
    expect(can(editor, "postmortem.review", { startedBy: "u-editor", verdict: "comment" })).toBe(true);
    expect(can(editor, "postmortem.review", { startedBy: "u-admin", verdict: "approve" })).toBe(true);
    // A workspace may let the author's own approval count at T0 and T1 (the tier's rule).
    expect(can(editor, "postmortem.review", { startedBy: "u-editor", verdict: "approve", approval: "self" })).toBe(true);
    expect(can(editor, "postmortem.review", { startedBy: "u-editor", verdict: "approve", approval: "other" })).toBe(false);
  });

  it("the last admin can be neither demoted nor removed", () => {
    expect(authorize(admin, "member.change-role", { targetRole: "admin", newRole: "editor", admins: 1 })).toMatchObject({ ok: false, kind: "conflict" });
    expect(authorize(admin, "member.remove", { targetRole: "admin", newRole: null, admins: 1 })).toMatchObject({ ok: false, kind: "conflict" });
    expect(can(admin, "member.change-role", { targetRole: "admin", newRole: "editor", admins: 2 })).toBe(true);
  });

  it("factors of a published postmortem are frozen", () => {
    expect(authorize(editor, "factor.edit", { postmortemStatus: "published" })).toMatchObject({ ok: false, kind: "conflict" });
  });

  it("a role refusal says which role is needed, or what the token can do", () => {
    expect(authorize(viewer, "incident.create")).toMatchObject({ message: "This needs the editor role; you are a viewer here. Ask an admin." });
    expect(authorize(readToken, "incident.create")).toMatchObject({ message: "This token can only read." });
    expect(authorize(writeToken, "member.invite")).toMatchObject({ message: "API tokens can't administer a workspace." });
  });
});

describe("abilities for the UI", () => {
  it("lists the role-only actions and the records passed, as booleans", () => {
    const abilities = abilitiesOf(editor, { "postmortem.edit": { status: "published" } });
    expect(abilities["incident.create"]).toBe(true);
    expect(abilities["member.invite"]).toBe(false);
    expect(abilities["postmortem.edit"]).toBe(false);
    expect(abilities["member.remove"]).toBeUndefined();
  });
});
