/** The account page's notification settings form. Client-safe. */
import { z } from "zod";
import { DELIVERIES, MAIL_KINDS } from "./rules";

const checkbox = z.preprocess((v) => v === "on" || v === "true" || v === "1", z.boolean());

export const NotificationSettingsForm = z.object({
  intent: z.literal("notifications"),
  ...(Object.fromEntries(MAIL_KINDS.map((k) => [k, checkbox])) as Record<(typeof MAIL_KINDS)[number], typeof checkbox>),
  delivery: z.enum(DELIVERIES, { error: "Choose immediate mail or a daily digest." }),
});
