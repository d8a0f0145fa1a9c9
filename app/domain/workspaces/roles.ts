import type { Role } from "#db/schema";

export const ROLES: readonly Role[] = ["viewer", "editor", "admin"] as const;

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  viewer: "Reads everything in the workspace.",
  editor: "Writes incidents, postmortems, guardrails and decisions.",
  admin: "Also manages members, invites and settings.",
};
