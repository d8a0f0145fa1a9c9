import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { abilities, memberActor } from "~/http/authorize.server";
import { can } from "~/domain/policy/rules";
import { formProblem } from "~/http/outcomes.server";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { Fact, FactsCard, SeenEnforced } from "~/components/facts";
import { typedValue, type FormState } from "~/components/form";
import { DetailsForm, Evidence, StatusForms } from "~/components/guardrail-action";
import { PageHead } from "~/components/page-head";
import { GateStatePill } from "~/components/gate-evidence";
import { WorkspaceRouteError } from "~/components/route-error";
import { TrackerPanel } from "~/components/tracker-panel";
import { listConnections, trackerLinks } from "~/domain/trackers/index.server";
import { linkedRecords } from "~/domain/decisions/index.server";
import { changeActionStatus, findAction, gateChoices, gateSighting, updateAction } from "~/domain/guardrails/index.server";
import { ACTION_KINDS, ACTION_STATUSES, actionReference, FACTOR_CATEGORIES, GATE_STATUSES, isOverdue, todayUtc } from "~/domain/guardrails/rules";
import { incidentReference } from "~/domain/incidents/rules";
import { listMembers } from "~/domain/workspaces/index.server";
import { EditActionDetailsForm, StatusChangeForm } from "~/domain/guardrails/forms";
import { database } from "~/http/db.server";
import { formFailure, invalid, parseForm, submittedValues } from "~/http/forms.server";
import { notFound, requireNumberParam } from "~/http/params.server";
import { requireAbility } from "~/http/authorize.server";
import { requireMember } from "~/http/session.server";
import { Day } from "~/components/when";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${actionReference(data.action.number)} ${data.action.title} · Hindsight` : "Guardrail action · Hindsight" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireMember(request, params.workspace);
  const { workspace } = access;
  const number = requireNumberParam(params.number);
  const db = await database();
  const action = await findAction(db, workspace.id, number);
  if (!action) throw notFound("Action not found");
  const canEdit = can(memberActor(access), "action.edit");
  const [sighting, decisions, members, gates, links, connections] = await Promise.all([
    action.gate_id ? gateSighting(db, workspace.id, action.gate_id) : null,
    linkedRecords(db, workspace.id, "action", [action.id]),
    canEdit ? listMembers(db, workspace.id) : [],
    canEdit ? gateChoices(db, workspace.id) : [],
    trackerLinks(db, workspace.id, [action.id]),
    can(memberActor(access), "action.track") ? listConnections(db, workspace.id) : [],
  ]);
  return {
    slug: workspace.slug,
    abilities: abilities(access),
    action,
    overdue: isOverdue(action.status, action.due_on, todayUtc()),
    gateLastSeenUrl: sighting?.last_seen_url ?? null,
    decisions: decisions.get(action.id) ?? [],
    members: members.map((m) => ({ id: m.id, name: m.display_name })),
    gates: gates.map((g) => ({ id: g.id, name: g.name })),
    tracker: { link: links[0] ?? null, connections: connections.map((c) => ({ id: c.id, name: c.name, vendor: c.vendor })) },
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { workspace, user } = await requireAbility(request, params.workspace, "action.edit");
  const number = requireNumberParam(params.number);
  const formData = await request.formData();
  const intent = formData.get("intent");
  const db = await database();
  let result;
  if (intent === "status") {
    const parsed = parseForm(StatusChangeForm, formData);
    if (!parsed.ok) return invalid(parsed);
    const { to, expectedVersion, reason, evidenceUrl, evidenceNote } = parsed.data;
    result = await changeActionStatus(db, user, workspace.id, number, { to, expectedVersion, reason, evidenceUrl, evidenceNote });
  } else if (intent === "details") {
    const parsed = parseForm(EditActionDetailsForm, formData);
    if (!parsed.ok) return invalid(parsed);
    const { expectedVersion, ...input } = parsed.data;
    result = await updateAction(db, user, workspace.id, number, expectedVersion, input);
  } else {
    return formFailure(formData, { formError: "Unknown action." });
  }
  if (result.ok) return redirect(`/w/${workspace.slug}/guardrails/actions/${number}`);
  if (result.kind === "conflict") {
    // A stale version, or a move the stored status doesn't allow: nothing was saved.
    return data({ ok: false as const, fieldErrors: {}, values: submittedValues(formData), conflict: result.message ?? "This action changed meanwhile." }, { status: 409 });
  }
  return formProblem(formData, result);
}

export { revalidateAfterConflict as shouldRevalidate } from "~/components/revalidate";

export default function ActionPage() {
  const { slug, abilities, action: a, overdue, gateLastSeenUrl, decisions, members, gates, tracker } = useLoaderData<typeof loader>();
  const canEdit = abilities["action.edit"] === true;
  const result = useActionData<typeof action>();
  const conflict = result && "conflict" in result ? result.conflict : null;
  const failure = result && !conflict ? (result as FormState) : undefined;
  const failedIntent = typedValue(failure, "intent");
  const statusFailure = failedIntent === "status" ? failure : undefined;
  const detailsFailure = failedIntent === "details" ? failure : undefined;
  const reference = actionReference(a.number);
  const postmortemUrl = `/w/${slug}/incidents/${a.incident_number}/postmortem`;
  return (
    <>
      <PageHead title={`${reference} · ${a.title}`} description={ACTION_KINDS[a.kind]} />
      <nav aria-label="Chain" className="chain">
        <ol>
          <li>
            <Link to={`/w/${slug}/incidents/${a.incident_number}`}>
              {incidentReference(a.incident_number)} {a.incident_title}
            </Link>
          </li>
          <li>
            <Link to={postmortemUrl}>Postmortem</Link>
          </li>
          <li>
            <Link to={postmortemUrl} title={a.factor_text}>
              Factor: {FACTOR_CATEGORIES[a.factor_category]}
            </Link>
          </li>
          <li aria-current="page">{reference}</li>
          <li>{a.gate_id ? <Link to={`/w/${slug}/gates/${a.gate_id}`}>Gate: {a.gate_name}</Link> : <span className="muted">No gate yet</span>}</li>
        </ol>
      </nav>
      {conflict ? (
        <section className="card conflict" role="alert" aria-labelledby="conflict-title">
          <h2 id="conflict-title">Nothing was saved: this action changed while you were looking at it</h2>
          <p>{conflict}</p>
          <p className="muted">The page now shows what is saved. Your edits to the details are still in their form below.</p>
        </section>
      ) : null}
      <div className="layout-side">
        <div>
          {a.drift_reason ? (
            <p className="drift-reason" role="note" aria-label="Why this action is back in progress">
              <strong>Back in progress:</strong> {a.drift_reason}
            </p>
          ) : null}
          <FactsCard
            title="Details"
            showTitle
            before={
              <blockquote className="factor-quote">
                <span className="muted">Contributing factor · {FACTOR_CATEGORIES[a.factor_category]}</span>
                <p className="pre-line">{a.factor_text}</p>
              </blockquote>
            }
          >
            <Fact label="Owner">{a.owner_name ?? <span className="muted">No owner yet</span>}</Fact>
            <Fact label="Due">
              <Day value={a.due_on} empty={<span className="muted">No due date</span>} /> {overdue ? <span className="badge overdue">Overdue</span> : null}
            </Fact>
            <Fact label="Kind">{ACTION_KINDS[a.kind]}</Fact>
            <Fact label="Gate">
              {a.gate_id ? (
                <>
                  <Link to={`/w/${slug}/gates/${a.gate_id}`}>{a.gate_name}</Link>{" "}
                  {a.gate_status ? <span className={`status-pill small gate-${a.gate_status}`}>{GATE_STATUSES[a.gate_status]}</span> : null}{" "}
                  {a.gate_state && a.gate_status !== "retired" ? <GateStatePill state={a.gate_state} /> : null}
                </>
              ) : (
                <span className="muted">None yet</span>
              )}
            </Fact>
            <Fact label="Gate last seen enforced">
              <SeenEnforced at={a.gate_last_seen_at} url={gateLastSeenUrl} never={a.gate_id ? "Not seen yet" : "—"} />
            </Fact>
            <Fact label="Implements decision">
              {decisions.length ? (
                <ul className="list-plain">
                  {decisions.map((d) => (
                    <li key={d.ref}>
                      <Link to={`/w/${slug}/decisions/${d.ref}`}>
                        <span className="muted">{d.ref}</span> {d.title}
                      </Link>
                    </li>
                  ))}
                </ul>
              ) : (
                <span className="muted">No decision record links this action</span>
              )}
            </Fact>
            <Fact label="Implementing pull request">
              {a.pr_url ? (
                <a href={a.pr_url} rel="noopener noreferrer">
                  {a.pr_repository}#{a.pr_number}
                </a>
              ) : (
                <span className="muted">None linked</span>
              )}
            </Fact>
          </FactsCard>
          <Evidence action={a} />
          <TrackerPanel slug={slug} number={a.number} reference={reference} link={tracker.link} connections={tracker.connections} canTrack={Boolean(abilities["action.track"])} />
        </div>
        <aside className="card" aria-labelledby="status-title">
          <h2 id="status-title">Status</h2>
          <p className="actions-row">
            <span className={`status-pill action-${a.status}`} data-testid="action-status">
              {ACTION_STATUSES[a.status]}
            </span>
            {overdue ? <span className="badge overdue">Overdue</span> : null}
          </p>
          {a.status === "wont_do" && a.wont_do_reason ? <p className="pre-line">Won&rsquo;t do: {a.wont_do_reason}</p> : null}
          {canEdit ? <StatusForms status={a.status} version={a.version} failure={statusFailure} /> : null}
        </aside>
      </div>
      {canEdit ? (
        <section className="card" aria-labelledby="edit-title">
          <details className="edit guardrail-edit" open={Boolean(detailsFailure) || (conflict !== null && typedValue(result, "intent") === "details")}>
            <summary id="edit-title">Edit details</summary>
            <DetailsForm action={a} members={members} gates={gates} state={detailsFailure ?? (conflict ? (result as FormState) : undefined)} />
          </details>
        </section>
      ) : null}
    </>
  );
}

export const ErrorBoundary = WorkspaceRouteError;
