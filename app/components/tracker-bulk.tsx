import { useFetcher } from "@remix-run/react";
import type { TrackerVendor } from "#db/schema";
import { FormError, SelectField, type FormState } from "~/components/form";
import { actionReference } from "~/domain/guardrails/rules";
import { TrackerLink, type TrackerLinkLine } from "./tracker-link";

type Tracking = { actions: number; untracked: number; links: Array<TrackerLinkLine & { number: number }> };

/** A postmortem's actions in the team's tracker: their keys, and one click to create the missing issues. */
export function TrackerBulk({ slug, incident, tracking, connections, canTrack }: { slug: string; incident: number; tracking: Tracking; connections: Array<{ id: string; name: string; vendor: TrackerVendor }>; canTrack: boolean }) {
  const fetcher = useFetcher<{ ok: boolean } & FormState>();
  const failure = fetcher.data && !fetcher.data.ok ? fetcher.data : undefined;
  if (!tracking.actions || (!tracking.links.length && (!canTrack || !connections.length))) return null;
  const count = `${tracking.untracked} action${tracking.untracked === 1 ? "" : "s"}`;
  return (
    <section className="card tracker-panel" aria-labelledby="tracker-bulk-title">
      <h2 id="tracker-bulk-title">Issue tracker</h2>
      <FormError state={failure} />
      {tracking.links.length ? (
        <ul className="tracker-list">
          {tracking.links.map((l) => (
            <li key={l.number}>
              <TrackerLink reference={actionReference(l.number)} link={l} />
            </li>
          ))}
        </ul>
      ) : null}
      {canTrack && connections.length && tracking.untracked ? (
        <fetcher.Form method="post" action={`/w/${slug}/incidents/${incident}/postmortem/trackers`} className="inline-form">
          <input type="hidden" name="intent" value="create-issues" />
          {connections.length > 1 ? (
            <SelectField name="connectionId" label="Tracker" options={connections.map((c) => ({ value: c.id, label: c.name }))} state={failure} />
          ) : (
            <input type="hidden" name="connectionId" value={connections[0]!.id} />
          )}
          <button type="submit" className="button secondary" disabled={fetcher.state !== "idle"}>
            {connections.length > 1 ? `Create issues for ${count}` : `Create issues for ${count} in ${connections[0]!.name}`}
          </button>
        </fetcher.Form>
      ) : null}
    </section>
  );
}
