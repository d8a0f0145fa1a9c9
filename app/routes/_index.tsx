import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { AuthCard } from "~/components/auth-card";
import { workspacesOf } from "~/domain/workspaces/index.server";
import { database } from "~/http/db.server";
import { currentSession } from "~/http/session.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const current = await currentSession(request);
  if (!current) return null;
  const workspaces = await workspacesOf(await database(), current.user.id);
  const first = workspaces[0];
  throw redirect(first ? `/w/${first.slug}` : "/workspaces/new");
}

export default function Welcome() {
  return (
    <AuthCard title="Learn from every incident, and prove it.">
      <p className="muted">
        Write blameless postmortems, turn each contributing factor into a guardrail action, and see it verified when the
        gate runs in CI. Decision records explain why the rules changed.
      </p>
      <div className="inline-form">
        <Link className="button" to="/signup">
          Create an account
        </Link>
        <Link className="button secondary" to="/login">
          Log in
        </Link>
      </div>
    </AuthCard>
  );
}
