import { Form, Link, useNavigation } from "@remix-run/react";
import { When } from "~/components/when";

export type RevisionEntry = { version: number; author_name: string; saved_at: Date | string; restored_from: number | null };
export type ShownRevision = { version: number; author: string; savedAt: Date | string; html: string };

/**
 * A document's history, for postmortems and decision records alike: the chosen version read-only
 * (its HTML rendered on the server from validated editor JSON) with a restore button for those
 * who may, and every version beside it. Restoring posts `version` and `baseVersion` to the route.
 */
export function RevisionHistory({
  canRestore,
  currentVersion,
  revisions,
  selected,
}: {
  canRestore: boolean;
  currentVersion: number;
  revisions: RevisionEntry[];
  selected: ShownRevision | null;
}) {
  const busy = useNavigation().state === "submitting";
  // Newest first: the entry below each one is the version it followed.
  const folded = revisions.map((r, i) => ({ ...r, from: (revisions[i + 1]?.version ?? 0) + 1 }));
  const foldedAny = folded.some((r) => r.from < r.version);
  return (
    <div className="layout-side">
      <section className="card" aria-labelledby="revision-title">
        {selected ? (
          <>
            <h2 id="revision-title">
              Version {selected.version} · {selected.author} ·{" "}
              <time className="nowrap" dateTime={new Date(selected.savedAt).toISOString()}>
                <When at={selected.savedAt} />
              </time>
            </h2>
            {canRestore && selected.version !== currentVersion ? (
              <Form method="post" className="actions-row">
                <input type="hidden" name="version" value={selected.version} />
                <input type="hidden" name="baseVersion" value={currentVersion} />
                <button type="submit" className="button" disabled={busy}>
                  Restore this version
                </button>
                <span className="muted">Restoring saves it as a new version; nothing is deleted.</span>
              </Form>
            ) : null}
            <article className="prose auth-alt" dangerouslySetInnerHTML={{ __html: selected.html }} />
          </>
        ) : (
          <>
            <h2 id="revision-title">Choose a version</h2>
            <p className="muted">
              Every autosave makes a new version, but history keeps one entry per stretch of writing: saves by one person within ten minutes
              are folded into the last of them. An entry that folds several versions says which.
            </p>
          </>
        )}
      </section>
      <nav className="card" aria-label="Versions">
        {foldedAny ? (
          <p className="muted history-fold-note">
            Saves by one person within ten minutes are folded into one entry, which keeps the last of them.
          </p>
        ) : null}
        <ol className="list-plain reviews">
          {folded.map((r) => (
            <li key={r.version}>
              <Link to={`?version=${r.version}`} aria-current={selected?.version === r.version ? "page" : undefined}>
                Version {r.version}
              </Link>
              {r.version === currentVersion ? <span className="badge">current</span> : null}
              <div className="muted">
                {r.author_name} · <When at={r.saved_at} />
                {r.restored_from ? ` · restored from ${r.restored_from}` : ""}
              </div>
              {r.from < r.version ? (
                <div className="muted">
                  Versions {r.from}–{r.version}: {r.version - r.from + 1} saves folded into this one
                </div>
              ) : null}
            </li>
          ))}
        </ol>
      </nav>
    </div>
  );
}
