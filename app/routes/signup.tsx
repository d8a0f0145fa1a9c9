import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { formProblem } from "~/http/outcomes.server";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { Field, FormError } from "~/components/form";
import { createSession, signUp } from "~/domain/accounts/index.server";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "~/domain/accounts/rules";
import { database } from "~/http/db.server";
import { invalid, parseForm } from "~/http/forms.server";
import { safeRedirectTarget } from "~/http/redirect-target";
import { currentSession, sessionCookie } from "~/http/session.server";

export const meta: MetaFunction = () => [{ title: "Sign up · Hindsight" }];

const SignUpForm = z.object({
  displayName: z.string().trim().min(1, "Tell us your name.").max(80, "Keep your name under 80 characters."),
  email: z.string().trim().max(254, "That email is too long.").pipe(z.email("Enter an email address like you@example.com.")),
  password: z
    .string()
    .min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters.`)
    .max(PASSWORD_MAX_LENGTH, `Use at most ${PASSWORD_MAX_LENGTH} characters.`),
  redirectTo: z.string().optional(),
});

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
    <main className="auth" id="main">
      <div className="auth-card card">
        <Link to="/" className="brand">
          <span className="brand-mark" aria-hidden="true" /> Hindsight
        </Link>
        <h1>Create your account</h1>
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
        <p className="muted auth-alt">
          Already have an account? <Link to={`/login${redirectTo ? `?redirectTo=${encodeURIComponent(redirectTo)}` : ""}`}>Log in</Link>
        </p>
      </div>
    </main>
  );
}
