/** The integration settings' forms: webhook secrets and API tokens. Client-safe. */
import { z } from "zod";
import { labelKeys } from "~/domain/shared/fields";
import { LIMITS } from "~/domain/shared/limits";
import { API_SCOPES, SOURCE_LABELS } from "./rules";

export const IntegrationForm = z.discriminatedUnion(
  "intent",
  [
    // PagerDuty shows its own signing secret; the others get one generated here.
    z.object({ intent: z.literal("rotate"), source: z.enum(["github", "alertmanager"]) }),
    z.object({
      intent: z.literal("set-pagerduty"),
      secret: z.string().trim().min(16, "Paste the whole signing secret PagerDuty showed (at least 16 characters).").max(200, "That is longer than a PagerDuty secret."),
    }),
    z.object({ intent: z.literal("remove"), source: z.enum(labelKeys(SOURCE_LABELS)) }),
    // A signed sample delivery to the workspace's own webhook address (Alertmanager's token is kept only as a hash).
    z.object({ intent: z.literal("test-delivery"), source: z.enum(["github", "pagerduty"]) }),
  ],
  { error: "Unknown action." },
);

export const ApiTokenForm = z.discriminatedUnion(
  "intent",
  [
    z.object({
      intent: z.literal("create"),
      name: z.string().trim().min(2, "Name the token after what will use it, e.g. “CI dashboard”.").max(LIMITS.name, `Keep the name under ${LIMITS.name} characters.`),
      scope: z.enum(labelKeys(API_SCOPES), { error: "Choose read or write." }),
    }),
    z.object({ intent: z.literal("revoke"), tokenId: z.uuid("Unknown token.") }),
  ],
  { error: "Unknown action." },
);
