import type { TierApproval, TierKey } from "#db/schema";

/** The four risk tiers, lowest blast radius last: every workspace has all four (its catalog names them). */
export const TIER_KEYS: readonly TierKey[] = ["T0", "T1", "T2", "T3"];

/** What each tier guards, in a word, beside its key in pickers ("T2 · sensitive"). */
export const TIER_HINTS: Record<TierKey, string> = { T0: "low", T1: "product", T2: "sensitive", T3: "systemic" };

/** Who must approve a postmortem before publishing; a workspace may relax T0 and T1 (docs/decisions/0024). */
export const TIER_APPROVALS: readonly TierApproval[] = ["other", "self", "none"];
/** Most characters a workspace may let change after an approval before it must be renewed. */
export const MAX_APPROVAL_TOLERANCE = 1000;
