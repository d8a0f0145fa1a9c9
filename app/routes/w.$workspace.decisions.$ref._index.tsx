import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { abilities, authorize, memberActor } from "~/http/authorize.server";
import { can } from "~/domain/policy/rules";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Field, FieldError, FormError, Notice, SelectField, useFormResult, type FormState } from "~/components/form";
import { PageHead } from "~/components/page-head";
import { DecidersField } from "~/components/deciders-field";
import { listMembers } from "~/domain/workspaces/index.server";
import { WorkspaceRouteError } from "~/components/route-error";
import {
  DECISION_STATUS_LABELS,
  DECISION_STATUSES,
  decisionReference,
  LINK_KIND_ORDER,
  LINK_KINDS,
  linkTargetPath,
  parseDecisionReference,
  statusWordFor,
} from "~/domain/decisions/rules";
import { addDecisionLink, findDecision, linkSuggestions, removeDecisionLink, updateDecisionDetails } from "~/domain/decisions/index.server";
import { renderDocumentHtml } from "~/domain/documents/index.server";
import { DecisionPageForm } from "~/domain/decisions/forms";
import { markMentionsSeen } from "~/domain/notifications/index.server";
import { database } from "~/http/db.server";
import { formFailure, invalid, parseForm } from "~/http/forms.server";
import { notFound } from "~/http/params.server";
import { requireMember } from "~/http/session.server";
import { LIMITS } from "~/domain/shared/limits";
import { Day, When } from "~/components/when";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.record.ref} ${data.record.title} · Hindsight` : "Decision · Hindsight" }];

function decisionKey(param: string | undefined) {
  const key = parseDecisionReference(param ?? "");
  if (!key) throw notFound("No such decision record.");
  return key;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireMember(request, params.workspace);
  const { workspace } = access;
  const key = decisionKey(params.ref);
  const canonical = decisionReference(key.kind, key.number);
  if (params.ref !== canonical) throw redirect(`/w/${workspace.slug}/decisions/${canonical}`);
  const db = await database();
  const found = await findDecision(db, workspace.id, key);
  if (!found) throw notFound("No such decision record.");
  // Opening the page is reading it: the viewer's mentions in it leave their inbox.
  await markMentionsSeen(db, { store: "decision", id: found.id, workspaceId: workspace.id }, access.user.id);
  const canEdit = can(memberActor(access), "decision.edit");
  const { body, body_text: _text, front_matter: _frontMatter, ...record } = found;
  return {
    slug: workspace.slug,
    abilities: abilities(access),
    record,
    // Rendered here from the stored JSON: the read page ships no editor code.
    html: renderDocumentHtml(body),
    suggestions: canEdit ? await linkSuggestions(db, workspace.id) : [],
    // Deciders are chosen from the members, or typed for people outside the workspace.
    members: canEdit ? (await listMembers(db, workspace.id)).map((m) => ({ id: m.id, display_name: m.display_name })) : [],
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const access = await requireMember(request, params.workspace);
  const { workspace, user } = access;
  const key = decisionKey(params.ref);
  const formData = await request.formData();
  const parsed = parseForm(DecisionPageForm, formData);
  if (!parsed.ok) return invalid(parsed);
  const db = await database();
  const input = parsed.data;
  authorize(access, input.intent === "details" ? "decision.edit" : "decision.link");
  if (input.intent === "details") {
    const result = await updateDecisionDetails(db, user, workspace.id, key, input);
    if (result.ok) return data({ ok: true as const, done: "Details saved." });
    if (result.kind === "not-found") throw notFound("No such decision record.");
    if (result.kind === "invalid") return formFailure(formData, { fieldErrors: result.fieldErrors }, 409);
    // Not echoing what was typed: the form reloads with the details that won, as the message says.
    const conflict: FormState & { ok: false } = {
      ok: false,
      fieldErrors: {},
      formError: "Someone changed these details while you were editing them. The form now shows their version; make your change again.",
      values: { intent: "details" },
    };
    return data(conflict, { status: 409 });
  }
  const result =
    input.intent === "link"
      ? await addDecisionLink(db, user, workspace.id, key, input.kind, input.target)
      : await removeDecisionLink(db, user, workspace.id, key, input.linkId);
  if (result.ok) return data({ ok: true as const, done: input.intent === "link" ? "Link added." : "Link removed." });
  if (result.kind === "not-found") throw notFound(input.intent === "unlink" ? "That link is not on this record." : "No such decision record.");
  return formFailure(formData, { fieldErrors: { target: [result.message] } }, 409);
}

export default function DecisionPage() {
  const { slug, abilities, record, html, suggestions, members } = useLoaderData<typeof loader>();
  const canEdit = abilities["decision.edit"] === true;
  const { busy, success, failure } = useFormResult<typeof action>();
  const base = `/w/${slug}/decisions/${record.ref}`;
  const failedIntent = failure?.values?.intent;
  const grouped = LINK_KIND_ORDER.map((kind) => ({ kind, links: record.links.filter((l) => l.kind === kind) })).filter((g) => g.links.length > 0);
  return (
    <>
      <PageHead
        title={record.title}
        description={
          <>
            <strong>{record.ref}</strong> · <span className={`status-pill decision-${record.status}`}>{DECISION_STATUS_LABELS[record.status]}</span>
            {statusWordFor(record.status, record.status_word) ? <span className="muted"> (the file says “{record.status_word}”)</span> : null}
            {record.decided_on ? (
              <>
                {" "}
                · decided <Day value={record.decided_on} />
              </>
            ) : null}
            {record.deciders.length ? <> · by {record.deciders.join(", ")}</> : null} · version {record.version}, saved by {record.updated_by_name}{" "}
            <When at={record.updated_at} />
          </>
        }
        actions={
          <div className="actions-row">
            {canEdit ? (
              <a className="button" href={`${base}/edit`}>
                Edit
              </a>
            ) : null}
            <Link className="button secondary" to={`${base}/history`}>
              History
            </Link>
            <a className="button secondary" href={`${base}/export.md`} download>
              Export Markdown
            </a>
            {canEdit && record.status !== "superseded" ? (
              <Link className="button secondary" to={`/w/${slug}/decisions/new?kind=${record.kind}&supersedes=${record.ref}`}>
                Supersede with a new record
              </Link>
            ) : null}
          </div>
        }
      />
      <Notice>{success?.done}</Notice>
      {failedIntent !== "link" ? <FormError state={failure} /> : null}
      {record.tags.length ? (
        <p className="tag-row" aria-label="Tags">
          {record.tags.map((t) => (
            <Link key={t} className="badge" to={`/w/${slug}/decisions?tag=${encodeURIComponent(t)}`}>
              {t}
            </Link>
          ))}
        </p>
      ) : null}
      {record.chain.length > 1 ? (
        <nav className="card decision-chain" aria-labelledby="chain-title">
          <h2 id="chain-title">Supersede chain</h2>
          <p className="muted">Oldest first: each record is superseded by the one after it.</p>
          <ol>
            {record.chain.map((c) => (
              <li key={c.id} aria-current={c.current ? "page" : undefined}>
                {c.current ? (
                  <span>
                    {c.ref} {c.title}
                  </span>
                ) : (
                  <Link to={`/w/${slug}/decisions/${c.ref}`}>
                    {c.ref} {c.title}
                  </Link>
                )}{" "}
                <span className={`status-pill small decision-${c.status}`}>{DECISION_STATUS_LABELS[c.status]}</span>
              </li>
            ))}
          </ol>
        </nav>
      ) : null}
      <div className="layout-side">
        <article className="card prose" aria-label="Decision record" dangerouslySetInnerHTML={{ __html: html }} />
        <aside>
          <section className="card" aria-labelledby="links-title">
            <h2 id="links-title">Links</h2>
            {grouped.length === 0 ? <p className="muted">No links yet.</p> : null}
            {grouped.map((group) => (
              <div key={group.kind} className="link-group">
                <h3>{LINK_KINDS[group.kind].label}</h3>
                <ul className="list-plain">
                  {group.links.map((link) => {
                    const to = linkTargetPath(slug, link);
                    const label = link.title ? `${link.ref} ${link.title}` : link.ref;
                    return (
                      <li key={link.id}>
                        {to ? (
                          <Link to={to}>{label}</Link>
                        ) : link.url ? (
                          <a href={link.url} rel="noopener noreferrer">
                            {label}
                          </a>
                        ) : (
                          <span>{label}</span>
                        )}
                        {link.status ? <span className="muted"> · {link.status.replace("_", " ")}</span> : null}
                        {canEdit ? (
                          <Form method="post" className="inline">
                            <input type="hidden" name="intent" value="unlink" />
                            <input type="hidden" name="linkId" value={link.id} />
                            <button type="submit" className="link-button small-text" disabled={busy} aria-label={`Remove the link to ${link.ref}`}>
                              Remove
                            </button>
                          </Form>
                        ) : null}
                      </li>
                    );
                  })}
                </ul>
              </div>
            ))}
            {canEdit ? <AddLinkForm key={record.id} state={failedIntent === "link" ? failure : undefined} suggestions={suggestions} busy={busy} /> : null}
          </section>
          {canEdit ? (
            <section className="card" aria-labelledby="details-title">
              <h2 id="details-title">Details</h2>
              {/* Keyed by record and version: the fields are uncontrolled, and moving along the chain or
                  saving must show that record's current details, not the ones typed before. */}
              <Form method="post" className="form" key={`details-${record.id}-${record.meta_version}`}>
                <input type="hidden" name="intent" value="details" />
                <input type="hidden" name="metaVersion" value={record.meta_version} />
                <SelectField
                  name="status"
                  label="Status"
                  options={DECISION_STATUSES.map((s) => ({ value: s, label: DECISION_STATUS_LABELS[s] }))}
                  defaultValue={record.status}
                  state={failedIntent === "details" ? failure : undefined}
                />
                <Field name="decidedOn" label="Decided on" type="date" defaultValue={record.decided_on ?? ""} state={failedIntent === "details" ? failure : undefined} />
                <DecidersField members={members} selected={record.deciders} state={failedIntent === "details" ? failure : undefined} />
                <Field name="tags" label="Tags" hint="Separated by commas." defaultValue={record.tags.join(", ")} state={failedIntent === "details" ? failure : undefined} />
                <div>
                  <button type="submit" className="button secondary" disabled={busy}>
                    Save details
                  </button>
                </div>
              </Form>
            </section>
          ) : null}
        </aside>
      </div>
    </>
  );
}

function AddLinkForm({ state, suggestions, busy }: { state?: FormState; suggestions: { value: string; label: string }[]; busy: boolean }) {
  const errors = state?.fieldErrors?.target;
  return (
    <Form method="post" className="form auth-alt">
      <input type="hidden" name="intent" value="link" />
      <h3>Add a link</h3>
      <SelectField
        name="kind"
        label="Kind of link"
        options={LINK_KIND_ORDER.map((k) => ({ value: k, label: LINK_KINDS[k].label }))}
        defaultValue="informed_by"
        state={state}
      />
      <div className="field">
        <label htmlFor="link-target">Links to</label>
        <p className="hint" id="link-target-hint">
          ADR-3, RFC-1, INC-12, ACT-3, GATE:&lt;id&gt;, or a GitHub pull request address.
        </p>
        <input
          id="link-target"
          name="target"
          type="text"
          list="link-targets"
          maxLength={LIMITS.linkTarget}
          defaultValue={typeof state?.values?.target === "string" ? state.values.target : undefined}
          aria-invalid={errors?.length ? true : undefined}
          aria-describedby={errors?.length ? "link-target-hint link-target-error" : "link-target-hint"}
        />
        <datalist id="link-targets">
          {suggestions.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </datalist>
        <FieldError id="link-target-error" errors={errors} />
      </div>
      <div>
        <button type="submit" className="button secondary" disabled={busy}>
          Add link
        </button>
      </div>
    </Form>
  );
}

export const ErrorBoundary = WorkspaceRouteError;
