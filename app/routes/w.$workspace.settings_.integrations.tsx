import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Field, FormError, Notice, useFormResult } from "~/components/form";
import { PageHead } from "~/components/page-head";
import { WorkspaceRouteError } from "~/components/route-error";
import { CopyField } from "~/components/copy-field";
import { GeneratedSecret, RemoveButton, SecretState } from "~/components/integration-secrets";
import { SettingsNav } from "~/components/settings-nav";
import { integrationStatus, removeIntegration, rotateGeneratedSecret, setPagerDutySecret } from "~/domain/integrations/index.server";
import { IntegrationForm } from "~/domain/integrations/forms";
import { database } from "~/http/db.server";
import { formProblem } from "~/http/outcomes.server";
import { sendTestDelivery, type TestDeliveryResult } from "~/http/test-delivery.server";
import { invalid, parseForm } from "~/http/forms.server";
import { requireAbility } from "~/http/authorize.server";

export const meta: MetaFunction = () => [{ title: "Integrations · Settings · Hindsight" }];

/** Where a sender posts: this server's address as the request reached it. */
function webhookUrl(request: Request, source: string, slug: string): string {
  return `${new URL(request.url).origin}/webhooks/${source}/${slug}`;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace } = await requireAbility(request, params.workspace, "integration.manage");
  const status = await integrationStatus(await database(), workspace.id);
  const url = (source: string) => webhookUrl(request, source, workspace.slug);
  return {
    slug: workspace.slug,
    urls: { github: url("github"), pagerduty: url("pagerduty"), alertmanager: url("alertmanager") },
    status,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { workspace, user } = await requireAbility(request, params.workspace, "integration.manage");
  const formData = await request.formData();
  const parsed = parseForm(IntegrationForm, formData);
  if (!parsed.ok) return invalid(parsed);
  const db = await database();
  const input = parsed.data;
  switch (input.intent) {
    case "rotate": {
      const { secret } = await rotateGeneratedSecret(db, user, workspace.id, input.source);
      const what = input.source === "github" ? "GitHub webhook secret" : "Alertmanager token";
      return data({ ok: true as const, notice: `New ${what} created. Copy it now: it is not shown again.`, secret, source: input.source, test: null });
    }
    case "set-pagerduty":
      await setPagerDutySecret(db, user, workspace.id, input.secret);
      return data({ ok: true as const, notice: "PagerDuty signing secret saved.", secret: null, source: "pagerduty" as const, test: null });
    case "test-delivery": {
      const test = await sendTestDelivery(db, user, webhookUrl(request, input.source, workspace.slug), workspace.slug, input.source);
      if ("kind" in test) return formProblem(formData, test);
      return data({ ok: true as const, notice: null, secret: null, source: input.source, test });
    }
    case "remove": {
      const removed = await removeIntegration(db, user, workspace.id, input.source);
      return data({
        ok: true as const,
        notice: removed ? "Integration turned off: its deliveries are refused from now on." : "It was not set up.",
        secret: null,
        source: input.source,
        test: null,
      });
    }
  }
}

export default function Integrations() {
  const { slug, urls, status } = useLoaderData<typeof loader>();
  const { busy, success, failure } = useFormResult<typeof action>();
  const shown = (source: string) => (success && success.source === source && success.secret ? success.secret : null);
  const tested = (source: "github" | "pagerduty") => (success?.test && success.test.source === source ? success.test : null);
  const testFailure = (source: "github" | "pagerduty") => (failure && failure.values.intent === "test-delivery" && failure.values.source === source ? failure : undefined);
  return (
    <>
      <PageHead title="Integrations" description="Let GitHub verify guardrails and let alerting open incidents. Each sender proves itself with a secret of this workspace." />
      <SettingsNav slug={slug} />
      <Notice>{success?.notice}</Notice>
      <FormError state={failure} />

      <section className="card" aria-labelledby="github-title">
        <h2 id="github-title">GitHub</h2>
        <p className="muted">
          Branch protection rules and rulesets tell which checks GitHub requires to merge into the default branch; check runs, check suites and
          commit statuses show them passing. A gate is enforced when its check is both required and seen passing there, and only then verifies the
          actions done before it. Pull request events fill in linked pull requests and reveal merges that bypassed a required check.
        </p>
        <CopyField id="github-url" label="Payload URL" value={urls.github} />
        <p className="small-text">
          In the repository or organisation: Settings → Webhooks → Add webhook. Content type <code>application/json</code>; events: Branch protection
          rules, Repository rulesets, Check runs, Check suites, Statuses, Pull requests. Tier labels, model tools and Check now are in{" "}
          <Link to={`/w/${slug}/settings/github`}>Settings → GitHub</Link>.
        </p>
        <GeneratedSecret
          source="github"
          label="GitHub"
          what={{ name: "webhook secret", fieldId: "github-secret", fieldLabel: "Webhook secret" }}
          shown={shown("github")}
          status={status.github}
          busy={busy}
        />
        <TestDelivery source="github" label="GitHub" ready={Boolean(status.github)} busy={busy} result={tested("github")} failure={testFailure("github")} slug={slug} />
      </section>

      <section className="card" aria-labelledby="pagerduty-title">
        <h2 id="pagerduty-title">PagerDuty</h2>
        <p className="muted">
          A v3 webhook subscription: <code>incident.triggered</code> opens an incident here (once per PagerDuty incident), acknowledged and resolved
          update it, each with a timeline event.
        </p>
        <CopyField id="pagerduty-url" label="Webhook URL" value={urls.pagerduty} />
        <p className="small-text">
          In PagerDuty: Integrations → Generic Webhooks (v3) → New Webhook, with this URL. PagerDuty shows a signing secret once: paste it below.
        </p>
        <SecretState status={status.pagerduty} what="signing secret" />
        <Form method="post" className="inline-form" noValidate>
          <input type="hidden" name="intent" value="set-pagerduty" />
          <Field name="secret" type="password" autoComplete="off" label="Signing secret" state={failure} />
          <button type="submit" className="button secondary" disabled={busy}>
            Save signing secret
          </button>
        </Form>
        <TestDelivery source="pagerduty" label="PagerDuty" ready={Boolean(status.pagerduty)} busy={busy} result={tested("pagerduty")} failure={testFailure("pagerduty")} slug={slug} />
        {status.pagerduty ? (
          <div className="actions-row auth-alt">
            <RemoveButton source="pagerduty" busy={busy} label="PagerDuty" />
          </div>
        ) : null}
      </section>

      <section className="card" aria-labelledby="alertmanager-title">
        <h2 id="alertmanager-title">Prometheus Alertmanager</h2>
        <p className="muted">
          A webhook receiver (version 4): a firing alert group opens an incident here, more alerts add to its timeline, and the resolved notification
          resolves it. A group that fires again after resolving opens a new incident.
        </p>
        <CopyField id="alertmanager-url" label="Receiver URL" value={urls.alertmanager} />
        <GeneratedSecret
          source="alertmanager"
          label="Alertmanager"
          what={{ name: "token", fieldId: "alertmanager-token", fieldLabel: "Alertmanager token" }}
          shown={shown("alertmanager")}
          status={status.alertmanager}
          busy={busy}
        />
        <p className="small-text auth-alt">In alertmanager.yml:</p>
        <div className="table-wrap">
          <pre className="small-text">{`receivers:
  - name: hindsight
    webhook_configs:
      - url: ${urls.alertmanager}
        send_resolved: true
        http_config:
          authorization:
            type: Bearer
            credentials: ${shown("alertmanager") ?? "<the token above>"}`}</pre>
        </div>
      </section>
      <section className="card" aria-labelledby="trackers-title">
        <h2 id="trackers-title">Issue trackers</h2>
        <p className="muted">
          GitHub Issues, Jira Cloud and Linear: create an issue for each guardrail action, and follow it back. Done there marks the action done here;
          only its gate or evidence verifies it.
        </p>
        <Link to={`/w/${slug}/settings/integrations/trackers`} className="button secondary">
          Set up trackers
        </Link>
      </section>
      <p className="muted">
        Every delivery that arrives, and what it changed, is in the <Link to={`/w/${slug}/settings/deliveries`}>delivery log</Link>.
      </p>
    </>
  );
}

/**
 * "Send a test delivery": a signed sample (GitHub's ping, PagerDuty's pagey.ping) through this
 * workspace's own ingest, and what a real sender would have been answered.
 */
function TestDelivery({
  source,
  label,
  ready,
  busy,
  result,
  failure,
  slug,
}: {
  source: "github" | "pagerduty";
  label: string;
  ready: boolean;
  busy: boolean;
  result: TestDeliveryResult | null;
  failure: { formError?: string; fieldErrors?: Record<string, string[]> } | undefined;
  slug: string;
}) {
  const problem = failure?.formError ?? failure?.fieldErrors?.source?.join(" ");
  return (
    <div className="delivery-result">
      <Form method="post" className="actions-row" aria-label={`Test delivery to ${label}'s address`}>
        <input type="hidden" name="intent" value="test-delivery" />
        <input type="hidden" name="source" value={source} />
        <button type="submit" className="button secondary" disabled={busy || !ready} aria-describedby={ready ? undefined : `${source}-test-hint`}>
          Send a test delivery
        </button>
        {ready ? null : (
          <span className="muted small-text" id={`${source}-test-hint`}>
            Set up the {source === "github" ? "webhook secret" : "signing secret"} first.
          </span>
        )}
      </Form>
      <div aria-live="polite">
        {result ? (
          <div className={result.accepted ? "notice" : "form-error"}>
            <strong>
              {result.accepted ? "Delivered" : "Refused"}: HTTP {result.status}.
            </strong>{" "}
            {result.message}{" "}
            <Link to={`/w/${slug}/settings/deliveries`}>See it in the delivery log</Link>
          </div>
        ) : problem ? (
          <div className="form-error">{problem}</div>
        ) : null}
      </div>
    </div>
  );
}

export const ErrorBoundary = WorkspaceRouteError;
