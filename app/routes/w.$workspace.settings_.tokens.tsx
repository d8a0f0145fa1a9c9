import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { CopyField } from "~/components/copy-field";
import { Field, FormError, SelectField, Notice, useFormResult } from "~/components/form";
import { PageHead } from "~/components/page-head";
import { WorkspaceRouteError } from "~/components/route-error";
import { SettingsNav } from "~/components/settings-nav";
import { createApiToken, listApiTokens, revokeApiToken } from "~/domain/integrations/index.server";
import { API_SCOPES } from "~/domain/integrations/rules";
import { ApiTokenForm } from "~/domain/integrations/forms";
import { database } from "~/http/db.server";
import { formFailure, invalid, parseForm } from "~/http/forms.server";
import { requireAbility } from "~/http/authorize.server";
import { LIMITS } from "~/domain/shared/limits";
import { When } from "~/components/when";

export const meta: MetaFunction = () => [{ title: "API tokens · Settings · Hindsight" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace } = await requireAbility(request, params.workspace, "token.manage");
  const tokens = await listApiTokens(await database(), workspace.id);
  return { slug: workspace.slug, origin: new URL(request.url).origin, tokens };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { workspace, user } = await requireAbility(request, params.workspace, "token.manage");
  const formData = await request.formData();
  const parsed = parseForm(ApiTokenForm, formData);
  if (!parsed.ok) return invalid(parsed);
  const db = await database();
  const input = parsed.data;
  if (input.intent === "create") {
    const { token } = await createApiToken(db, user, workspace.id, input);
    return data({ ok: true as const, notice: `Token “${input.name}” created. Copy it now: it is not shown again.`, token });
  }
  if (!(await revokeApiToken(db, user, workspace.id, input.tokenId))) return formFailure(formData, { formError: "That token is already revoked or gone." }, 404);
  return data({ ok: true as const, notice: "Token revoked: requests with it are refused from now on.", token: null });
}

const scopeOptions = Object.entries(API_SCOPES).map(([value, label]) => ({ value, label }));

export default function ApiTokens() {
  const { slug, origin, tokens } = useLoaderData<typeof loader>();
  const { busy, success, failure } = useFormResult<typeof action>();
  return (
    <>
      <PageHead title="API tokens" description="Tokens for scripts and dashboards that read this workspace through the JSON API, or record incidents in it." />
      <SettingsNav slug={slug} />
      <Notice>{success?.notice}</Notice>
      <FormError state={failure} />

      <section className="card" aria-labelledby="create-title">
        <h2 id="create-title">Create a token</h2>
        <Form method="post" className="inline-form" noValidate>
          <input type="hidden" name="intent" value="create" />
          <Field name="name" label="Token name" state={failure} maxLength={LIMITS.name} />
          <SelectField name="scope" label="Scope" options={scopeOptions} defaultValue="read" state={failure} />
          <button type="submit" className="button" disabled={busy}>
            Create token
          </button>
        </Form>
        {success?.token ? <CopyField id="new-token" label="New API token (copy it now; it is not shown again)" value={success.token} className="auth-alt" /> : null}
        <p className="small-text auth-alt">
          Use it as <code>Authorization: Bearer hs_…</code>, e.g. <code>curl -H &quot;Authorization: Bearer $TOKEN&quot; {origin}/api/v1/{slug}/incidents</code>. The
          endpoints are described in <a href="/api/v1/openapi.json">the OpenAPI document</a>. A token acts as the admin who created it; it stops working when
          revoked or when they leave the workspace.
        </p>
      </section>

      <section className="card" aria-labelledby="tokens-title">
        <h2 id="tokens-title">Tokens</h2>
        {tokens.length === 0 ? (
          <p className="muted">No tokens yet.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Token</th>
                  <th scope="col">Scope</th>
                  <th scope="col">Created</th>
                  <th scope="col">Last used</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {tokens.map((t) => (
                  <tr key={t.id}>
                    <th scope="row">{t.name}</th>
                    <td>
                      <code>{t.prefix}…</code>
                    </td>
                    <td>
                      <span className="badge">{t.scope}</span>
                    </td>
                    <td>
                      <When at={t.created_at} />
                      <br />
                      <span className="muted">by {t.created_by_name}</span>
                    </td>
                    <td>{t.last_used_at ? <When at={t.last_used_at} /> : <span className="muted">never</span>}</td>
                    <td>
                      {t.revoked_at ? (
                        <span className="muted">Revoked <When at={t.revoked_at} /></span>
                      ) : (
                        <Form method="post">
                          <input type="hidden" name="intent" value="revoke" />
                          <input type="hidden" name="tokenId" value={t.id} />
                          <button type="submit" className="button danger small" disabled={busy}>
                            Revoke<span className="visually-hidden"> {t.name}</span>
                          </button>
                        </Form>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

export const ErrorBoundary = WorkspaceRouteError;
