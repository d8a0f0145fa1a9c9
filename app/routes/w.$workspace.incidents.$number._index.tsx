import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { abilities, authorize } from "~/http/authorize.server";
import { formProblem } from "~/http/outcomes.server";
import { data } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { Fact, FactsCard } from "~/components/facts";
import { IncidentPullRequests } from "~/components/incident-pull-requests";
import { IncidentTimeline } from "~/components/incident-timeline";
import { PageHead } from "~/components/page-head";
import { PostmortemStart } from "~/components/postmortem-start";
import { WorkspaceRouteError } from "~/components/route-error";
import { formatDuration, incidentReference, SEVERITY_LABELS } from "~/domain/incidents/rules";
import { linkedRecords } from "~/domain/decisions/index.server";
import { factorsOfPostmortem, gateBypasses, incidentPullRequests, linkPullRequestToIncident, unlinkPullRequestFromIncident } from "~/domain/guardrails/index.server";
import { ACTION_STATUSES, actionReference, FACTOR_CATEGORIES } from "~/domain/guardrails/rules";
import { addTimelineEvent, changeTimelineEvent, findIncident } from "~/domain/incidents/index.server";
import { listPostmortemTemplates, postmortemSummary } from "~/domain/postmortems/index.server";
import { POSTMORTEM_STATUS_LABELS } from "~/domain/postmortems/rules";
import { IncidentPageForm } from "~/domain/incidents/forms";
import { database } from "~/http/db.server";
import { invalid, parseForm } from "~/http/forms.server";
import { notFound, requireNumberParam } from "~/http/params.server";
import { requireMember } from "~/http/session.server";
import { When } from "~/components/when";

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
    linkedRecords(db, workspace.id, "incident", [incident.id]),
  ]);
  const bypasses = await gateBypasses(db, workspace.id, { pullRequestIds: pullRequests.map((p) => p.id) });
  return {
    pullRequests: pullRequests.map((p) => ({ ...p, bypassed: bypasses.filter((b) => b.pull_request_id === p.id).map((b) => ({ gateId: b.gate_id, gate: b.gate_name, check: b.check_name })) })),
    factors,
    decisions: decisions.get(incident.id) ?? [],
    slug: workspace.slug,
    abilities: abilities(access),
    incident,
    postmortem,
    templates: postmortem ? [] : listPostmortemTemplates(),
    now: new Date().toISOString(),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const access = await requireMember(request, params.workspace);
  const { workspace, user } = access;
  const number = requireNumberParam(params.number);
  const formData = await request.formData();
  const parsed = parseForm(IncidentPageForm, formData);
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
  return data({ ok: true as const, intent: input.intent, addedAt: input.intent === "add-event" ? input.occurredAt.toISOString() : null });
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
      <FactsCard
        after={
          incident.impact ? (
            <>
              <h3 className="auth-alt">Impact</h3>
              <p className="pre-line">{incident.impact}</p>
            </>
          ) : null
        }
      >
        <Fact label="Severity" className={`sev sev-${incident.severity}`}>
          {SEVERITY_LABELS[incident.severity]}
        </Fact>
        <Fact label="Tier">
          <span className={`badge tier-${incident.tier}`}>{incident.tier}</span>
        </Fact>
        <Fact label="Started"><When at={incident.started_at} /></Fact>
        <Fact label="Time to detect">{formatDuration(incident.started_at, incident.detected_at) ?? "not detected yet"}</Fact>
        <Fact label="Time to mitigate">{formatDuration(incident.started_at, incident.mitigated_at) ?? "not mitigated yet"}</Fact>
        <Fact label="Resolved"><When at={incident.resolved_at} /></Fact>
        <Fact label="Areas">{incident.areas.map((a) => a.name).join(", ") || "none named"}</Fact>
      </FactsCard>

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

      <IncidentPullRequests slug={slug} pullRequests={pullRequests} canEdit={canEdit} failure={failedIntent === "link-pr" ? failure : undefined} />

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

      <IncidentTimeline
        timeline={incident.timeline}
        canEdit={canEdit}
        failure={failure}
        added={result?.ok === true && "addedAt" in result ? result.addedAt : null}
        now={now}
      />
    </>
  );
}

export const ErrorBoundary = WorkspaceRouteError;
