/** Forms of a versioned document's history page. Client-safe. */
import { z } from "zod";

/** Restore `version`, on top of `baseVersion` (the version the page showed as current). */
export const RestoreForm = z.object({ version: z.coerce.number().int().positive(), baseVersion: z.coerce.number().int().positive() });
