/**
 * What an editor page shows inside its live blocks (ADR 25): the postmortem editor renders its
 * tracked factors and actions here; editors without records (decision records) provide nothing,
 * and the block then says what it is for.
 */
import { createContext, type ReactNode } from "react";
import type { TrackedKind } from "~/domain/documents/rules";

export type RenderTracked = (kind: TrackedKind) => ReactNode;

export const TrackedBlocksContext = createContext<RenderTracked | null>(null);
