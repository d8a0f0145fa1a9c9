import type { Role } from "#db/schema";

export const ROLES: readonly Role[] = ["viewer", "editor", "admin"] as const;

const RANK: Record<Role, number> = { viewer: 0, editor: 1, admin: 2 };

/** Deny by default: true only when `role` reaches `needed`. */
export function roleAllows(role: Role | null | undefined, needed: Role): boolean {
  return role != null && RANK[role] >= RANK[needed];
}

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  viewer: "Reads everything in the workspace.",
  editor: "Writes incidents, postmortems, guardrails and decisions.",
  admin: "Also manages members, invites and settings.",
};
