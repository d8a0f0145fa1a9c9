import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { formProblem } from "~/http/outcomes.server";
import { data } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { AuthCard } from "~/components/auth-card";
import { Field, FormError, Notice, useFormResult } from "~/components/form";
import { changePassword, endOtherSessions } from "~/domain/accounts/index.server";
import { AccountForm } from "~/domain/accounts/forms";
import { PASSWORD_MIN_LENGTH } from "~/domain/accounts/rules";
import { workspacesOf } from "~/domain/workspaces/index.server";
import { notificationSettings, saveNotificationSettings } from "~/domain/notifications/index.server";
import { NotificationSettingsForm } from "~/domain/notifications/forms";
import { NotificationSettingsSection } from "~/components/notification-settings";
import { mailerConfigured } from "~/domain/integrations/index.server";
import { database } from "~/http/db.server";
import { invalid, parseForm } from "~/http/forms.server";
import { requireUser } from "~/http/session.server";

export const meta: MetaFunction = () => [{ title: "Your account · Hindsight" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await requireUser(request);
  const db = await database();
  const [workspaces, notifications] = await Promise.all([workspacesOf(db, user.id), notificationSettings(db, user.id)]);
  return { user, notifications, mailConfigured: mailerConfigured(), back: workspaces[0] ? `/w/${workspaces[0].slug}` : "/workspaces/new" };
}

export async function action({ request }: ActionFunctionArgs) {
  const { user, session } = await requireUser(request);
  const formData = await request.formData();
  const db = await database();
  if (formData.get("intent") === "notifications") {
    const settings = parseForm(NotificationSettingsForm, formData);
    if (!settings.ok) return invalid(settings);
    const { intent: _intent, ...chosen } = settings.data;
    await saveNotificationSettings(db, user, chosen);
    return data({ ok: true as const, notice: "Notification settings saved." });
  }
  const parsed = parseForm(AccountForm, formData);
  if (!parsed.ok) return invalid(parsed);
  if (parsed.data.intent === "end-other-sessions") {
    const ended = await endOtherSessions(db, user, session.id);
    return data({ ok: true as const, notice: `Logged out of ${ended} other session${ended === 1 ? "" : "s"}.` });
  }
  const result = await changePassword(db, user, session.id, parsed.data);
  if (!result.ok) return formProblem(formData, result);
  return data({ ok: true as const, notice: `Password changed. ${result.endedSessions} other session${result.endedSessions === 1 ? " was" : "s were"} logged out.` });
}

export default function Account() {
  const { user, back, notifications, mailConfigured } = useLoaderData<typeof loader>();
  const { busy, success, failure } = useFormResult<typeof action>();
  return (
    <AuthCard title="Your account" home={back}>
      <p className="muted">
        {user.display_name} · {user.email}
      </p>
      <Notice>{success?.notice}</Notice>
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
      <NotificationSettingsSection settings={notifications} mailConfigured={mailConfigured} busy={busy} />
      <p className="auth-alt">
        <Link to={back}>Back to your workspace</Link>
      </p>
    </AuthCard>
  );
}
