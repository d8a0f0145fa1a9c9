import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { abilities } from "~/http/authorize.server";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { EmptyState } from "~/components/empty-state";
import { GateStatePill } from "~/components/gate-evidence";
import { GuardrailTabs } from "~/components/guardrail-tabs";
import { PageHead } from "~/components/page-head";
import { TierBadges } from "~/components/tier-badges";
import { WorkspaceRouteError } from "~/components/route-error";
import { GateFilters } from "~/domain/guardrails/forms";
import { listGates } from "~/domain/guardrails/index.server";
import { GATE_KINDS, GATE_STATES, GATE_STATUSES } from "~/domain/guardrails/rules";
import { FilterSelect } from "~/components/filters";
import { TIER_KEYS } from "~/domain/workspaces/rules";
import { database } from "~/http/db.server";
import { withoutEmptyParams } from "~/http/params.server";
import { requireMember } from "~/http/session.server";
import { When } from "~/components/when";

export const meta: MetaFunction = () => [{ title: "Gates · Hindsight" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireMember(request, params.workspace);
  const tidy = withoutEmptyParams(request);
  if (tidy) throw tidy;
  const { workspace } = access;
  const filters = GateFilters.parse(Object.fromEntries(new URL(request.url).searchParams));
  const gates = await listGates(await database(), workspace.id, filters);
  return { slug: workspace.slug, abilities: abilities(access), filtered: Boolean(filters.status || filters.state || filters.tier), gates };
}

export default function Gates() {
  const { slug, abilities, filtered, gates } = useLoaderData<typeof loader>();
  const canEdit = abilities["gate.create"] === true;
  const [params] = useSearchParams();
  const newButton = canEdit ? (
    <Link className="button" to={`/w/${slug}/gates/new`}>
      New gate
    </Link>
  ) : null;
  return (
    <>
      <PageHead
        title="Gates"
        description="Guardrails that live as code, and how often incidents named them."
        actions={newButton}
      />
      <GuardrailTabs slug={slug} />
      {gates.length === 0 && !filtered ? (
        <EmptyState title="No gates yet" action={newButton}>
          <p>
            A gate is a check that stops a risky change on its way to production. Record the ones you have, or propose new ones
            from a postmortem&rsquo;s guardrail actions. Seeing a gate&rsquo;s check run pass is what verifies those actions.
          </p>
          {canEdit ? null : <p>Editors and admins can record gates.</p>}
        </EmptyState>
      ) : (
        <>
          <Form method="get" className="filters card" aria-label="Filter gates" key={params.toString()}>
            <div className="field">
              <label htmlFor="filter-status">Status</label>
              <select id="filter-status" name="status" defaultValue={params.get("status") ?? ""}>
                <option value="">Any</option>
                {Object.entries(GATE_STATUSES).map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
            </div>
            <FilterSelect
              name="state"
              label="Evidence"
              value={params.get("state")}
              options={Object.entries(GATE_STATES).map(([value, label]) => ({ value, label }))}
            />
            <FilterSelect name="tier" label="Tier" value={params.get("tier")} options={TIER_KEYS} />
            <button type="submit" className="button secondary">
              Filter
            </button>
            {filtered ? <Link to={`/w/${slug}/gates`}>Clear filter</Link> : null}
          </Form>
          {gates.length === 0 ? (
            <p className="card">No gates match this filter.</p>
          ) : (
            <div className="card table-wrap">
              <table>
                <caption className="visually-hidden">Gates by status, then name</caption>
                <thead>
                  <tr>
                    <th scope="col">Gate</th>
                    <th scope="col">Status</th>
                    <th scope="col">Repository and check</th>
                    <th scope="col">Tiers</th>
                    <th scope="col" className="num">
                      Incidents
                    </th>
                    <th scope="col" className="num">
                      Actions
                    </th>
                    <th scope="col">Last seen enforced</th>
                    <th scope="col">Evidence</th>
                  </tr>
                </thead>
                <tbody>
                  {gates.map((g) => (
                    <tr key={g.id}>
                      <td>
                        <Link to={`/w/${slug}/gates/${g.id}`}>{g.name}</Link>
                        <br />
                        <span className="muted">{GATE_KINDS[g.kind]}</span>
                      </td>
                      <td>
                        <span className={`status-pill gate-${g.status}`}>{GATE_STATUSES[g.status]}</span>
                      </td>
                      <td>
                        {g.repository ? <code>{g.repository}</code> : <span className="muted">—</span>}
                        {g.check_name ? (
                          <>
                            <br />
                            <code className="muted">{g.check_name}</code>
                          </>
                        ) : null}
                      </td>
                      <td>
                        <TierBadges tiers={g.tiers} />
                      </td>
                      <td className="num">{g.incident_count ?? 0}</td>
                      <td className="num">{g.action_count ?? 0}</td>
                      <td>{g.last_seen_at ? <When at={g.last_seen_at} /> : <span className="muted">Not yet</span>}</td>
                      <td>{g.status === "retired" ? <span className="muted">—</span> : <GateStatePill state={g.state} />}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </>
  );
}

export const ErrorBoundary = WorkspaceRouteError;
