import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { formProblem } from "~/http/outcomes.server";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { AuthCard, AuthSwitch } from "~/components/auth-card";
import { Field, FormError } from "~/components/form";
import { createSession, logIn } from "~/domain/accounts/index.server";
import { LogInForm } from "~/domain/accounts/forms";
import { database } from "~/http/db.server";
import { formFailure, invalid, parseForm } from "~/http/forms.server";
import { clientAddress } from "~/http/request.server";
import { safeRedirectTarget } from "~/http/redirect-target";
import { currentSession, sessionCookie } from "~/http/session.server";

export const meta: MetaFunction = () => [{ title: "Log in · Hindsight" }];

export async function loader({ request }: LoaderFunctionArgs) {
  if (await currentSession(request)) throw redirect("/");
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const formData = await request.formData();
  const parsed = parseForm(LogInForm, formData);
  if (!parsed.ok) return invalid(parsed);
  // Judged before anything is written: a bad target must not leave a session or an account behind.
  const target = safeRedirectTarget(parsed.data.redirectTo, "/");
  const db = await database();
  const result = await logIn(db, { ...parsed.data, address: clientAddress(request) });
  if (!result.ok) {
    // Wrong credentials are "unauthorized", not a form mistake.
    return result.kind === "invalid" ? formFailure(formData, { formError: result.message }, 401) : formProblem(formData, result);
  }
  const { token, expiresAt } = await createSession(db, result.user.id);
  return redirect(target, {
    headers: { "Set-Cookie": sessionCookie(request, token, expiresAt) },
  });
}

export default function LogIn() {
  const state = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const redirectTo = params.get("redirectTo") ?? "";
  return (
    <AuthCard title="Log in" home="/">
      <Form method="post" className="form" noValidate>
        <FormError state={state} />
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <Field name="email" label="Email" type="email" autoComplete="email" required state={state} />
        <Field name="password" label="Password" type="password" autoComplete="current-password" required state={state} />
        <button className="button" type="submit" disabled={busy}>
          {busy ? "Logging in…" : "Log in"}
        </button>
      </Form>
      <AuthSwitch prompt="New here?" to="/signup" label="Create an account" redirectTo={redirectTo} />
    </AuthCard>
  );
}
