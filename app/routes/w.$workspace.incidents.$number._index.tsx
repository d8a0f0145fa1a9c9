import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { abilities, authorize } from "~/http/authorize.server";
import { formProblem } from "~/http/outcomes.server";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { Field, FormError, SelectField, type FormState } from "~/components/form";
import { PageHead } from "~/components/page-head";
import { PostmortemStart } from "~/components/postmortem-start";
import { WorkspaceRouteError } from "~/components/route-error";
import { formatDuration, incidentReference, SEVERITY_LABELS, TIMELINE_KINDS } from "~/domain/incidents/rules";
import { decisionsInformedByIncident } from "~/domain/decisions/index.server";
import { factorsOfPostmortem, gateBypasses, incidentPullRequests, linkPullRequestToIncident, unlinkPullRequestFromIncident } from "~/domain/guardrails/index.server";
import { ACTION_STATUSES, actionReference, ASSISTED, FACTOR_CATEGORIES, PR_ROLES } from "~/domain/guardrails/rules";
import { addTimelineEvent, changeTimelineEvent, findIncident } from "~/domain/incidents/index.server";
import { listPostmortemTemplates, postmortemSummary } from "~/domain/postmortems/index.server";
import { POSTMORTEM_STATUS_LABELS } from "~/domain/postmortems/rules";
import { formatUtc, toDateTimeLocal } from "~/forms/fields";
import { TimelineEventForm } from "~/forms/incident-form";
import { database } from "~/http/db.server";
import { invalid, parseForm } from "~/http/forms.server";
import { notFound, requireNumberParam } from "~/http/params.server";
import { requireMember } from "~/http/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${incidentReference(data.incident.number)} ${data.incident.title} · Hindsight` : "Incident · Hindsight" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireMember(request, params.workspace);
  const { workspace } = access;
  const number = requireNumberParam(params.number);
  const db = await database();
  const [incident, postmortem] = await Promise.all([findIncident(db, workspace.id, number), postmortemSummary(db, workspace.id, number)]);
  if (!incident) throw notFound("Incident not found");
  const [pullRequests, factors, decisions] = await Promise.all([
    incidentPullRequests(db, workspace.id, incident.id),
    postmortem ? factorsOfPostmortem(db, workspace.id, postmortem.id) : Promise.resolve([]),
    decisionsInformedByIncident(db, workspace.id, incident.id),
  ]);
  const bypasses = await gateBypasses(db, workspace.id, { pullRequestIds: pullRequests.map((p) => p.id) });
  return {
    pullRequests: pullRequests.map((p) => ({ ...p, bypassed: bypasses.filter((b) => b.pull_request_id === p.id).map((b) => ({ gateId: b.gate_id, gate: b.gate_name, check: b.check_name })) })),
    factors,
    decisions,
    slug: workspace.slug,
    abilities: abilities(access),
    incident,
    postmortem,
    templates: postmortem ? [] : listPostmortemTemplates(),
    now: new Date().toISOString(),
  };
}

const TimelineAction = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("link-pr"),
    url: z.string().trim().min(1, "Paste the pull request's URL.").max(500, "That URL is too long."),
    role: z.enum(["trigger", "fix", "related"], { error: "Choose trigger, fix or related." }),
    tier: z.preprocess((v) => (v === "" ? null : v), z.enum(["T0", "T1", "T2", "T3"]).nullable()).default(null),
    assisted: z.enum(["yes", "no", "unknown"], { error: "Choose yes, no or unknown." }).default("unknown"),
  }),
  z.object({ intent: z.literal("unlink-pr"), pullRequestId: z.uuid() }),
  TimelineEventForm.extend({ intent: z.literal("add-event") }),
  TimelineEventForm.extend({ intent: z.literal("edit-event"), eventId: z.uuid() }),
  z.object({ intent: z.literal("remove-event"), eventId: z.uuid() }),
], { error: "Unknown action." });

export async function action({ request, params }: ActionFunctionArgs) {
  const access = await requireMember(request, params.workspace);
  const { workspace, user } = access;
  const number = requireNumberParam(params.number);
  const formData = await request.formData();
  const parsed = parseForm(TimelineAction, formData);
  if (!parsed.ok) return invalid(parsed);
  const db = await database();
  const input = parsed.data;
  authorize(access, input.intent === "link-pr" || input.intent === "unlink-pr" ? "incident.link-pr" : "incident.timeline");
  if (input.intent === "link-pr") {
    const linked = await linkPullRequestToIncident(db, user, workspace.id, number, input);
    if (linked.ok) return data({ ok: true as const, intent: input.intent });
    return formProblem(formData, linked);
  }
  if (input.intent === "unlink-pr") {
    if (!(await unlinkPullRequestFromIncident(db, user, workspace.id, number, input.pullRequestId))) throw notFound();
    return data({ ok: true as const, intent: input.intent });
  }
  const done =
    input.intent === "add-event"
      ? await addTimelineEvent(db, user, workspace.id, number, input)
      : await changeTimelineEvent(db, user, workspace.id, number, input.eventId, input.intent === "edit-event" ? input : null);
  if (!done) throw notFound();
  return data({ ok: true as const, intent: input.intent });
}

export default function IncidentPage() {
  const { slug, abilities, incident, postmortem, templates, now, pullRequests, factors, decisions } = useLoaderData<typeof loader>();
  const canEdit = abilities["incident.edit"] === true;
  const postmortemUrl = `/w/${slug}/incidents/${incident.number}/postmortem`;
  const result = useActionData<typeof action>();
  const failure = result && !result.ok ? result : undefined;
  const failedIntent = failure?.values.intent;
  return (
    <>
      <PageHead
        title={`${incidentReference(incident.number)} · ${incident.title}`}
        description={`Recorded by ${incident.created_by_name} · ${incident.status}`}
        actions={
          canEdit ? (
            <Link className="button secondary" to={`/w/${slug}/incidents/${incident.number}/edit`}>
              Edit incident
            </Link>
          ) : null
        }
      />
      <section className="card" aria-labelledby="facts-title">
        <h2 id="facts-title" className="visually-hidden">
          Facts
        </h2>
        <dl className="facts">
          <div>
            <dt>Severity</dt>
            <dd className={`sev sev-${incident.severity}`}>{SEVERITY_LABELS[incident.severity]}</dd>
          </div>
          <div>
            <dt>Tier</dt>
            <dd>
              <span className={`badge tier-${incident.tier}`}>{incident.tier}</span>
            </dd>
          </div>
          <div>
            <dt>Started</dt>
            <dd>{formatUtc(incident.started_at)}</dd>
          </div>
          <div>
            <dt>Time to detect</dt>
            <dd>{formatDuration(incident.started_at, incident.detected_at) ?? "not detected yet"}</dd>
          </div>
          <div>
            <dt>Time to mitigate</dt>
            <dd>{formatDuration(incident.started_at, incident.mitigated_at) ?? "not mitigated yet"}</dd>
          </div>
          <div>
            <dt>Resolved</dt>
            <dd>{formatUtc(incident.resolved_at)}</dd>
          </div>
          <div>
            <dt>Areas</dt>
            <dd>{incident.areas.map((a) => a.name).join(", ") || "none named"}</dd>
          </div>
        </dl>
        {incident.impact ? (
          <>
            <h3 className="auth-alt">Impact</h3>
            <p className="pre-line">{incident.impact}</p>
          </>
        ) : null}
      </section>

      <section className="card" aria-labelledby="postmortem-title">
        <h2 id="postmortem-title">Postmortem</h2>
        {postmortem ? (
          <p className="actions-row">
            <span className={`status-pill status-${postmortem.status}`}>{POSTMORTEM_STATUS_LABELS[postmortem.status]}</span>
            <a href={postmortemUrl}>{postmortem.title}</a>
            {canEdit && postmortem.status !== "published" ? (
              <a className="button secondary small" href={`${postmortemUrl}/edit`}>
                Continue writing
              </a>
            ) : null}
          </p>
        ) : canEdit ? (
          <>
            <p className="muted">Write it while memories are fresh. Describe conditions and systems, not people.</p>
            <PostmortemStart action={postmortemUrl} templates={templates} />
          </>
        ) : (
          <p className="muted">No postmortem has been started yet.</p>
        )}
      </section>

      <section className="card" aria-labelledby="prs-title">
        <h2 id="prs-title">Pull requests</h2>
        {pullRequests.length === 0 ? (
          <p className="muted">No pull requests linked. Link the change that triggered it and the ones that fixed it.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Pull request</th>
                  <th scope="col">Role</th>
                  <th scope="col">Tier</th>
                  <th scope="col">Assisted by a model</th>
                  <th scope="col">State</th>
                  {canEdit ? <th scope="col"><span className="visually-hidden">Actions</span></th> : null}
                </tr>
              </thead>
              <tbody>
                {pullRequests.map((p) => (
                  <tr key={p.id}>
                    <td>
                      <a href={p.url} rel="noopener noreferrer">
                        {p.repository}#{p.number}
                      </a>
                      {p.title ? <span className="muted"> {p.title}</span> : null}
                      {p.bypassed.map((b) => (
                        <span key={b.gateId}>
                          {" "}
                          <Link to={`/w/${slug}/gates/${b.gateId}`} className="badge overdue" title={`Merged without “${b.check}” passing`}>
                            Bypassed {b.gate}
                          </Link>
                        </span>
                      ))}
                    </td>
                    <td>{PR_ROLES[p.role]}</td>
                    <td>
                      {p.tier ? <span className={`badge tier-${p.tier}`}>{p.tier}</span> : "—"}
                      {p.tier_source === "webhook" ? <span className="muted"> from a label</span> : null}
                    </td>
                    <td>
                      {ASSISTED[p.assisted]}
                      {p.assisted_source === "webhook" ? <span className="muted"> (from the PR)</span> : null}
                    </td>
                    <td>{p.state === "unknown" ? "—" : p.state}</td>
                    {canEdit ? (
                      <td>
                        <Form method="post">
                          <input type="hidden" name="intent" value="unlink-pr" />
                          <input type="hidden" name="pullRequestId" value={p.id} />
                          <button type="submit" className="link-button">
                            Unlink<span className="visually-hidden"> {p.repository}#{p.number}</span>
                          </button>
                        </Form>
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {canEdit ? (
          <Form method="post" className="form auth-alt" noValidate>
            <input type="hidden" name="intent" value="link-pr" />
            <Field
              id="pr-url"
              name="url"
              label="Pull request URL"
              type="url"
              placeholder="https://github.com/owner/repo/pull/123"
              state={failedIntent === "link-pr" ? failure : undefined}
            />
            <div className="grid-3">
              <SelectField id="pr-role" name="role" label="Role" options={Object.entries(PR_ROLES).map(([value, label]) => ({ value, label }))} state={failedIntent === "link-pr" ? failure : undefined} />
              <SelectField
                id="pr-tier"
                name="tier"
                label="Tier of the change"
                options={[{ value: "", label: "Not classified" }, ...["T0", "T1", "T2", "T3"].map((t) => ({ value: t, label: t }))]}
                state={failedIntent === "link-pr" ? failure : undefined}
              />
              <SelectField
                id="pr-assisted"
                name="assisted"
                label="Assisted by a model"
                options={Object.entries(ASSISTED).map(([value, label]) => ({ value, label }))}
                defaultValue="unknown"
                state={failedIntent === "link-pr" ? failure : undefined}
              />
            </div>
            <div>
              <button type="submit" className="button secondary">
                Link pull request
              </button>
            </div>
          </Form>
        ) : null}
      </section>

      {factors.length ? (
        <section className="card" aria-labelledby="chain-title">
          <h2 id="chain-title">Factors and guardrails</h2>
          <ul className="list-plain action-list">
            {factors.map((f) => (
              <li key={f.id}>
                <span className="badge">{FACTOR_CATEGORIES[f.category]}</span> {f.text}
                {f.actions.length ? (
                  <ul className="list-plain chain-actions">
                    {f.actions.map((a) => (
                      <li key={a.number}>
                        → <Link to={`/w/${slug}/guardrails/actions/${a.number}`}>{actionReference(a.number)} {a.title}</Link>{" "}
                        <span className={`status-pill action-${a.status}`}>{ACTION_STATUSES[a.status]}</span>
                        {a.gate_id ? (
                          <>
                            {" "}→ gate <Link to={`/w/${slug}/gates/${a.gate_id}`}>{a.gate_name}</Link>
                          </>
                        ) : null}
                      </li>
                    ))}
                  </ul>
                ) : (
                  <span className="muted"> · {f.no_action_reason ? `no action: ${f.no_action_reason}` : "no guardrail action yet"}</span>
                )}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {decisions.length ? (
        <section className="card" aria-labelledby="decisions-title">
          <h2 id="decisions-title">Decisions informed by this incident</h2>
          <ul className="list-plain action-list">
            {decisions.map((d) => (
              <li key={d.ref}>
                <Link to={`/w/${slug}/decisions/${d.ref}`}>
                  {d.ref} {d.title}
                </Link>{" "}
                <span className="badge">{d.status}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section className="card" aria-labelledby="timeline-title">
        <h2 id="timeline-title">Timeline</h2>
        {incident.timeline.length === 0 ? (
          <p className="muted">No events yet. Add what happened, in order: the trigger, detection, each action, mitigation.</p>
        ) : (
          <ol className="timeline">
            {incident.timeline.map((e) => (
              <li key={e.id}>
                <time dateTime={new Date(e.occurred_at).toISOString()}>{formatUtc(e.occurred_at)}</time>{" "}
                <span className="badge">{e.kind}</span>
                <p className="pre-line">{e.text}</p>
                {canEdit ? (
                  <details className="edit" open={failedIntent === "edit-event" && failure?.values.eventId === e.id}>
                    <summary>Edit event</summary>
                    <TimelineEventFields
                      intent="edit-event"
                      eventId={e.id}
                      state={failedIntent === "edit-event" && failure?.values.eventId === e.id ? failure : undefined}
                      defaults={{ occurredAt: toDateTimeLocal(e.occurred_at), kind: e.kind, text: e.text }}
                    />
                    <Form method="post">
                      <input type="hidden" name="intent" value="remove-event" />
                      <input type="hidden" name="eventId" value={e.id} />
                      <button type="submit" className="button danger small">
                        Remove event
                      </button>
                    </Form>
                  </details>
                ) : null}
              </li>
            ))}
          </ol>
        )}
        {canEdit ? (
          <>
            <h3 className="auth-alt">Add an event</h3>
            <TimelineEventFields
              key={result?.ok ? `added-${incident.timeline.length}` : "add"}
              intent="add-event"
              state={failedIntent === "add-event" ? failure : undefined}
              defaults={{ occurredAt: toDateTimeLocal(now), kind: "action", text: "" }}
            />
          </>
        ) : null}
      </section>
    </>
  );
}

function TimelineEventFields({
  intent,
  eventId,
  state,
  defaults,
}: {
  intent: "add-event" | "edit-event";
  eventId?: string;
  state?: FormState;
  defaults: { occurredAt: string; kind: string; text: string };
}) {
  const busy = useNavigation().state === "submitting";
  const prefix = eventId ? `event-${eventId}` : "new-event";
  return (
    <Form method="post" className="form" noValidate>
      <FormError state={state} />
      <input type="hidden" name="intent" value={intent} />
      {eventId ? <input type="hidden" name="eventId" value={eventId} /> : null}
      <div className="grid-3">
        <Field id={`${prefix}-at`} name="occurredAt" label="When (UTC)" type="datetime-local" defaultValue={defaults.occurredAt} state={state} />
        <SelectField
          id={`${prefix}-kind`}
          name="kind"
          label="Kind"
          options={TIMELINE_KINDS.map((k) => ({ value: k, label: k[0]!.toUpperCase() + k.slice(1) }))}
          defaultValue={defaults.kind}
          state={state}
        />
      </div>
      <Field id={`${prefix}-text`} name="text" label="What happened" defaultValue={defaults.text} state={state} maxLength={2000} />
      <div>
        <button type="submit" className="button secondary" disabled={busy}>
          {intent === "add-event" ? "Add event" : "Save event"}
        </button>
      </div>
    </Form>
  );
}

export const ErrorBoundary = WorkspaceRouteError;
