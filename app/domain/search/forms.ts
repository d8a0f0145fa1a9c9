/** The search page's address, read as filters. Client-safe. */
import { z } from "zod";
import { DAY_PATTERN } from "~/domain/shared/fields";
import { LIMITS } from "~/domain/shared/limits";
import { TIER_KEYS } from "~/domain/workspaces/rules";
import { ALL_SEARCH_STATUSES, SEARCH_TYPES } from "./rules";

const day = z
  .string()
  .regex(DAY_PATTERN)
  .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)))
  .optional()
  .catch(undefined);

/** Unknown filter values are ignored rather than refused: a stale or hand-edited link still opens. */
export const SearchParams = z.object({
  q: z.string().catch(""),
  type: z.enum(SEARCH_TYPES).optional().catch(undefined),
  status: z.enum(ALL_SEARCH_STATUSES).optional().catch(undefined),
  tier: z.enum(TIER_KEYS).optional().catch(undefined),
  area: z.string().regex(/^[a-z0-9][a-z0-9-]{0,79}$/).optional().catch(undefined),
  tag: z
    .string()
    .max(LIMITS.filterValue)
    .transform((v) =>
      v
        .trim()
        .toLowerCase()
        .replace(/^#/, "")
        .replace(/[^\p{L}\p{N}._/-]+/gu, "-")
        .replace(/^-+|-+$/g, ""),
    )
    .pipe(z.string().min(1))
    .optional()
    .catch(undefined),
  from: day,
  to: day,
  page: z.coerce.number().int().min(1).max(1_000_000).optional().catch(undefined),
  sort: z.enum(["relevance", "newest"]).optional().catch(undefined),
});
