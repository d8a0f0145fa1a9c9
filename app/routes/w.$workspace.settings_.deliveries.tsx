import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { PageHead } from "~/components/page-head";
import { WorkspaceRouteError } from "~/components/route-error";
import { SettingsNav } from "~/components/settings-nav";
import { SOURCE_LABELS } from "~/domain/integrations/rules";
import { listDeliveries } from "~/domain/integrations/index.server";
import { database } from "~/http/db.server";
import { requireAbility } from "~/http/authorize.server";
import { When } from "~/components/when";

export const meta: MetaFunction = () => [{ title: "Delivery log · Settings · Hindsight" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace } = await requireAbility(request, params.workspace, "integration.manage");
  const deliveries = await listDeliveries(await database(), workspace.id);
  return { slug: workspace.slug, deliveries };
}

export default function Deliveries() {
  const { slug, deliveries } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHead
        title="Delivery log"
        description="Every webhook this workspace accepted, newest first, and what it changed. Refused requests (bad signature, unknown repository) are not stored: they are in the server's log."
      />
      <SettingsNav slug={slug} />
      <section className="card" aria-labelledby="deliveries-title">
        <h2 id="deliveries-title">Latest deliveries</h2>
        {deliveries.length === 0 ? (
          <p className="muted">
            Nothing received yet. Set up a sender in <Link to={`/w/${slug}/settings/integrations`}>Integrations</Link>.
          </p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Received</th>
                  <th scope="col">From</th>
                  <th scope="col">Event</th>
                  <th scope="col">Outcome</th>
                  <th scope="col">What it changed</th>
                </tr>
              </thead>
              <tbody>
                {deliveries.map((d) => (
                  <tr key={d.id}>
                    <td className="nowrap"><When at={d.received_at} /></td>
                    <td>{SOURCE_LABELS[d.source]}</td>
                    <td>
                      <code>{d.event}</code>
                      <br />
                      <span className="muted small-text break" title="Delivery id">
                        {d.delivery_id.length > 24 ? `${d.delivery_id.slice(0, 24)}…` : d.delivery_id}
                      </span>
                    </td>
                    <td>
                      <span className={`outcome outcome-${d.outcome === "applied" ? "create" : "ignored"}`}>{d.outcome === "applied" ? "Applied" : "Ignored"}</span>
                    </td>
                    <td>
                      {d.summary}
                      {d.changes.length ? (
                        <ul className="problems">
                          {d.changes.map((c, i) => (
                            <li key={i}>{c}</li>
                          ))}
                        </ul>
                      ) : null}
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
