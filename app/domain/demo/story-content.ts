/** The demo story's data, put together: people, gates, incidents, decisions. */
import { EARLY_INCIDENTS } from "./incidents-early";
import { LATE_INCIDENTS } from "./incidents-late";
import { MIDDLE_INCIDENTS } from "./incidents-middle";
import type { StoryIncident } from "./story-model";

export * from "./story-model";
export * from "./story-decisions";

export const INCIDENTS: StoryIncident[] = [...EARLY_INCIDENTS, ...MIDDLE_INCIDENTS, ...LATE_INCIDENTS];
