import { z } from "zod";
import { ACTION_KINDS, FACTOR_CATEGORIES, GATE_KINDS } from "~/domain/guardrails/rules";
import { REPOSITORY_PATTERN } from "./guardrail-forms";

const categories = Object.keys(FACTOR_CATEGORIES) as [keyof typeof FACTOR_CATEGORIES, ...(keyof typeof FACTOR_CATEGORIES)[]];
const actionKinds = Object.keys(ACTION_KINDS) as [keyof typeof ACTION_KINDS, ...(keyof typeof ACTION_KINDS)[]];
const gateKinds = Object.keys(GATE_KINDS) as [keyof typeof GATE_KINDS, ...(keyof typeof GATE_KINDS)[]];
const tier = z.enum(["T0", "T1", "T2", "T3"], { error: "Choose a tier." });
const emptyToNull = (v: unknown) => (typeof v === "string" && v.trim() === "" ? null : v);


/**
 * A factor: its text, category, tier, the gates involved (one select per gate, named
 * "gate:<id>", valued missing / failed_to_catch / bypassed or empty) and PR URLs, one a line.
 */
export const FactorForm = z
  .object({
    text: z.string().trim().min(5, "Describe the condition in a sentence or more.").max(2000, "Keep a factor under 2000 characters."),
    category: z.enum(categories, { error: "Choose a category." }),
    tier,
    pullRequestUrls: z
      .string()
      .max(4000)
      .default("")
      .transform((v) => v.split(/\s+/).map((s) => s.trim()).filter(Boolean)),
  })
  .catchall(z.unknown());

export function gatesFromForm(values: Record<string, unknown>) {
  const gates: { gateId: string; involvement: "missing" | "failed_to_catch" | "bypassed" }[] = [];
  for (const [key, value] of Object.entries(values)) {
    const id = key.startsWith("gate:") ? key.slice(5) : null;
    if (id && z.uuid().safeParse(id).success && (value === "missing" || value === "failed_to_catch" || value === "bypassed")) {
      gates.push({ gateId: id, involvement: value });
    }
  }
  return gates;
}

/** "Create a guardrail action" from a factor, optionally proposing a new gate in the same step. */
export const CreateActionForm = z
  .object({
    factorId: z.uuid("Unknown factor."),
    title: z.string().trim().min(5, "Name the guardrail in a few words.").max(200, "Keep the title under 200 characters."),
    kind: z.enum(actionKinds, { error: "Choose what kind of guardrail this is." }),
    ownerId: z.preprocess(emptyToNull, z.uuid("Choose an owner from the list.").nullable()).default(null),
    dueOn: z.preprocess(emptyToNull, z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Enter a date.").nullable()).default(null),
    gateId: z.preprocess(emptyToNull, z.uuid("Choose a gate from the list.").nullable()).default(null),
    implementingPrUrl: z.preprocess(emptyToNull, z.string().max(500).nullable()).default(null),
    newGateName: z.preprocess(emptyToNull, z.string().trim().max(120, "Keep the gate name under 120 characters.").nullable()).default(null),
    newGateKind: z.enum(gateKinds).default("ci_check"),
    newGateCheckName: z.preprocess(emptyToNull, z.string().trim().max(200).nullable()).default(null),
    newGateRepository: z.preprocess(
      emptyToNull,
      z.string().trim().regex(REPOSITORY_PATTERN, "Write the repository as owner/name.").nullable(),
    ).default(null),
  })
  .superRefine((v, ctx) => {
    if (v.newGateName && v.gateId) ctx.addIssue({ code: "custom", path: ["newGateName"], message: "Choose an existing gate or propose a new one, not both." });
    if (!v.newGateName && (v.newGateCheckName || v.newGateRepository)) {
      ctx.addIssue({ code: "custom", path: ["newGateName"], message: "Give the new gate a name." });
    }
  });
