import { Form } from "@remix-run/react";
import { DELIVERIES, DELIVERY_LABELS, MAIL_KINDS, MAIL_KIND_LABELS, type NotificationSettings } from "~/domain/notifications/rules";

/** Your account → Notifications: which mail you get, and whether as it happens or in one daily digest. */
export function NotificationSettingsSection({ settings, mailConfigured, busy }: { settings: NotificationSettings; mailConfigured: boolean; busy: boolean }) {
  return (
    <section aria-labelledby="notifications-title" id="notifications">
      <h2 className="auth-alt" id="notifications-title">
        Notifications
      </h2>
      <p className="muted small-text">
        Your inbox on each workspace's home page always shows these.{" "}
        {mailConfigured ? "Mail goes to your account's address." : "This server has no mail set up yet (SMTP), so nothing is mailed until it does."}
      </p>
      <Form method="post" className="form">
        <input type="hidden" name="intent" value="notifications" />
        <fieldset className="fieldset">
          <legend>Mail me about</legend>
          {MAIL_KINDS.map((kind) => (
            <label className="checkbox" key={kind}>
              <input type="checkbox" name={kind} defaultChecked={settings[kind]} /> {MAIL_KIND_LABELS[kind]}
            </label>
          ))}
        </fieldset>
        <fieldset className="fieldset">
          <legend>When</legend>
          {DELIVERIES.map((d) => (
            <label className="checkbox" key={d}>
              <input type="radio" name="delivery" value={d} defaultChecked={settings.delivery === d} /> {DELIVERY_LABELS[d]}
            </label>
          ))}
        </fieldset>
        <div>
          <button type="submit" className="button secondary" disabled={busy}>
            Save notification settings
          </button>
        </div>
      </Form>
    </section>
  );
}
