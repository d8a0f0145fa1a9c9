/**
 * The vocabulary of permissions (ADR 0018). Every area states its rules as a table of `Rule`s in
 * its own `policy.ts`; `~/domain/policy/rules` gathers them into one `can`/`authorize`. Deny by
 * default: an action nobody wrote a rule for is refused, and so is anyone who is not a member.
 * Client-safe: the UI reads the same answers as abilities.
 */
import type { ApiTokenScope, Role } from "#db/schema";
import { forbidden, type Problem } from "./outcomes";

export type Actor =
  /** Someone signed in who is a member of the workspace. */
  | { kind: "member"; userId: string; role: Role }
  /** An API token: it acts for its creator, within its scope, and never above its creator's role. */
  | { kind: "token"; userId: string; role: Role; scope: ApiTokenScope }
  /** Signed in or not, but not a member of this workspace: sees nothing (the routes answer 404). */
  | { kind: "outsider" };

export type Decision = { ok: true } | Problem;
export const ALLOWED: Decision = { ok: true };

export type Rule<Subject = undefined> = {
  /** The least role that may do this. */
  needs: Role;
  /** A condition on the record, checked against the record as last read (inside the change's transaction in the domain). */
  when?: (subject: Subject, actor: { userId: string }) => Decision;
};

const RANK: Record<Role, number> = { viewer: 0, editor: 1, admin: 2 };

/**
 * The role an actor acts with: a member's own; a read token's is viewer; a write token's is editor
 * at most, and only while its creator still is one. Tokens never administer a workspace.
 */
export function actingRole(actor: Actor): Role | null {
  if (actor.kind === "outsider") return null;
  if (actor.kind === "member") return actor.role;
  if (actor.scope === "read") return "viewer";
  return RANK[actor.role] >= RANK.editor ? "editor" : "viewer";
}

function roleMessage(actor: Actor, needs: Role): string {
  if (actor.kind === "token") return needs === "admin" ? "API tokens can't administer a workspace." : "This token can only read.";
  const role = actingRole(actor);
  return `This needs the ${needs} role; you are a${role === "admin" ? "n" : ""} ${role ?? "visitor"} here. Ask an admin.`;
}

/**
 * The whole rule: role first, then the record when one is given. Without the record only the role
 * is checked: a route does that before the domain reads the record and checks the rest under lock.
 * Outsiders are refused (routes turn that into 404).
 */
export function decide<S>(rule: Rule<S> | undefined, actor: Actor, subject: S | undefined): Decision {
  if (!rule || actor.kind === "outsider") return forbidden("Not allowed.");
  const role = actingRole(actor);
  if (role === null || RANK[role] < RANK[rule.needs]) return forbidden(roleMessage(actor, rule.needs));
  return rule.when && subject !== undefined ? rule.when(subject, { userId: actor.userId }) : ALLOWED;
}

/** Only the record's condition: for domain code whose caller was authorized for the role already. */
export function decideRecord<S>(rule: Rule<S>, userId: string, subject: S): Decision {
  return rule.when ? rule.when(subject, { userId }) : ALLOWED;
}
