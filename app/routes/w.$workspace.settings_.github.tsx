import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { Field, FormError, TextAreaField, Notice, useFormResult } from "~/components/form";
import { PageHead } from "~/components/page-head";
import { WorkspaceRouteError } from "~/components/route-error";
import { SettingsNav } from "~/components/settings-nav";
import { githubSettings, saveGithubSettings, setGithubToken } from "~/domain/integrations/index.server";
import { database } from "~/http/db.server";
import { formFailure, invalid, parseForm } from "~/http/forms.server";
import { requireAbility } from "~/http/authorize.server";
import { When } from "~/components/when";

export const meta: MetaFunction = () => [{ title: "GitHub · Settings · Hindsight" }];

/** One entry per line; blank lines dropped, duplicates folded. */
const lines = (max: number, what: string) =>
  z
    .string()
    .max(4000)
    .transform((text) => [...new Set(text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean))])
    .pipe(z.array(z.string().max(60, `Each ${what} is at most 60 characters.`)).max(max, `At most ${max} ${what}s.`));

const GithubAction = z.discriminatedUnion(
  "intent",
  [
    z.object({
      intent: z.literal("save-settings"),
      tierLabelPatterns: lines(20, "pattern"),
      assistTools: lines(30, "tool"),
      staleAfterDays: z.coerce.number({ error: "Give a number of days." }).int("Whole days only.").min(1, "At least 1 day.").max(365, "At most 365 days."),
    }),
    z.object({
      intent: z.literal("set-token"),
      token: z.string().trim().min(20, "Paste the whole token (GitHub tokens are at least 20 characters).").max(255, "That is longer than a GitHub token."),
    }),
    z.object({ intent: z.literal("remove-token") }),
  ],
  { error: "Unknown action." },
);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace } = await requireAbility(request, params.workspace, "integration.manage");
  return { slug: workspace.slug, settings: await githubSettings(await database(), workspace.id) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { workspace, user } = await requireAbility(request, params.workspace, "integration.manage");
  const formData = await request.formData();
  const parsed = parseForm(GithubAction, formData);
  if (!parsed.ok) return invalid(parsed);
  const db = await database();
  const input = parsed.data;
  switch (input.intent) {
    case "save-settings": {
      const saved = await saveGithubSettings(db, user, workspace.id, input);
      if (!saved.ok) return formFailure(formData, { fieldErrors: saved.kind === "invalid" ? saved.fieldErrors : {}, formError: saved.message });
      return data({ ok: true as const, notice: "Saved. New pull request events and the stale-gate sweep use these settings." });
    }
    case "set-token":
      await setGithubToken(db, user, workspace.id, input.token);
      return data({ ok: true as const, notice: "Token saved, sealed at rest. Check now on a gate uses it." });
    case "remove-token":
      await setGithubToken(db, user, workspace.id, null);
      return data({ ok: true as const, notice: "Token removed." });
  }
}

export default function GithubSettingsPage() {
  const { slug, settings } = useLoaderData<typeof loader>();
  const { busy, success, failure } = useFormResult<typeof action>();
  return (
    <>
      <PageHead title="GitHub" description="How Hindsight reads pull requests, when a required gate counts as stale, and the token Check now uses." />
      <SettingsNav slug={slug} />
      <Notice>{success?.notice}</Notice>
      <FormError state={failure} />

      <section className="card" aria-labelledby="signals-title">
        <h2 id="signals-title">Pull requests and gates</h2>
        <Form method="post" noValidate>
          <input type="hidden" name="intent" value="save-settings" />
          <TextAreaField
            name="tierLabelPatterns"
            label="Tier label patterns"
            hint="One per line; {tier} stands for T0–T3. A linked pull request labelled this way gets that tier, unless a person chose one."
            rows={3}
            defaultValue={settings.tierLabelPatterns.join("\n")}
            state={failure}
          />
          <TextAreaField
            name="assistTools"
            label="Model-assistance tools"
            hint="One per line. A label, or an Assisted-by: / Co-authored-by: trailer in the pull request's description, naming one marks it assisted by a model, unless a person chose otherwise."
            rows={4}
            defaultValue={settings.assistTools.join("\n")}
            state={failure}
          />
          <Field
            name="staleAfterDays"
            label="Days until a required gate is stale"
            hint="A required check not seen passing on the default branch for this long makes its gate stale, and sends the actions it verified back to in progress."
            type="number"
            min={1}
            max={365}
            defaultValue={String(settings.staleAfterDays)}
            state={failure}
          />
          <button type="submit" className="button" disabled={busy}>
            Save
          </button>
        </Form>
      </section>

      <section className="card" aria-labelledby="token-title">
        <h2 id="token-title">Token for Check now</h2>
        <p className="muted">
          Check now asks GitHub which rules apply to a gate&apos;s default branch. A fine-grained token with read access to the repositories&apos;
          administration and metadata is enough. It is stored encrypted and never shown again.
        </p>
        {settings.tokenHint ? (
          <p>
            A token ending in <code>…{settings.tokenHint}</code> is stored{settings.updatedAt ? (
              <>
                {" "}
                (settings changed <When at={settings.updatedAt} />)
              </>
            ) : (
              ""
            )}.
          </p>
        ) : (
          <p className="muted">No token stored.</p>
        )}
        <Form method="post" className="inline-form" noValidate>
          <input type="hidden" name="intent" value="set-token" />
          <Field name="token" type="password" autoComplete="off" label="GitHub token" state={failure} />
          <button type="submit" className="button secondary" disabled={busy}>
            Save token
          </button>
        </Form>
        {settings.tokenHint ? (
          <Form method="post" className="actions-row auth-alt">
            <input type="hidden" name="intent" value="remove-token" />
            <button type="submit" className="button danger small" disabled={busy}>
              Remove token
            </button>
          </Form>
        ) : null}
      </section>
    </>
  );
}

export const ErrorBoundary = WorkspaceRouteError;
