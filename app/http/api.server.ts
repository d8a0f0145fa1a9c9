/**
 * The JSON API's one access check and its input parsing. A caller sends a workspace API token as
 * `Authorization: Bearer hs_…`. No token or a bad one: 401. A token for another workspace (or a
 * workspace that does not exist): 404, so slugs can't be probed. Then the one policy decides what
 * the token may do (its scope, capped by its creator's role): a read token on a write is a 403.
 */
import type { z } from "zod";
import { authorize, type PolicyAction, type SubjectArgs } from "~/domain/policy/rules";
import { PROBLEM_STATUS } from "~/domain/shared/outcomes";
import { tokenActor } from "./authorize.server";
import { authenticateApiToken, type ApiCaller } from "~/domain/integrations/index.server";
import { database } from "./db.server";
import { jsonError, parseJsonBody, readBody, refuse, refused } from "./machine.server";
import { UNSTORABLE_MESSAGE, unstorableField } from "./text-input";

const REALM = { "WWW-Authenticate": 'Bearer realm="hindsight-api"' };

export async function requireApiCaller<A extends PolicyAction>(request: Request, slug: string | undefined, action: A, ...subject: SubjectArgs<A>): Promise<ApiCaller> {
  const context = { source: "api", method: request.method, path: new URL(request.url).pathname };
  const token = request.headers.get("authorization")?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
  if (!token) throw refuse(401, "Send an API token as Authorization: Bearer <token>.", context, REALM);
  const caller = await authenticateApiToken(await database(), token);
  if (!caller) throw refuse(401, "The token is not valid: unknown, revoked, or its creator left the workspace.", context, REALM);
  if (!slug || caller.workspaceSlug !== slug) throw refuse(404, "Workspace not found.", { ...context, tokenId: caller.tokenId });
  const decision = authorize(tokenActor(caller), action, ...subject);
  if (!decision.ok) throw refuse(PROBLEM_STATUS[decision.kind], decision.message ?? "Not allowed.", { ...context, tokenId: caller.tokenId });
  return caller;
}

/** A JSON body validated by one zod schema; a 400 names each field that is wrong. */
export async function readJsonInput<S extends z.ZodType>(request: Request, schema: S): Promise<z.output<S>> {
  const context = { source: "api", method: request.method, path: new URL(request.url).pathname };
  const payload = await refused(context, async () => parseJsonBody(await readBody(request)));
  const unstorable = unstorableField(payload);
  if (unstorable !== null) throw refuse(400, "The request body is not valid.", { ...context, fields: [unstorable] }, {}, { fields: { [unstorable]: [UNSTORABLE_MESSAGE] } });
  const result = schema.safeParse(payload);
  if (result.success) return result.data;
  const fields: Record<string, string[]> = {};
  for (const issue of result.error.issues) (fields[issue.path.join(".") || "_"] ??= []).push(issue.message);
  throw refuse(400, "The request body is not valid.", { ...context, fields: Object.keys(fields) }, {}, { fields });
}

/** Query parameters validated by one zod schema; unknown values are a 400, not silently ignored. */
export function readQuery<S extends z.ZodType>(request: Request, schema: S): z.output<S> {
  const url = new URL(request.url);
  const result = schema.safeParse(Object.fromEntries(url.searchParams));
  if (result.success) return result.data;
  const fields: Record<string, string[]> = {};
  for (const issue of result.error.issues) (fields[issue.path.join(".") || "_"] ??= []).push(issue.message);
  throw refuse(400, "The query parameters are not valid.", { source: "api", method: request.method, path: url.pathname }, {}, { fields });
}

/** A record number in the path; anything else is a JSON 404. */
export function numberParam(value: string | undefined): number {
  const number = Number(value);
  if (!value || !/^\d{1,9}$/.test(value) || number < 1) throw jsonError(404, "Not found.");
  return number;
}

export function notFoundJson(what = "Not found."): Response {
  return jsonError(404, what);
}

