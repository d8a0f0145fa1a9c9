/**
 * The revision-history rule shared by postmortems and decision records: saves by one person
 * within ten minutes fold into one revision, so history stays readable; a restore always stands
 * as a revision of its own, and so does the one after it.
 */
const REVISION_COALESCE_MS = 10 * 60 * 1000;

export type LatestRevision = { author_id: string; saved_at: Date; restored_from: number | null };

export function foldsIntoLatestRevision(
  latest: LatestRevision | undefined,
  save: { authorId: string; now: Date; restoredFrom: number | null },
): latest is LatestRevision {
  return (
    latest !== undefined &&
    save.restoredFrom === null &&
    latest.restored_from === null &&
    latest.author_id === save.authorId &&
    save.now.getTime() - latest.saved_at.getTime() < REVISION_COALESCE_MS
  );
}
