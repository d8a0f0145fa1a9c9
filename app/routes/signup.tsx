import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { formProblem } from "~/http/outcomes.server";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { AuthCard, AuthSwitch } from "~/components/auth-card";
import { Field, FormError } from "~/components/form";
import { createSession, signUp } from "~/domain/accounts/index.server";
import { SignUpForm } from "~/domain/accounts/forms";
import { PASSWORD_MIN_LENGTH } from "~/domain/accounts/rules";
import { database } from "~/http/db.server";
import { invalid, parseForm } from "~/http/forms.server";
import { safeRedirectTarget } from "~/http/redirect-target";
import { currentSession, sessionCookie } from "~/http/session.server";

export const meta: MetaFunction = () => [{ title: "Sign up · Hindsight" }];

export async function loader({ request }: LoaderFunctionArgs) {
  if (await currentSession(request)) throw redirect("/");
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const formData = await request.formData();
  const parsed = parseForm(SignUpForm, formData);
  if (!parsed.ok) return invalid(parsed);
  // Judged before anything is written: a bad target must not leave a session or an account behind.
  const target = safeRedirectTarget(parsed.data.redirectTo, "/workspaces/new");
  const db = await database();
  const result = await signUp(db, parsed.data);
  if (!result.ok) return formProblem(formData, result);
  const { token, expiresAt } = await createSession(db, result.user.id);
  return redirect(target, {
    headers: { "Set-Cookie": sessionCookie(request, token, expiresAt) },
  });
}

export default function SignUp() {
  const state = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const redirectTo = params.get("redirectTo") ?? "";
  return (
    <AuthCard title="Create your account" home="/">
      <p className="muted">Blameless postmortems, decision records and guardrails that are seen enforced.</p>
      <Form method="post" className="form" noValidate>
        <FormError state={state} />
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <Field name="displayName" label="Your name" autoComplete="name" required state={state} />
        <Field name="email" label="Work email" type="email" autoComplete="email" required state={state} />
        <Field
          name="password"
          label="Password"
          type="password"
          autoComplete="new-password"
          hint={`At least ${PASSWORD_MIN_LENGTH} characters. A few unrelated words work well.`}
          required
          state={state}
        />
        <button className="button" type="submit" disabled={busy}>
          {busy ? "Creating account…" : "Create account"}
        </button>
      </Form>
      <AuthSwitch prompt="Already have an account?" to="/login" label="Log in" redirectTo={redirectTo} />
    </AuthCard>
  );
}
