import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ActionCells } from "~/components/action-row";
import { Fact, FactsCard, SeenEnforced } from "~/components/facts";
import { PageHead } from "~/components/page-head";
import { TierBadges } from "~/components/tier-badges";
import { WorkspaceRouteError } from "~/components/route-error";
import { findGate } from "~/domain/guardrails/index.server";
import { FACTOR_CATEGORIES, GATE_INVOLVEMENTS, GATE_KINDS, GATE_STATUSES, isOverdue, todayUtc } from "~/domain/guardrails/rules";
import { incidentReference } from "~/domain/incidents/rules";
import { roleAllows } from "~/domain/workspaces/rules";
import { database } from "~/http/db.server";
import { notFound, requireUuidParam } from "~/http/params.server";
import { requireMember } from "~/http/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.gate.name} · Gates · Hindsight` : "Gate · Hindsight" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace, role } = await requireMember(request, params.workspace);
  const gateId = requireUuidParam(params.gateId);
  const gate = await findGate(await database(), workspace.id, gateId);
  if (!gate) throw notFound("Gate not found");
  const today = todayUtc();
  return {
    slug: workspace.slug,
    canEdit: roleAllows(role, "editor"),
    gate: { ...gate, actions: gate.actions.map((a) => ({ ...a, overdue: isOverdue(a.status, a.due_on, today) })) },
  };
}

export default function GatePage() {
  const { slug, canEdit, gate } = useLoaderData<typeof loader>();
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
