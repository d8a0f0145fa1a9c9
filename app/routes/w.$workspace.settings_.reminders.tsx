import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { FormError, Notice, useFormResult } from "~/components/form";
import { PageHead } from "~/components/page-head";
import { WorkspaceRouteError } from "~/components/route-error";
import { SettingsNav } from "~/components/settings-nav";
import { actionReference, todayUtc } from "~/domain/guardrails/rules";
import { mailerConfigured, queueDigestsNow, recentReminderSends, workspaceDigests } from "~/domain/integrations/index.server";
import { database } from "~/http/db.server";
import { log } from "~/http/log.server";
import { requireAbility } from "~/http/authorize.server";
import { When } from "~/components/when";

export const meta: MetaFunction = () => [{ title: "Reminders · Settings · Hindsight" }];

/** Where the mail goes out, without the credentials in SMTP_URL. */
function smtpHost(): string | null {
  if (!process.env.SMTP_URL) return null;
  try {
    return new URL(process.env.SMTP_URL).host;
  } catch {
    return "(SMTP_URL is not a URL)";
  }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace } = await requireAbility(request, params.workspace, "reminders.manage");
  const db = await database();
  const today = todayUtc();
  const [digests, sends] = await Promise.all([workspaceDigests(db, workspace.id, today), recentReminderSends(db, workspace.id)]);
  const sentToday = new Set(sends.filter((s) => s.sent_on === today).map((s) => s.email));
  return {
    slug: workspace.slug,
    today,
    smtp: smtpHost(),
    digests: digests.map((d) => ({ name: d.name, email: d.email, actions: d.actions.map((a) => actionReference(a.number)), sent: sentToday.has(d.email) })),
    sends,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { workspace, user } = await requireAbility(request, params.workspace, "reminders.manage");
  if (!mailerConfigured()) return data({ ok: false as const, formError: "Email is off: set SMTP_URL on the server to send digests." }, { status: 409 });
  await queueDigestsNow(await database(), user, workspace.id);
  log.info({ workspace: workspace.slug, by: user.id }, "reminder digests queued");
  return data({ ok: true as const, notice: "Queued: today's digests go out within a minute, each owner at most once a day. Reload to see them below." });
}

export default function Reminders() {
  const { slug, today, smtp, digests, sends } = useLoaderData<typeof loader>();
  const { busy, success, failure } = useFormResult<typeof action>();
  return (
    <>
      <PageHead
        title="Reminders"
        description="Owners of overdue guardrail actions get one digest a day. Everyone sees their own overdue actions on the workspace overview."
      />
      <SettingsNav slug={slug} />
      <Notice>{success?.notice}</Notice>
      <FormError state={failure} />
      <section className="card" aria-labelledby="email-title">
        <h2 id="email-title">Email</h2>
        {smtp ? (
          <p>
            Digests go out through SMTP at <code>{smtp}</code>. The server sends them every day at 07:00 UTC; each owner gets at most one a
            day.
          </p>
        ) : (
          <p className="muted">
            Email is off: set <code>SMTP_URL</code> (and <code>MAIL_FROM</code>, <code>APP_URL</code>) on the server to send daily digests. Overdue actions
            still show on each owner&apos;s overview.
          </p>
        )}
        {smtp ? (
          <Form method="post">
            <button type="submit" className="button secondary" disabled={busy}>
              Send today&apos;s digests now
            </button>
          </Form>
        ) : null}
      </section>
      <section className="card" aria-labelledby="today-title">
        <h2 id="today-title">Digests due today ({today})</h2>
        {digests.length === 0 ? (
          <p className="muted">Nobody has an overdue guardrail action.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Owner</th>
                  <th scope="col">Overdue actions</th>
                  <th scope="col">Today</th>
                </tr>
              </thead>
              <tbody>
                {digests.map((d) => (
                  <tr key={d.email}>
                    <th scope="row">
                      {d.name}
                      <br />
                      <span className="muted">{d.email}</span>
                    </th>
                    <td>{d.actions.join(", ")}</td>
                    <td>{d.sent ? "Sent" : <span className="muted">Not sent</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section className="card" aria-labelledby="sent-title">
        <h2 id="sent-title">Sent</h2>
        {sends.length === 0 ? (
          <p className="muted">No digest has been sent from this workspace.</p>
        ) : (
          <ul className="list-plain">
            {sends.map((s) => (
              <li key={`${s.email}-${s.sent_on}`}>
                <When at={s.sent_at} />: {s.display_name} ({s.action_numbers.map(actionReference).join(", ")})
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

export const ErrorBoundary = WorkspaceRouteError;
