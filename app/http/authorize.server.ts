/**
 * Routes ask the one policy (~/domain/policy/rules) before they change anything: `authorize`
 * for pages and forms (the JSON API asks it in `requireApiCaller`). A refusal is thrown as its answer: 403
 * with the rule's reason, or the record's problem (a published postmortem is read-only: 409).
 */
import type { ApiCaller } from "~/domain/integrations/index.server";
import { abilitiesOf, authorize as decide, type Abilities, type Actor, type PolicyAction, type SubjectArgs } from "~/domain/policy/rules";
import { problemResponse } from "./outcomes.server";
import { requireMember, type WorkspaceAccess } from "./session.server";

export function memberActor(access: Pick<WorkspaceAccess, "user" | "role">): Actor {
  return { kind: "member", userId: access.user.id, role: access.role };
}

export function tokenActor(caller: Pick<ApiCaller, "actor" | "creatorRole" | "tokenScope">): Actor {
  return { kind: "token", userId: caller.actor.id, role: caller.creatorRole, scope: caller.tokenScope };
}

/** For a page's form: throws the refusal; returns nothing when allowed. */
export function authorize<A extends PolicyAction>(access: Pick<WorkspaceAccess, "user" | "role">, action: A, ...subject: SubjectArgs<A>): void {
  const decision = decide(memberActor(access), action, ...subject);
  if (!decision.ok) throw problemResponse(decision);
}

/** A workspace page or form that needs one ability: the member, after `authorize`. */
export async function requireAbility<A extends PolicyAction>(request: Request, slug: string | undefined, action: A, ...subject: SubjectArgs<A>): Promise<WorkspaceAccess> {
  const access = await requireMember(request, slug);
  authorize(access, action, ...subject);
  return access;
}

/** What the signed-in member may do, for the UI to offer (loaders return this, not roles). */
export function abilities(access: Pick<WorkspaceAccess, "user" | "role">, records?: Parameters<typeof abilitiesOf>[1]): Abilities {
  return abilitiesOf(memberActor(access), records);
}
