import { redirect } from "@remix-run/node";
import { validateSessionToken, type PublicUser, type SessionInfo } from "~/domain/accounts/index.server";
import { findMembership, type WorkspaceMembership } from "~/domain/workspaces/index.server";
import { database } from "./db.server";
import { oncePerRequest } from "./request-scope.server";

const SESSION_COOKIE = "hs_session";

export function readCookie(request: Request, name: string): string | null {
  const header = request.headers.get("Cookie");
  if (!header) return null;
  for (const part of header.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) {
      try {
        return decodeURIComponent(rest.join("="));
      } catch {
        return null;
      }
    }
  }
  return null;
}

function isSecure(request: Request): boolean {
  return new URL(request.url).protocol === "https:";
}

export function sessionCookie(request: Request, token: string, expiresAt: Date): string {
  const parts = [`${SESSION_COOKIE}=${token}`, "Path=/", "HttpOnly", "SameSite=Lax", `Expires=${expiresAt.toUTCString()}`];
  if (isSecure(request)) parts.push("Secure");
  return parts.join("; ");
}

export function clearedSessionCookie(request: Request): string {
  const parts = [`${SESSION_COOKIE}=`, "Path=/", "HttpOnly", "SameSite=Lax", "Max-Age=0"];
  if (isSecure(request)) parts.push("Secure");
  return parts.join("; ");
}

export type CurrentSession = { user: PublicUser; session: SessionInfo; token: string };

/** The signed-in user, or null. A tampered, unknown or expired cookie is simply no session. */
export function currentSession(request: Request): Promise<CurrentSession | null> {
  const token = readCookie(request, SESSION_COOKIE);
  if (!token) return Promise.resolve(null);
  // A page's loaders share one lookup (request-scope.server.ts).
  return oncePerRequest(`session:${token}`, async () => {
    const found = await validateSessionToken(await database(), token);
    return found ? { ...found, token } : null;
  });
}

/** Where to send someone who must log in first, keeping where they were going. */
function loginRedirect(request: Request): Response {
  const url = new URL(request.url);
  const redirectTo = url.pathname + url.search;
  return redirect(`/login?redirectTo=${encodeURIComponent(redirectTo)}`);
}

export async function requireUser(request: Request): Promise<CurrentSession> {
  const current = await currentSession(request);
  if (!current) throw loginRedirect(request);
  return current;
}

export type WorkspaceAccess = CurrentSession & WorkspaceMembership;

/**
 * Membership, the first half of every workspace route's access check: the user must be signed in
 * and a member of the workspace in the URL. A workspace that doesn't exist and one the user can't
 * see answer the same 404, so slugs can't be probed. What a member may do is the policy's to say
 * (`requireAbility`/`authorize` in ./authorize.server).
 */
export async function requireMember(request: Request, slug: string | undefined): Promise<WorkspaceAccess> {
  const current = await requireUser(request);
  const membership = slug
    ? await oncePerRequest(`membership:${current.user.id}:${slug}`, async () => findMembership(await database(), current.user.id, slug))
    : null;
  if (!membership) throw new Response("Workspace not found", { status: 404, statusText: "Not Found" });
  return { ...current, ...membership };
}
