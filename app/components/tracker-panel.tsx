import { useFetcher } from "@remix-run/react";
import type { TrackerVendor } from "#db/schema";
import { Field, FormError, SelectField, type FormState } from "~/components/form";
import { When } from "~/components/when";
import { TRACKER_VENDORS } from "~/domain/trackers/rules";
import { TrackerLink, type TrackerLinkLine } from "./tracker-link";

export type TrackerPanelLink = TrackerLinkLine & { tracker: string; lastSyncedAt: Date | string | null; pendingOps: number; failedOps: number };
type Connection = { id: string; name: string; vendor: TrackerVendor };

/**
 * An action's issue in the team's tracker: the key and link, when it last synced and what went
 * wrong; or, without one, "Create issue in …" and "Link an existing issue". The forms post to the
 * action's tracker route; the page shows the result when it reloads.
 */
export function TrackerPanel({ slug, number, reference, link, connections, canTrack }: { slug: string; number: number; reference: string; link: TrackerPanelLink | null; connections: Connection[]; canTrack: boolean }) {
  const fetcher = useFetcher<{ ok: boolean } & FormState>();
  const busy = fetcher.state !== "idle";
  const failure = fetcher.data && !fetcher.data.ok ? fetcher.data : undefined;
  const action = `/w/${slug}/guardrails/actions/${number}/tracker`;
  return (
    <section className="card tracker-panel" aria-labelledby="tracker-title">
      <h2 id="tracker-title">Issue tracker</h2>
      <FormError state={failure} />
      {link ? (
        <>
          <p>
            <TrackerLink reference={reference} link={link} /> <span className="muted">in {link.tracker}</span>
          </p>
          <p className="small-text muted" data-testid="tracker-sync">
            {/* A linked issue's state is known once the tracker was read (or told of it). */}
            {!link.key ? "The issue is being created. " : !link.lastSyncedAt ? "" : link.remoteState === "closed" ? "Closed in the tracker. " : "Open in the tracker. "}
            {link.lastSyncedAt ? (
              <>
                Last synced <When at={link.lastSyncedAt} />.
              </>
            ) : (
              "Not synced yet."
            )}
            {link.pendingOps ? ` ${link.pendingOps} update${link.pendingOps === 1 ? "" : "s"} waiting to be sent.` : ""}
          </p>
          {link.lastError ? (
            <p className="tracker-error" role="alert">
              {link.lastError}
            </p>
          ) : null}
          {canTrack ? (
            <div className="actions-row">
              {link.failedOps ? (
                <fetcher.Form method="post" action={action}>
                  <input type="hidden" name="intent" value="retry-sync" />
                  <button type="submit" className="button secondary small" disabled={busy}>
                    Retry
                  </button>
                </fetcher.Form>
              ) : null}
              <fetcher.Form method="post" action={action}>
                <input type="hidden" name="intent" value="unlink-issue" />
                <button type="submit" className="button secondary small" disabled={busy}>
                  Unlink
                </button>
              </fetcher.Form>
            </div>
          ) : null}
          <p className="small-text muted">Closing the issue marks this action done. It is verified only by its gate or recorded evidence.</p>
        </>
      ) : !canTrack ? (
        <p className="muted">Not tracked in an issue tracker.</p>
      ) : connections.length ? (
        <>
          <fetcher.Form method="post" action={action} className="inline-form">
            <input type="hidden" name="intent" value="create-issue" />
            {connections.length > 1 ? (
              <SelectField name="connectionId" label="Tracker" options={connections.map((c) => ({ value: c.id, label: c.name }))} state={failure} />
            ) : (
              <input type="hidden" name="connectionId" value={connections[0]!.id} />
            )}
            <button type="submit" className="button secondary" disabled={busy}>
              {connections.length > 1 ? "Create issue" : `Create issue in ${connections[0]!.name}`}
            </button>
          </fetcher.Form>
          <fetcher.Form method="post" action={action} className="inline-form" noValidate>
            <input type="hidden" name="intent" value="link-issue" />
            <Field name="issueUrl" type="url" label="Or link an existing issue" placeholder="https://…/browse/PLAT-123" state={failure} />
            <button type="submit" className="button secondary" disabled={busy}>
              Link
            </button>
          </fetcher.Form>
        </>
      ) : (
        <p className="muted">
          No tracker is connected. An admin connects {Object.values(TRACKER_VENDORS).join(", ")} in Settings → Integrations → Trackers.
        </p>
      )}
    </section>
  );
}
