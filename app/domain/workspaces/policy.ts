/** Who may run a workspace: admins manage members, invites, the tier and area catalog. */
import type { Role } from "#db/schema";
import { conflict } from "~/domain/shared/outcomes";
import { ALLOWED, type Rule } from "~/domain/shared/policy";

/** A member's role change or removal, as the domain reads it under lock. */
export type MembershipChange = { targetRole: Role; newRole: Role | null; admins: number };

const keepsAnAdmin = ({ targetRole, newRole, admins }: MembershipChange) =>
  targetRole === "admin" && newRole !== "admin" && admins <= 1
    ? conflict("A workspace needs at least one admin. Make someone else admin first.")
    : ALLOWED;

export const workspacePolicy = {
  "workspace.view": { needs: "viewer" } as Rule,
  "workspace.rename": { needs: "admin" } as Rule,
  "member.invite": { needs: "admin" } as Rule,
  "member.change-role": { needs: "admin", when: keepsAnAdmin } as Rule<MembershipChange>,
  "member.remove": { needs: "admin", when: keepsAnAdmin } as Rule<MembershipChange>,
  "catalog.edit": { needs: "admin" } as Rule,
};
