import { data } from "@remix-run/node";
import type { z } from "zod";
import { UNSTORABLE_MESSAGE, isStorableText } from "./text-input";

export type FormFailure = {
  ok: false;
  /** Messages per field, shown beside it. */
  fieldErrors: Record<string, string[]>;
  /** A message for the whole form. */
  formError?: string;
  /** What the user typed (never passwords), so nothing is lost on a failed submit. */
  values: Record<string, string | string[]>;
};

const NEVER_ECHO = /password/i;

export function submittedValues(formData: FormData): Record<string, string | string[]> {
  const values: Record<string, string | string[]> = {};
  for (const key of new Set(formData.keys())) {
    if (NEVER_ECHO.test(key)) continue;
    const all = formData.getAll(key).filter((v): v is string => typeof v === "string");
    if (all.length) values[key] = all.length === 1 ? all[0]! : all;
  }
  return values;
}

/** Validates a form against its one zod schema; on failure, the field errors and typed values. */
export function parseForm<S extends z.ZodType>(
  schema: S,
  formData: FormData,
): { ok: true; data: z.output<S> } | FormFailure {
  // Refused before validation, so no schema and no domain function ever sees such text (text-input.ts).
  for (const [key, value] of formData.entries()) {
    if (!isStorableText(key) || (typeof value === "string" && !isStorableText(value))) {
      return { ok: false, fieldErrors: { [isStorableText(key) ? key : "_form"]: [UNSTORABLE_MESSAGE] }, values: submittedValues(formData) };
    }
  }
  const raw = Object.fromEntries([...formData.keys()].map((k) => [k, formData.getAll(k).length > 1 ? formData.getAll(k) : formData.get(k)]));
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true, data: result.data };
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of result.error.issues) {
    const key = String(issue.path[0] ?? "_form");
    (fieldErrors[key] ??= []).push(issue.message);
  }
  return { ok: false, fieldErrors, values: submittedValues(formData) };
}

/** A 4xx answer that re-renders the form with its errors and the user's input. */
export function formFailure(
  formData: FormData,
  errors: { fieldErrors?: Record<string, string[] | undefined>; formError?: string },
  status = 400,
  headers: HeadersInit = {},
) {
  const fieldErrors: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(errors.fieldErrors ?? {})) if (v) fieldErrors[k] = v;
  const body: FormFailure = { ok: false, fieldErrors, formError: errors.formError, values: submittedValues(formData) };
  return data(body, { status, headers });
}

export function invalid(failure: FormFailure, status = 400) {
  return data(failure, { status });
}
