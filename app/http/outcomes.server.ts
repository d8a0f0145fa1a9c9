/**
 * The domain's problems (app/domain/shared/outcomes.ts) as HTTP answers: one helper for pages and
 * forms, one for the JSON API. The status comes from one table, PROBLEM_STATUS.
 */
import { data, redirect } from "@remix-run/node";
import type { z } from "zod";
import { PROBLEM_STATUS, fieldErrorsOf, type ConflictWith, type Problem } from "~/domain/shared/outcomes";
import { formFailure, invalid, parseForm, submittedValues } from "./forms.server";
import { jsonError } from "./machine.server";

const DEFAULT_MESSAGE: Record<Problem["kind"], string> = {
  "not-found": "Not found",
  conflict: "That changed in the meantime.",
  invalid: "Check the highlighted fields.",
  forbidden: "Not allowed.",
  "read-only": "This is read-only now.",
  "too-large": "That is too large.",
  throttled: "Too many attempts. Try again later.",
};

/** A throttled answer says when to come back. */
function retryHeaders(problem: Problem): Record<string, string> {
  return problem.kind === "throttled" ? { "Retry-After": String(problem.retryAfterSeconds) } : {};
}

/** A problem as a page answer, to throw: the route's error boundary shows its message. */
export function problemResponse(problem: Problem): Response {
  const status = PROBLEM_STATUS[problem.kind];
  return new Response(problem.message ?? DEFAULT_MESSAGE[problem.kind], { status, statusText: statusText(status), headers: retryHeaders(problem) });
}

/**
 * A problem as a form answer: the form comes back with everything typed, and the message beside
 * the fields it concerns (or above the form when it concerns none). A missing record is not the
 * form's fault, so it is thrown as a 404 page instead; an edit that lost a race comes back with
 * the version saved first (editConflict).
 */
export function formProblem<Current = never>(formData: FormData, problem: Problem | ConflictWith<Current>, headers: Record<string, string> = {}) {
  if (problem.kind === "not-found") throw problemResponse(problem);
  if ("current" in problem) return editConflict(formData, problem);
  const fieldErrors = fieldErrorsOf(problem);
  const formError = fieldErrors && Object.values(fieldErrors).some((m) => m?.length) ? undefined : problem.message;
  return formFailure(formData, { fieldErrors, formError }, PROBLEM_STATUS[problem.kind], { ...retryHeaders(problem), ...headers });
}

/**
 * Someone saved first: the edit form comes back with what this user typed and the version saved
 * in the meantime, so both can be compared and nothing typed is lost.
 */
export function editConflict<Current>(formData: FormData, problem: ConflictWith<Current>) {
  return data({ ok: false as const, fieldErrors: {}, values: submittedValues(formData), conflict: problem.current }, { status: 409 });
}

/**
 * The usual form action: parse the form, save, and go to `savedTo` on success; otherwise the form
 * comes back with what was typed and the problem (or the version someone saved first).
 */
export async function submitForm<Schema extends z.ZodType, Current = never>(
  request: Request,
  schema: Schema,
  save: (input: z.output<Schema>) => Promise<{ ok: true } | Problem | ConflictWith<Current>>,
  savedTo: string,
) {
  const formData = await request.formData();
  const parsed = parseForm(schema, formData);
  if (!parsed.ok) return invalid(parsed);
  const result = await save(parsed.data);
  if (result.ok) return redirect(savedTo);
  return formProblem(formData, result);
}

/** A problem as a JSON API error, `{ error: { status, message, fields? } }`. */
export function apiProblem(problem: Problem): Response {
  const fieldErrors = fieldErrorsOf(problem);
  const fields = fieldErrors ? { fields: fieldErrors } : {};
  return jsonError(PROBLEM_STATUS[problem.kind], problem.message ?? DEFAULT_MESSAGE[problem.kind], retryHeaders(problem), fields);
}

function statusText(status: number): string {
  return { 400: "Bad Request", 403: "Forbidden", 404: "Not Found", 409: "Conflict", 413: "Payload Too Large", 429: "Too Many Requests" }[status] ?? "";
}
