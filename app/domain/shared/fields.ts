/**
 * Field helpers for the zod schemas of the HTML forms (each area's forms.ts), and the two ways a
 * time is shown in them. Client-safe.
 */
import { z } from "zod";

/** The keys of a label table (`{ open: "Open", … }`), as z.enum takes them. */
export function labelKeys<K extends string>(labels: Record<K, string>): [K, ...K[]] {
  return Object.keys(labels) as [K, ...K[]];
}

/** A calendar day as a date input sends it ("2026-01-31"). */
export const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** "" or nothing becomes null, so an optional select or input can be left empty. */
export const emptyToNull = (v: unknown) => (typeof v === "string" && v.trim() === "" ? null : v);

/** A datetime-local value ("2026-11-26T09:30"), read as UTC: the app shows and takes times in UTC. */
export function utcDateTime(message: string) {
  return z
    .string()
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/, message)
    .transform((v) => new Date(`${v}${v.length === 16 ? ":00" : ""}Z`))
    .refine((d) => !Number.isNaN(d.getTime()), message);
}

/** The same, but an empty field means "not yet". */
export function optionalUtcDateTime(message: string) {
  return z.union([z.literal("").transform(() => null), utcDateTime(message)]).optional().transform((v) => v ?? null);
}

/** Checkbox groups arrive as nothing, one string, or several. */
export function stringList<T extends z.ZodType<string>>(item: T) {
  return z.preprocess((v) => (v == null || v === "" ? [] : Array.isArray(v) ? v : [v]), z.array(item));
}

/** "2026-11-26T09:30" for a datetime-local input, in UTC. */
export function toDateTimeLocal(value: Date | string | null | undefined): string {
  if (!value) return "";
  return new Date(value).toISOString().slice(0, 16);
}

export function formatUtc(value: Date | string | null | undefined): string {
  if (!value) return "—";
  return `${new Date(value).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
