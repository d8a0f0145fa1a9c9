import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { formProblem } from "~/http/outcomes.server";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { Field, FormError } from "~/components/form";
import { changePassword, endOtherSessions } from "~/domain/accounts/index.server";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "~/domain/accounts/rules";
import { workspacesOf } from "~/domain/workspaces/index.server";
import { database } from "~/http/db.server";
import { invalid, parseForm } from "~/http/forms.server";
import { requireUser } from "~/http/session.server";

export const meta: MetaFunction = () => [{ title: "Your account · Hindsight" }];

const AccountAction = z.discriminatedUnion(
  "intent",
  [
    z.object({
      intent: z.literal("change-password"),
      currentPassword: z.string().min(1, "Enter your current password.").max(PASSWORD_MAX_LENGTH, "That password is too long."),
      newPassword: z
        .string()
        .min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters.`)
        .max(PASSWORD_MAX_LENGTH, `Use at most ${PASSWORD_MAX_LENGTH} characters.`),
    }),
    z.object({ intent: z.literal("end-other-sessions") }),
  ],
  { error: "Unknown action." },
);

export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await requireUser(request);
  const workspaces = await workspacesOf(await database(), user.id);
  return { user, back: workspaces[0] ? `/w/${workspaces[0].slug}` : "/workspaces/new" };
}

export async function action({ request }: ActionFunctionArgs) {
  const { user, session } = await requireUser(request);
  const formData = await request.formData();
  const parsed = parseForm(AccountAction, formData);
  if (!parsed.ok) return invalid(parsed);
  const db = await database();
  if (parsed.data.intent === "end-other-sessions") {
    const ended = await endOtherSessions(db, user, session.id);
    return data({ ok: true as const, notice: `Logged out of ${ended} other session${ended === 1 ? "" : "s"}.` });
  }
  const result = await changePassword(db, user, session.id, parsed.data);
  if (!result.ok) return formProblem(formData, result);
  return data({ ok: true as const, notice: `Password changed. ${result.endedSessions} other session${result.endedSessions === 1 ? " was" : "s were"} logged out.` });
}

export default function Account() {
  const { user, back } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const failure = result && !result.ok ? result : undefined;
  return (
    <main className="auth" id="main">
      <div className="auth-card card">
        <Link to={back} className="brand">
          <span className="brand-mark" aria-hidden="true" /> Hindsight
        </Link>
        <h1>Your account</h1>
        <p className="muted">
          {user.display_name} · {user.email}
        </p>
        {result?.ok ? (
          <div className="notice" role="status">
            {result.notice}
          </div>
        ) : null}
        <h2 className="auth-alt">Change password</h2>
        <Form method="post" className="form" noValidate>
          <FormError state={failure} />
          <input type="hidden" name="intent" value="change-password" />
          <Field name="currentPassword" label="Current password" type="password" autoComplete="current-password" state={failure} />
          <Field
            name="newPassword"
            label="New password"
            type="password"
            autoComplete="new-password"
            hint={`At least ${PASSWORD_MIN_LENGTH} characters. Other browsers will be logged out.`}
            state={failure}
          />
          <button type="submit" className="button" disabled={busy}>
            Change password
          </button>
        </Form>
        <h2 className="auth-alt">Sessions</h2>
        <Form method="post">
          <input type="hidden" name="intent" value="end-other-sessions" />
          <button type="submit" className="button secondary" disabled={busy}>
            Log out everywhere else
          </button>
        </Form>
        <p className="auth-alt">
          <Link to={back}>Back to your workspace</Link>
        </p>
      </div>
    </main>
  );
}
