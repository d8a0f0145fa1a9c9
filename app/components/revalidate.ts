import type { ShouldRevalidateFunction } from "@remix-run/react";

/**
 * Remix skips reloading data after an action answers 4xx. A 409 (someone saved first) is the
 * exception: reload, so the page shows what is saved now and its next save carries that version.
 */
export const revalidateAfterConflict: ShouldRevalidateFunction = ({ actionStatus, defaultShouldRevalidate }) =>
  actionStatus === 409 || defaultShouldRevalidate;
