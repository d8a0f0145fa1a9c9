import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { CopyField } from "~/components/copy-field";
import { Field, FormError, SelectField, TextAreaField, Notice, useFormResult } from "~/components/form";
import { PageHead } from "~/components/page-head";
import { WorkspaceRouteError } from "~/components/route-error";
import { SettingsNav } from "~/components/settings-nav";
import { When } from "~/components/when";
import { createConnection, listConnections, removeConnection, setWebhookSecret, testConnection } from "~/domain/trackers/index.server";
import { DEFAULT_LABELS, DEFAULT_PRIORITIES, TARGET_LABELS, TRACKER_VENDORS, trackerWebhookPath } from "~/domain/trackers/rules";
import { TrackerSettingsForm } from "~/domain/trackers/forms";
import { database } from "~/http/db.server";
import { formProblem } from "~/http/outcomes.server";
import { invalid, parseForm } from "~/http/forms.server";
import { requireAbility } from "~/http/authorize.server";

export const meta: MetaFunction = () => [{ title: "Trackers · Integrations · Settings · Hindsight" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace } = await requireAbility(request, params.workspace, "tracker.manage");
  const origin = new URL(request.url).origin;
  const connections = await listConnections(await database(), workspace.id);
  return {
    slug: workspace.slug,
    connections: connections.map((c) => ({ ...c, webhookUrl: `${origin}${trackerWebhookPath(workspace.slug, c.id)}` })),
    defaults: { labels: DEFAULT_LABELS, priorities: DEFAULT_PRIORITIES },
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { workspace, user } = await requireAbility(request, params.workspace, "tracker.manage");
  const formData = await request.formData();
  const parsed = parseForm(TrackerSettingsForm, formData);
  if (!parsed.ok) return invalid(parsed);
  const db = await database();
  const input = parsed.data;
  switch (input.intent) {
    case "connect": {
      const mapping = { ...(input.labels.length ? { labels: input.labels } : {}), ...(Object.keys(input.priorities).length ? { priorities: input.priorities } : {}) };
      const created = await createConnection(db, user, workspace.id, { ...input, mapping });
      if (!created.ok) return formProblem(formData, created);
      return data({ ok: true as const, notice: "Connected. Test the connection, then add the webhook in the tracker with the address and secret below.", secret: created.webhookSecret, connectionId: created.id });
    }
    case "test": {
      const tested = await testConnection(db, user, workspace.id, input.connectionId);
      if (!tested.ok) return formProblem(formData, tested);
      return data({ ok: true as const, notice: tested.passed ? tested.message : `The test failed: ${tested.message}`, secret: null, connectionId: input.connectionId });
    }
    case "webhook-secret": {
      const set = await setWebhookSecret(db, user, workspace.id, input.connectionId, input.secret);
      if (!set.ok) return formProblem(formData, set);
      return data({ ok: true as const, notice: set.webhookSecret ? "New webhook secret made. Copy it into the tracker's webhook now: it is not shown again." : "Signing secret saved.", secret: set.webhookSecret, connectionId: input.connectionId });
    }
    case "remove": {
      const removed = await removeConnection(db, user, workspace.id, input.connectionId);
      if (!removed.ok) return formProblem(formData, removed);
      return data({ ok: true as const, notice: "Connection removed; its actions keep their history but no longer sync.", secret: null, connectionId: null });
    }
  }
}

const VENDOR_OPTIONS = Object.entries(TRACKER_VENDORS).map(([value, label]) => ({ value, label }));

export default function TrackerSettings() {
  const { slug, connections, defaults } = useLoaderData<typeof loader>();
  const { busy, success, failure } = useFormResult<typeof action>();
  return (
    <>
      <PageHead title="Trackers" description="Keep each guardrail action in the team's issue tracker too. Done there marks it done here; only its gate or evidence verifies it." />
      <SettingsNav slug={slug} />
      <p className="small-text">
        <Link to={`/w/${slug}/settings/integrations`}>Integrations</Link> › Trackers
      </p>
      <Notice>{success?.notice}</Notice>
      <FormError state={failure} />

      {connections.map((c) => (
        <section key={c.id} className="card tracker-connection" aria-labelledby={`tracker-${c.id}`}>
          <h2 id={`tracker-${c.id}`}>{c.name}</h2>
          <dl className="tracker-facts">
            <dt>Tracker</dt>
            <dd>{TRACKER_VENDORS[c.vendor]}</dd>
            <dt>{TARGET_LABELS[c.vendor]}</dt>
            <dd>
              <code>{c.target}</code>
              {c.issue_type ? ` · issue type ${c.issue_type}` : ""}
            </dd>
            <dt>Address</dt>
            <dd>
              <code>{c.api_url}</code>
            </dd>
            <dt>Token</dt>
            <dd>
              ending in <code>…{c.token_hint}</code>
              {c.account_email ? ` (account ${c.account_email})` : ""}
            </dd>
            <dt>Last test</dt>
            <dd className={c.test_ok === false ? "tracker-error" : undefined}>
              {c.tested_at ? (
                <>
                  {c.test_ok ? "Passed" : "Failed"} <When at={c.tested_at} />: {c.test_message}
                </>
              ) : (
                "Not tested yet."
              )}
            </dd>
          </dl>
          <CopyField id={`webhook-${c.id}`} label="Webhook address" value={c.webhookUrl} />
          {success?.secret && success.connectionId === c.id ? <CopyField id={`secret-${c.id}`} label="Webhook secret (shown once)" value={success.secret} /> : null}
          <p className="small-text">
            {c.vendor === "github"
              ? `In ${c.target}: Settings → Webhooks → Add webhook, content type application/json, the secret ending in …${c.webhook_hint}, event “Issues”.`
              : c.vendor === "jira"
                ? `In Jira: Settings → System → Webhooks → Create, with this address, the secret ending in …${c.webhook_hint}, event “Issue updated”, JQL project = ${c.target}.`
                : `In Linear: Settings → API → Webhooks → New webhook, with this address, for team ${c.target}, data change events on Issues. Linear's signing secret ends in …${c.webhook_hint}.`}
          </p>
          <div className="actions-row">
            <Form method="post">
              <input type="hidden" name="intent" value="test" />
              <input type="hidden" name="connectionId" value={c.id} />
              <button type="submit" className="button secondary" disabled={busy}>
                Test connection
              </button>
            </Form>
            {c.vendor !== "linear" ? (
              <Form method="post">
                <input type="hidden" name="intent" value="webhook-secret" />
                <input type="hidden" name="connectionId" value={c.id} />
                <button type="submit" className="button secondary" disabled={busy}>
                  New webhook secret
                </button>
              </Form>
            ) : null}
            <Form method="post">
              <input type="hidden" name="intent" value="remove" />
              <input type="hidden" name="connectionId" value={c.id} />
              <button type="submit" className="button danger small" disabled={busy}>
                Remove
              </button>
            </Form>
          </div>
          {c.vendor === "linear" ? (
            <Form method="post" className="inline-form" noValidate>
              <input type="hidden" name="intent" value="webhook-secret" />
              <input type="hidden" name="connectionId" value={c.id} />
              <Field name="secret" id={`linear-secret-${c.id}`} type="password" autoComplete="off" label="New signing secret from Linear" state={failure} />
              <button type="submit" className="button secondary" disabled={busy}>
                Save secret
              </button>
            </Form>
          ) : null}
        </section>
      ))}

      <section className="card" aria-labelledby="connect-title">
        <h2 id="connect-title">Connect a tracker</h2>
        <p className="muted">
          The token is stored encrypted and never shown again. GitHub: a fine-grained token with read and write access to issues. Jira Cloud: an API
          token and the email of its account. Linear: a personal API key.
        </p>
        {/* Keyed by the count, so the form is emptied once a connection is made. */}
        <Form method="post" noValidate className="form" key={connections.length}>
          <input type="hidden" name="intent" value="connect" />
          <SelectField name="vendor" label="Tracker" options={VENDOR_OPTIONS} defaultValue="jira" state={failure} />
          <Field name="target" label="Repository, project key or team key" hint="GitHub: owner/name. Jira: the project key (PLAT). Linear: the team key (ENG)." state={failure} />
          <Field
            name="apiUrl"
            label="Address"
            hint="Jira: your site, like https://acme.atlassian.net. GitHub and Linear: leave empty for api.github.com and api.linear.app (GitHub Enterprise: its API address)."
            state={failure}
          />
          <Field name="accountEmail" type="email" label="Account email (Jira)" autoComplete="off" state={failure} />
          <Field name="issueType" label="Issue type (Jira)" placeholder="Task" state={failure} />
          <Field name="token" type="password" label="Token or API key" autoComplete="off" state={failure} />
          <Field name="webhookSecret" type="password" label="Webhook signing secret (Linear)" hint="Linear makes it; GitHub and Jira get one made here, shown once." autoComplete="off" state={failure} />
          <Field name="name" label="Name (optional)" placeholder="Jira PLAT" state={failure} />
          <TextAreaField
            name="labels"
            label="Labels (optional)"
            rows={3}
            hint={`One per line; {tier} and {severity} expand. Defaults: GitHub ${defaults.labels.github.join(", ")}; Jira ${defaults.labels.jira.join(", ")}.`}
            state={failure}
          />
          <TextAreaField
            name="priorities"
            label="Priority by severity (optional)"
            rows={4}
            hint={`One per line, like “SEV1: Highest”. Defaults: Jira ${Object.entries(defaults.priorities.jira).map(([k, v]) => `${k} ${v}`).join(", ")}; Linear ${Object.entries(defaults.priorities.linear).map(([k, v]) => `${k} ${v}`).join(", ")} (1 urgent … 4 low). Tier T3 raises it one step.`}
            state={failure}
          />
          <div>
            <button type="submit" className="button" disabled={busy}>
              Connect
            </button>
          </div>
        </Form>
      </section>
    </>
  );
}

export const ErrorBoundary = WorkspaceRouteError;
