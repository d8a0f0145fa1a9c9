import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { AuthCard } from "~/components/auth-card";
import { acceptInvite, findUsableInvite } from "~/domain/workspaces/index.server";
import { database } from "~/http/db.server";
import { currentSession, requireUser } from "~/http/session.server";

export const meta: MetaFunction = () => [{ title: "Join a workspace · Hindsight" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const invite = await findUsableInvite(await database(), params.token ?? "");
  if (!invite) throw new Response("This invite link is unknown, used or expired. Ask for a new one.", { status: 404 });
  const current = await currentSession(request);
  return { workspaceName: invite.name, role: invite.role, signedInAs: current?.user.email ?? null, path: new URL(request.url).pathname };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user } = await requireUser(request);
  const joined = await acceptInvite(await database(), user, params.token ?? "");
  if (!joined) throw new Response("This invite link is unknown, used or expired. Ask for a new one.", { status: 404 });
  return redirect(`/w/${joined.slug}`);
}

export default function AcceptInvite() {
  const { workspaceName, role, signedInAs, path } = useLoaderData<typeof loader>();
  const back = encodeURIComponent(path);
  return (
    <AuthCard title={`Join ${workspaceName}`}>
      <p>
        You are invited as <strong>{role}</strong>.
      </p>
      {signedInAs ? (
        <Form method="post" className="form">
          <p className="muted">You are logged in as {signedInAs}.</p>
          <button type="submit" className="button">
            Join {workspaceName}
          </button>
        </Form>
      ) : (
        <div className="inline-form">
          <Link className="button" to={`/signup?redirectTo=${back}`}>
            Create an account to join
          </Link>
          <Link className="button secondary" to={`/login?redirectTo=${back}`}>
            Log in to join
          </Link>
        </div>
      )}
    </AuthCard>
  );
}
