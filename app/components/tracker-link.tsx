import type { TrackerVendor } from "#db/schema";
import { TRACKER_VENDORS } from "~/domain/trackers/rules";

export type TrackerLinkLine = { key: string | null; url: string | null; vendor: TrackerVendor; lastError: string | null; remoteState: "pending" | "open" | "closed" };

/** "ACT-7 ↔ PLAT-123": an action and its issue in the team's tracker, with a mark when the last sync failed. */
export function TrackerLink({ reference, link }: { reference: string; link: TrackerLinkLine }) {
  const label = `${reference} is tracked in ${TRACKER_VENDORS[link.vendor]} as ${link.key ?? "an issue being created"}${link.remoteState === "closed" ? " (closed there)" : ""}`;
  return (
    <span className="tracker-link" title={link.lastError ?? label}>
      <span className="muted">{reference}</span>
      <span aria-hidden="true"> ↔ </span>
      {link.key && link.url ? (
        <a href={link.url} rel="noopener noreferrer" aria-label={label}>
          {link.key}
        </a>
      ) : (
        <span className="muted" aria-label={label}>
          creating…
        </span>
      )}
      {link.lastError ? (
        <span className="badge overdue tracker-sync-error" aria-label={`Sync failed: ${link.lastError}`}>
          !
        </span>
      ) : null}
    </span>
  );
}
