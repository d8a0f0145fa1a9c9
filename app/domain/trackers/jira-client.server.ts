import { z } from "zod";
import { TrackerCallError, type RemoteIssue, type TrackerClient } from "./client";
import { jiraState } from "./rules";

/**
 * Jira Cloud's REST API v3 through a small typed client over fetch: basic auth with the account's
 * email and API token, answers checked with zod against the shapes Atlassian documents. (jira.js
 * covers the whole API; the five calls Hindsight makes don't need it.)
 */
const Myself = z.object({ accountId: z.string(), displayName: z.string().optional() });
const Project = z.object({ key: z.string(), name: z.string(), issueTypes: z.array(z.object({ name: z.string() })).optional() });
const Users = z.array(z.object({ accountId: z.string() }));
const Created = z.object({ id: z.string(), key: z.string() });
const Issue = z.object({
  id: z.string(),
  key: z.string(),
  fields: z.object({
    status: z.object({ statusCategory: z.object({ key: z.string() }) }),
    updated: z.string(),
    assignee: z.object({ accountId: z.string().optional(), emailAddress: z.string().nullish(), displayName: z.string().optional() }).nullish(),
  }),
});
const Transitions = z.object({ transitions: z.array(z.object({ id: z.string(), name: z.string(), to: z.object({ statusCategory: z.object({ key: z.string() }) }) })) });
const ErrorBody = z.object({ errorMessages: z.array(z.string()).optional(), errors: z.record(z.string(), z.string()).optional() }).passthrough();

/** Atlassian Document Format: one paragraph per line (blank lines dropped). */
export function adf(lines: string[]) {
  return { type: "doc", version: 1, content: lines.filter((l) => l.trim()).map((text) => ({ type: "paragraph", content: [{ type: "text", text }] })) };
}

export function jiraClient(options: { site: string; email: string; token: string; project: string; issueType: string }): TrackerClient {
  const site = options.site.replace(/\/+$/, "");
  const authorization = `Basic ${Buffer.from(`${options.email}:${options.token}`).toString("base64")}`;

  async function request<T>(method: string, path: string, schema: z.ZodType<T> | null, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${site}${path}`, {
        method,
        headers: { authorization, accept: "application/json", ...(body ? { "content-type": "application/json" } : {}) },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(15_000),
      });
    } catch (error) {
      throw new TrackerCallError(null, error instanceof Error ? error.message : String(error));
    }
    const text = await response.text();
    if (!response.ok) {
      let message = "";
      try {
        const parsed = ErrorBody.safeParse(JSON.parse(text));
        if (parsed.success) message = [...(parsed.data.errorMessages ?? []), ...Object.values(parsed.data.errors ?? {})].join("; ");
      } catch {
        // not JSON: the status says enough
      }
      throw new TrackerCallError(response.status, message);
    }
    if (!schema) return undefined as T;
    const parsed = schema.safeParse(text ? JSON.parse(text) : null);
    if (!parsed.success) throw new TrackerCallError(502, `unexpected answer to ${method} ${path}`);
    return parsed.data;
  }

  const issueOf = (data: z.infer<typeof Issue>): RemoteIssue => ({
    id: data.id,
    key: data.key,
    url: `${site}/browse/${data.key}`,
    state: jiraState(data.fields.status.statusCategory.key),
    updatedAt: new Date(data.fields.updated),
    // Jira leaves out emailAddress when the person hides it.
    assignee: data.fields.assignee ? { email: data.fields.assignee.emailAddress ?? null, name: data.fields.assignee.displayName ?? data.fields.assignee.accountId ?? "?" } : null,
  });

  return {
    async whoAmI() {
      const me = await request("GET", "/rest/api/3/myself", Myself);
      return { identity: me.accountId, name: me.displayName ?? me.accountId };
    },
    async checkTarget() {
      const project = await request("GET", `/rest/api/3/project/${encodeURIComponent(options.project)}`, Project);
      const types = project.issueTypes?.map((t) => t.name) ?? [];
      if (types.length && !types.some((t) => t.toLowerCase() === options.issueType.toLowerCase())) {
        throw new TrackerCallError(400, `project ${project.key} has no issue type “${options.issueType}” (it has ${types.join(", ")})`);
      }
      return `Project ${project.key} (${project.name}) is reachable; issues will be “${options.issueType}”.`;
    },
    async findAssignee(email) {
      const users = await request("GET", `/rest/api/3/user/search?query=${encodeURIComponent(email)}`, Users);
      return users[0]?.accountId ?? null;
    },
    async createIssue(issue) {
      const created = await request("POST", "/rest/api/3/issue", Created, {
        fields: {
          project: { key: options.project },
          issuetype: { name: options.issueType },
          summary: issue.title,
          description: adf(issue.bodyLines),
          labels: issue.labels,
          ...(issue.priority ? { priority: { name: issue.priority } } : {}),
          ...(issue.assignee ? { assignee: { accountId: issue.assignee } } : {}),
        },
      });
      return { id: created.id, key: created.key, url: `${site}/browse/${created.key}`, state: "open", updatedAt: new Date() };
    },
    async findIssue(key) {
      return issueOf(await request("GET", `/rest/api/3/issue/${encodeURIComponent(key)}?fields=status,updated,assignee`, Issue));
    },
    async comment(issueId, text) {
      await request("POST", `/rest/api/3/issue/${encodeURIComponent(issueId)}/comment`, null, { body: adf([text]) });
    },
    async reopen(issueId) {
      const { transitions } = await request("GET", `/rest/api/3/issue/${encodeURIComponent(issueId)}/transitions`, Transitions);
      const back = transitions.find((t) => t.to.statusCategory.key === "indeterminate") ?? transitions.find((t) => t.to.statusCategory.key === "new");
      if (!back) throw new TrackerCallError(409, "the workflow offers no transition out of done");
      await request("POST", `/rest/api/3/issue/${encodeURIComponent(issueId)}/transitions`, null, { transition: { id: back.id } });
    },
  };
}
