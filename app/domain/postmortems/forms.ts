/** The postmortem page's workflow forms: start, ask for review, review, publish, reopen. Client-safe. */
import { z } from "zod";
import { stringList } from "~/domain/shared/fields";
import { LIMITS } from "~/domain/shared/limits";
import { REVIEW_VERDICTS } from "./review";

export const PostmortemWorkflowForm = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("start"), template: z.string({ error: "Choose a template." }).min(1, "Choose a template.").max(60) }),
    z.object({
      intent: z.literal("request-review"),
      reviewers: stringList(z.uuid("Choose reviewers from the list.")).pipe(z.array(z.string()).max(20, "Ask at most 20 people at once.")),
    }),
    z.object({
      intent: z.literal("review"),
      verdict: z.enum(REVIEW_VERDICTS, { error: "Choose approve, request changes or comment." }),
      comment: z.string().trim().max(LIMITS.note, `Keep the comment under ${LIMITS.note} characters.`).default(""),
    }),
    z.object({ intent: z.literal("publish") }),
    z.object({ intent: z.literal("reopen") }),
  ],
  { error: "Unknown action." },
);
