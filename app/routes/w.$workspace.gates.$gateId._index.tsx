import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { abilities, requireAbility } from "~/http/authorize.server";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { ActionCells } from "~/components/action-row";
import { Fact, FactsCard, SeenEnforced } from "~/components/facts";
import { BypassList, GateStatePill, RequirementFacts } from "~/components/gate-evidence";
import { PageHead } from "~/components/page-head";
import { TierBadges } from "~/components/tier-badges";
import { WorkspaceRouteError } from "~/components/route-error";
import { findGate, gateEvidence } from "~/domain/guardrails/index.server";
import { checkGateNow, githubSettings } from "~/domain/integrations/index.server";
import { PROBLEM_STATUS } from "~/domain/shared/outcomes";
import { FACTOR_CATEGORIES, GATE_INVOLVEMENTS, GATE_KINDS, GATE_STATUSES, isOverdue, todayUtc } from "~/domain/guardrails/rules";
import { incidentReference } from "~/domain/incidents/rules";
import { database } from "~/http/db.server";
import { notFound, requireUuidParam } from "~/http/params.server";
import { requireMember } from "~/http/session.server";
import { When } from "~/components/when";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.gate.name} · Gates · Hindsight` : "Gate · Hindsight" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireMember(request, params.workspace);
  const { workspace } = access;
  const gateId = requireUuidParam(params.gateId);
  const db = await database();
  const gate = await findGate(db, workspace.id, gateId);
  if (!gate) throw notFound("Gate not found");
  const [evidence, settings] = await Promise.all([gateEvidence(db, workspace.id, gateId), githubSettings(db, workspace.id)]);
  const today = todayUtc();
  return {
    slug: workspace.slug,
    abilities: abilities(access),
    hasToken: settings.tokenHint !== null,
    evidence: evidence ?? { facts: [], bypasses: [] },
    gate: { ...gate, actions: gate.actions.map((a) => ({ ...a, overdue: isOverdue(a.status, a.due_on, today) })) },
  };
}

/** "Check now": ask GitHub which rules apply to the default branch, and apply the answer. */
export async function action({ request, params }: ActionFunctionArgs) {
  const { workspace, user } = await requireAbility(request, params.workspace, "gate.check");
  const gateId = requireUuidParam(params.gateId);
  const form = await request.formData();
  if (form.get("intent") !== "check-now") return data({ ok: false as const, message: "Unknown action." }, { status: 400 });
  const result = await checkGateNow(await database(), user, workspace.id, gateId);
  if (!result.ok) return data({ ok: false as const, message: result.message ?? "Gate not found." }, { status: PROBLEM_STATUS[result.kind] });
  return data({ ok: true as const, message: result.summary, changes: result.changes });
}

export default function GatePage() {
  const { slug, abilities, hasToken, evidence, gate } = useLoaderData<typeof loader>();
  const canEdit = abilities["gate.edit"] === true;
  const checked = useActionData<typeof action>();
  const checking = useNavigation().state === "submitting";
  return (
    <>
      <PageHead
        title={gate.name}
        description={
          <>
            <Link to={`/w/${slug}/gates`}>Gates</Link> · {GATE_KINDS[gate.kind]}
          </>
        }
        actions={
          canEdit ? (
            <Link className="button secondary" to={`/w/${slug}/gates/${gate.id}/edit`}>
              Edit gate
            </Link>
          ) : null
        }
      />
      <FactsCard after={gate.description ? <p className="pre-line gate-description">{gate.description}</p> : null}>
        <Fact label="Status">
          <span className={`status-pill gate-${gate.status}`}>{GATE_STATUSES[gate.status]}</span>
        </Fact>
        <Fact label="Kind">{GATE_KINDS[gate.kind]}</Fact>
        <Fact label="Repository">{gate.repository ? <code>{gate.repository}</code> : <span className="muted">—</span>}</Fact>
        <Fact label="Check name">{gate.check_name ? <code>{gate.check_name}</code> : <span className="muted">—</span>}</Fact>
        <Fact label="Tiers">
          <TierBadges tiers={gate.tiers} />
        </Fact>
        <Fact label="Last seen enforced">
          <SeenEnforced at={gate.last_seen_at} url={gate.last_seen_url} never="Not seen yet" />
        </Fact>
      </FactsCard>

      <section className="card" aria-labelledby="enforcement-title">
        <h2 id="enforcement-title">Enforcement</h2>
        <p>
          <GateStatePill state={gate.state} /> <span id="gate-state-reason">{gate.state_reason || "No evidence yet."}</span>
        </p>
        {gate.state_delivery_id ? (
          <p className="muted">
            Proved by <code>{gate.state_delivery_id}</code>
            {gate.state_changed_at ? <> · state since <When at={gate.state_changed_at} /></> : null}
          </p>
        ) : null}
        <p className="hint">Enforced means GitHub requires this check to merge into the default branch and it has been seen passing there.</p>
        {canEdit ? (
          <Form method="post" className="inline-form">
            <input type="hidden" name="intent" value="check-now" />
            <button type="submit" className="button secondary" disabled={checking}>
              {checking ? "Asking GitHub…" : "Check now"}
            </button>{" "}
            {hasToken ? null : <span className="muted">Needs a GitHub token in Settings → GitHub.</span>}
          </Form>
        ) : null}
        {checked ? (
          <div className={checked.ok ? "notice" : "form-error"} role={checked.ok ? "status" : "alert"}>
            {checked.message}
          </div>
        ) : null}
        <h3>Requirements reported for {gate.repository ? <code>{gate.repository}</code> : "its repository"}</h3>
        <RequirementFacts facts={evidence.facts} checkName={gate.check_name} />
        {evidence.bypasses.length ? (
          <>
            <h3>Bypasses</h3>
            <BypassList slug={slug} bypasses={evidence.bypasses} />
          </>
        ) : null}
      </section>

      <section className="card" aria-labelledby="factors-title">
        <h2 id="factors-title">Named in contributing factors</h2>
        {gate.factors.length === 0 ? (
          <p className="muted">No postmortem has named this gate yet.</p>
        ) : (
          <ul className="list-plain chain-list">
            {gate.factors.map((f) => (
              <li key={f.id}>
                <p className="chain-line">
                  <Link to={`/w/${slug}/incidents/${f.incident_number}`}>
                    {incidentReference(f.incident_number)} {f.incident_title}
                  </Link>{" "}
                  <span className="badge">{FACTOR_CATEGORIES[f.category]}</span> <span className="muted">The gate {GATE_INVOLVEMENTS[f.involvement]}.</span>
                </p>
                <p className="pre-line">
                  {f.text} <Link to={`/w/${slug}/incidents/${f.incident_number}/postmortem`}>Postmortem</Link>
                </p>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="card" aria-labelledby="actions-title">
        <h2 id="actions-title">Guardrail actions on this gate</h2>
        {gate.actions.length === 0 ? (
          <p className="muted">No action creates or sharpens this gate yet.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <caption className="visually-hidden">Actions that create or sharpen this gate, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Action</th>
                  <th scope="col">Status</th>
                  <th scope="col">Owner</th>
                  <th scope="col">Due</th>
                </tr>
              </thead>
              <tbody>
                {gate.actions.map((a) => (
                  <tr key={a.number}>
                    <ActionCells slug={slug} action={a} />
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
