/**
 * The words teams write for a record's status, and the nearest of the five statuses the app
 * models. A record keeps the word its file used (say "On hold") while its status is still the one
 * that word maps to; the page shows it and the export writes it back. Client-safe.
 */
import type { DecisionStatus } from "#db/schema";

const STATUSES: readonly DecisionStatus[] = ["proposed", "accepted", "rejected", "deprecated", "superseded"];

/** Whole phrases first ("on hold"), then the first word ("approved by the board"). */
const PHRASES: Record<string, DecisionStatus> = {
  "on hold": "proposed",
  "in progress": "proposed",
  "in review": "proposed",
  "under review": "proposed",
  "under discussion": "proposed",
  "work in progress": "proposed",
  "not started": "proposed",
  "won't do": "rejected",
  "wont do": "rejected",
  "no longer relevant": "deprecated",
};

const WORDS: Record<string, DecisionStatus> = {
  proposed: "proposed",
  proposal: "proposed",
  draft: "proposed",
  open: "proposed",
  pending: "proposed",
  review: "proposed",
  reviewing: "proposed",
  discussion: "proposed",
  discussing: "proposed",
  wip: "proposed",
  hold: "proposed",
  paused: "proposed",
  postponed: "proposed",
  deferred: "proposed",
  parked: "proposed",
  planned: "proposed",
  idea: "proposed",
  exploring: "proposed",
  experimental: "proposed",
  accepted: "accepted",
  approved: "accepted",
  adopted: "accepted",
  agreed: "accepted",
  decided: "accepted",
  active: "accepted",
  implemented: "accepted",
  done: "accepted",
  final: "accepted",
  complete: "accepted",
  completed: "accepted",
  rejected: "rejected",
  declined: "rejected",
  withdrawn: "rejected",
  abandoned: "rejected",
  cancelled: "rejected",
  canceled: "rejected",
  dropped: "rejected",
  deprecated: "deprecated",
  obsolete: "deprecated",
  retired: "deprecated",
  outdated: "deprecated",
  archived: "deprecated",
  legacy: "deprecated",
  superseded: "superseded",
  superceded: "superseded",
  replaced: "superseded",
};

/**
 * The status a written word stands for: `known` is false when nothing matched and the record falls
 * back to proposed, the nearest status for a decision nobody has confirmed.
 */
export function nearestStatus(written: string): { status: DecisionStatus; known: boolean } {
  const words = written
    .toLowerCase()
    .replace(/[^\p{L}\p{N}' ]+/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
  const phrase = Object.keys(PHRASES).find((p) => words === p || words.startsWith(`${p} `));
  if (phrase) return { status: PHRASES[phrase]!, known: true };
  const first = /^[\p{L}']+/u.exec(words)?.[0] ?? "";
  const status = WORDS[first];
  return status ? { status, known: true } : { status: "proposed", known: false };
}

/** Whether a word needs keeping: it is not simply the status's own name ("Accepted", "accepted."). */
export function isOwnStatusWord(written: string): boolean {
  const word = written.trim().replace(/[.!]+$/, "").toLowerCase();
  return (STATUSES as readonly string[]).includes(word);
}

/** The word to show and write for a record: its file's own word while the status still matches it. */
export function statusWordFor(status: DecisionStatus, written: string | null | undefined): string | null {
  if (!written) return null;
  return nearestStatus(written).status === status ? written : null;
}
