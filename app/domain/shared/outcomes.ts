/**
 * The one vocabulary in which the domain says that something could not be done. Domain functions
 * return these, never HTTP status codes; `app/http/outcomes.server.ts` turns them into an HTML
 * form answer or a JSON API answer. Client-safe: no database, no Node APIs.
 */

export type FieldErrors = Record<string, string[] | undefined>;

export type Problem =
  /** The record does not exist in this workspace (or is not the caller's to see). */
  | { ok: false; kind: "not-found"; message?: string }
  /** Another change got there first, or the record's state forbids this step now. */
  | { ok: false; kind: "conflict"; message: string; fieldErrors?: FieldErrors }
  /** The input was wrong; each field's message is shown beside it. */
  | { ok: false; kind: "invalid"; message?: string; fieldErrors?: FieldErrors }
  /** The caller may not do this (a policy rule said no). */
  | { ok: false; kind: "forbidden"; message: string }
  /** The record is frozen (a published postmortem, a superseded decision). */
  | { ok: false; kind: "read-only"; message: string }
  /** The upload or body is larger than the limit for it. */
  | { ok: false; kind: "too-large"; message: string }
  /** Too many attempts (log-ins, password checks): try again after the wait. */
  | { ok: false; kind: "throttled"; message: string; retryAfterSeconds: number };

export type ProblemKind = Problem["kind"];

/** A conflict that carries the record as it now is, so the person can compare and redo. */
export type ConflictWith<Current> = Extract<Problem, { kind: "conflict" }> & { current: Current };

/** Success carries its own fields; failure is one of the problems above. */
export type Outcome<T extends object = object> = ({ ok: true } & T) | Problem;

export const notFound = (message?: string) => ({ ok: false as const, kind: "not-found" as const, message });
export const conflict = (message: string, fieldErrors?: FieldErrors) => ({ ok: false as const, kind: "conflict" as const, message, fieldErrors });
export const invalid = (fieldErrors: FieldErrors, message?: string) => ({ ok: false as const, kind: "invalid" as const, fieldErrors, message });
export const forbidden = (message: string) => ({ ok: false as const, kind: "forbidden" as const, message });
export const readOnly = (message: string) => ({ ok: false as const, kind: "read-only" as const, message });
export const tooLarge = (message: string) => ({ ok: false as const, kind: "too-large" as const, message });
export const throttled = (message: string, retryAfterSeconds: number) => ({ ok: false as const, kind: "throttled" as const, message, retryAfterSeconds });

/** The per-field messages a problem carries, if any. */
export function fieldErrorsOf(problem: Problem): FieldErrors | undefined {
  return problem.kind === "invalid" || problem.kind === "conflict" ? problem.fieldErrors : undefined;
}

/** The HTTP status each problem answers with, for pages and the API alike. */
export const PROBLEM_STATUS: Record<ProblemKind, 400 | 403 | 404 | 409 | 413 | 429> = {
  "not-found": 404,
  conflict: 409,
  invalid: 400,
  forbidden: 403,
  "read-only": 409,
  "too-large": 413,
  throttled: 429,
};
