import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { invalidateSession } from "~/domain/accounts/index.server";
import { database } from "~/http/db.server";
import { clearedSessionCookie, currentSession } from "~/http/session.server";

export async function loader() {
  // Logging out changes state, so it is a POST; a link here just goes home.
  return redirect("/");
}

export async function action({ request }: ActionFunctionArgs) {
  const current = await currentSession(request);
  if (current) await invalidateSession(await database(), current.session.id, current.user.id);
  return redirect("/login", { headers: { "Set-Cookie": clearedSessionCookie(request) } });
}
