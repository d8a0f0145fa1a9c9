/**
 * Field helpers for the zod schemas of the HTML forms (each area's forms.ts). Client-safe. How a
 * time is shown and typed is `./dates.ts`.
 */
import { z } from "zod";
import { DEFAULT_TIME_ZONE, fromZonedInput, timeZoneOr } from "./dates";

/** The keys of a label table (`{ open: "Open", … }`), as z.enum takes them. */
export function labelKeys<K extends string>(labels: Record<K, string>): [K, ...K[]] {
  return Object.keys(labels) as [K, ...K[]];
}

/** A calendar day as a date input sends it ("2026-01-31"). */
export const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** "" or nothing becomes null, so an optional select or input can be left empty. */
export const emptyToNull = (v: unknown) => (typeof v === "string" && v.trim() === "" ? null : v);

/**
 * A datetime-local value as typed ("2026-11-26T09:30"): a wall-clock time, kept as text until
 * `readTimesIn` reads it in the zone the form was shown in (its `timeZone` field).
 */
export function wallClockTime(message: string) {
  return z
    .string()
    .trim()
    .refine((v) => fromZonedInput(v, DEFAULT_TIME_ZONE) !== null, message);
}

/** The same, but an empty field means "not yet". */
export function optionalWallClockTime(message: string) {
  return z.union([z.literal("").transform(() => null), wallClockTime(message)]).optional().transform((v) => v ?? null);
}

/** The zone a form's date-time inputs were shown in (app/components/when.tsx's TimeZoneField); UTC when absent or unknown. */
export const timeZoneField = z.string().optional().catch(undefined).transform((v) => timeZoneOr(v));

type ReadTimes<T, K extends keyof T> = Omit<T, K | "timeZone"> & { [P in K]: null extends T[P] ? Date | null : Date };

/** A form's wall-clock fields (`keys`) read as instants in its `timeZone`: for a schema's `.transform`. */
export function readTimesIn<T extends { timeZone: string }, K extends keyof T>(...keys: K[]) {
  return (values: T): ReadTimes<T, K> => {
    const { timeZone, ...rest } = values;
    const out: Record<string, unknown> = { ...rest };
    for (const key of keys) {
      const typed = values[key];
      out[key as string] = typeof typed === "string" ? fromZonedInput(typed, timeZone) : null;
    }
    return out as ReadTimes<T, K>;
  };
}

/** Checkbox groups arrive as nothing, one string, or several. */
export function stringList<T extends z.ZodType<string>>(item: T) {
  return z.preprocess((v) => (v == null || v === "" ? [] : Array.isArray(v) ? v : [v]), z.array(item));
}
