/**
 * The domain's problems (app/domain/shared/outcomes.ts) as HTTP answers: one helper for pages and
 * forms, one for the JSON API. The status comes from one table, PROBLEM_STATUS.
 */
import { PROBLEM_STATUS, fieldErrorsOf, type Problem } from "~/domain/shared/outcomes";
import { formFailure } from "./forms.server";
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
 * form's fault, so it is thrown as a 404 page instead.
 */
export function formProblem(formData: FormData, problem: Problem, headers: Record<string, string> = {}) {
  if (problem.kind === "not-found") throw problemResponse(problem);
  const fieldErrors = fieldErrorsOf(problem);
  const formError = fieldErrors && Object.values(fieldErrors).some((m) => m?.length) ? undefined : problem.message;
  return formFailure(formData, { fieldErrors, formError }, PROBLEM_STATUS[problem.kind], { ...retryHeaders(problem), ...headers });
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
