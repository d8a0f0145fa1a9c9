import type { Db } from "#db/connection";

/**
 * Milestones of an action that other areas follow: it became verified (by its gate or by a
 * person's evidence), or its gate's drift sent it back to in progress. Listeners run inside the
 * transaction that made the change, so what they record (tracker sync queues a comment) commits
 * with it or not at all. Guardrails does not know who listens: the trackers area registers itself
 * when it is loaded (its entry point), which every server process does.
 */
export type ActionMilestone =
  | { kind: "verified"; workspaceId: string; actions: Array<{ id: string; number: number }>; evidence: string | null; byGate: boolean }
  | { kind: "sent_back"; workspaceId: string; actions: Array<{ id: string; number: number }>; reason: string };

type Listener = (trx: Db, milestone: ActionMilestone) => Promise<void>;

// On globalThis, so a dev reload of this module keeps the listeners registered by modules it did not reload.
const registry = globalThis as typeof globalThis & { __hindsightActionListeners?: Map<string, Listener> };

/** Registers (or, under the same name, replaces) a listener. */
export function onActionMilestone(name: string, listener: Listener): void {
  (registry.__hindsightActionListeners ??= new Map()).set(name, listener);
}

export async function announceMilestone(trx: Db, milestone: ActionMilestone): Promise<void> {
  if (!milestone.actions.length) return;
  for (const listener of registry.__hindsightActionListeners?.values() ?? []) await listener(trx, milestone);
}
