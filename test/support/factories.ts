import type { Db } from "#db/connection";
import { signUp, type PublicUser } from "~/domain/accounts/index.server";
import { acceptInvite, createInvite, createWorkspace } from "~/domain/workspaces/index.server";
import type { Role, Workspace } from "#db/schema";

let counter = 0;
export function unique(prefix: string): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}-${Math.random().toString(36).slice(2, 6)}`;
}

export const GOOD_PASSWORD = "correct horse battery staple";

export async function makeUser(db: Db, name = "Test Person"): Promise<PublicUser> {
  const result = await signUp(db, { email: `${unique("user")}@example.test`, displayName: name, password: GOOD_PASSWORD });
  if (!result.ok) throw new Error(`could not sign up: ${JSON.stringify(result)}`);
  return result.user;
}

export async function makeWorkspace(db: Db, admin: PublicUser): Promise<Workspace> {
  const slug = unique("ws").toLowerCase().slice(0, 40).replace(/-+$/, "");
  const result = await createWorkspace(db, admin, { name: `Workspace ${slug}`, slug });
  if (!result.ok) throw new Error(`could not create workspace: ${JSON.stringify(result)}`);
  return result.workspace;
}

/** Adds a member the way the product does: an admin's invite, accepted. */
export async function addMember(db: Db, workspaceId: string, admin: PublicUser, user: PublicUser, role: Role): Promise<void> {
  const { token } = await createInvite(db, admin, workspaceId, role);
  const joined = await acceptInvite(db, user, token);
  if (!joined) throw new Error("invite was not accepted");
}
