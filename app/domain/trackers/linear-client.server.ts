import { LinearClient } from "@linear/sdk";
import { TrackerCallError, type RemoteIssue, type TrackerClient } from "./client";
import { linearState } from "./rules";

/**
 * Linear through @linear/sdk's GraphQL client (its transport, auth header and error parsing),
 * with the few documents Hindsight needs written out, so each call asks only for what it reads.
 */
type IssueNode = { id: string; identifier: string; url: string; updatedAt: string; state: { type: string }; assignee?: { name: string; email: string | null } | null };
const ISSUE_FIELDS = "id identifier url updatedAt state { type }";
/** What reading an issue asks for: its fields and its assignee. */
const ISSUE_READ_FIELDS = `${ISSUE_FIELDS} assignee { name email }`;

export function linearClient(options: { apiUrl: string; token: string; team: string }): TrackerClient {
  const client = new LinearClient({ apiKey: options.token, apiUrl: options.apiUrl, signal: AbortSignal.timeout(15_000) });
  async function gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    try {
      const result = await client.client.rawRequest<T, Record<string, unknown>>(query, variables);
      if (!result.data) throw new TrackerCallError(502, "empty answer");
      return result.data;
    } catch (error) {
      if (error instanceof TrackerCallError) throw error;
      const message = error instanceof Error ? error.message.split(": {")[0]! : String(error);
      throw new TrackerCallError(linearStatus(error, message), message);
    }
  }
  const issueOf = (node: IssueNode): RemoteIssue => ({
    id: node.id,
    key: node.identifier,
    url: node.url,
    state: linearState(node.state.type),
    updatedAt: new Date(node.updatedAt),
    ...(node.assignee !== undefined ? { assignee: node.assignee ? { email: node.assignee.email ?? null, name: node.assignee.name } : null } : {}),
  });
  let teamId: string | null = null;
  async function team() {
    const data = await gql<{ teams: { nodes: Array<{ id: string; key: string; name: string }> } }>(
      "query HindsightTeam($key: String!) { teams(filter: { key: { eq: $key } }) { nodes { id key name } } }",
      { key: options.team },
    );
    const found = data.teams.nodes[0];
    if (!found) throw new TrackerCallError(404, `no team with key ${options.team}`);
    teamId = found.id;
    return found;
  }
  return {
    async whoAmI() {
      const data = await gql<{ viewer: { id: string; name: string } }>("query HindsightViewer { viewer { id name } }");
      return { identity: data.viewer.id, name: data.viewer.name };
    },
    async checkTarget() {
      const found = await team();
      return `Team ${found.key} (${found.name}) is reachable.`;
    },
    async findAssignee(email) {
      const data = await gql<{ users: { nodes: Array<{ id: string }> } }>(
        "query HindsightUser($email: String!) { users(filter: { email: { eq: $email } }) { nodes { id } } }",
        { email },
      );
      return data.users.nodes[0]?.id ?? null;
    },
    async createIssue(issue) {
      const input = {
        teamId: teamId ?? (await team()).id,
        title: issue.title,
        description: issue.bodyLines.join("\n"),
        ...(issue.priority ? { priority: Number(issue.priority) } : {}),
        ...(issue.assignee ? { assigneeId: issue.assignee } : {}),
      };
      const data = await gql<{ issueCreate: { success: boolean; issue: IssueNode | null } }>(
        `mutation HindsightIssueCreate($input: IssueCreateInput!) { issueCreate(input: $input) { success issue { ${ISSUE_FIELDS} } } }`,
        { input },
      );
      if (!data.issueCreate.success || !data.issueCreate.issue) throw new TrackerCallError(400, "Linear did not create the issue");
      return issueOf(data.issueCreate.issue);
    },
    async findIssue(key) {
      const data = await gql<{ issue: IssueNode }>(`query HindsightIssue($id: String!) { issue(id: $id) { ${ISSUE_READ_FIELDS} } }`, { id: key });
      return issueOf(data.issue);
    },
    async comment(issueId, text) {
      await gql("mutation HindsightComment($input: CommentCreateInput!) { commentCreate(input: $input) { success } }", { input: { issueId, body: text } });
    },
    async reopen(issueId) {
      const data = await gql<{ issue: { team: { states: { nodes: Array<{ id: string; type: string; position: number }> } } } }>(
        "query HindsightStates($id: String!) { issue(id: $id) { team { states { nodes { id type position } } } } }",
        { id: issueId },
      );
      const states = data.issue.team.states.nodes.filter((s) => s.type === "unstarted" || s.type === "started").sort((a, b) => a.position - b.position);
      const target = states.find((s) => s.type === "unstarted") ?? states[0];
      if (!target) throw new TrackerCallError(409, "the team has no open workflow state");
      await gql("mutation HindsightReopen($id: String!, $input: IssueUpdateInput!) { issueUpdate(id: $id, input: $input) { success } }", { id: issueId, input: { stateId: target.id } });
    },
  };
}

/**
 * The HTTP status a failed Linear call stands for. Linear answers a refusal as a GraphQL error,
 * typed by @linear/sdk (`LinearError.type`), often with HTTP 400, and a missing issue with HTTP
 * 200: the type says which it is, so a revoked key reads "refused" and a missing issue "not
 * found". null when nothing answered (retried).
 */
function linearStatus(error: unknown, message: string): number | null {
  const type = error && typeof error === "object" && "type" in error ? String(error.type) : "";
  const http = error && typeof error === "object" && "status" in error && typeof error.status === "number" ? error.status : null;
  if (type === "AuthenticationError") return 401;
  if (type === "Forbidden" || type === "FeatureNotAccessible") return 403;
  if (type === "Ratelimited") return 429;
  if (/not found/i.test(message)) return 404;
  if (http !== null && http >= 400) return http;
  if (type === "InternalError" || type === "NetworkError" || type === "LockTimeout") return 503;
  if (http === null && (message.includes("fetch failed") || (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")))) return null;
  return 400;
}
