import { Octokit } from "@octokit/rest";
import { TrackerCallError, type RemoteIssue, type TrackerClient } from "./client";

/** GitHub Issues through @octokit/rest (REST v3); the address is the connection's (GitHub Enterprise, tests' fake). */
export function githubClient(options: { baseUrl: string; token: string; repository: string }): TrackerClient {
  const [owner, repo] = options.repository.split("/") as [string, string];
  const octokit = new Octokit({ auth: options.token, baseUrl: options.baseUrl, userAgent: "hindsight-trackers", request: { signal: AbortSignal.timeout(15_000) }, log: quiet });
  const issueOf = (data: { number: number; html_url: string; state?: string; updated_at: string; assignee?: { login: string; email?: string | null } | null }): RemoteIssue => ({
    id: String(data.number),
    key: `${options.repository}#${data.number}`,
    url: data.html_url,
    state: data.state === "closed" ? "closed" : "open",
    updatedAt: new Date(data.updated_at),
    // GitHub's user objects carry an email only when the person made it public.
    assignee: data.assignee ? { email: data.assignee.email ?? null, name: data.assignee.login } : null,
  });
  return {
    whoAmI: () => call(async () => {
      const { data } = await octokit.rest.users.getAuthenticated();
      return { identity: data.login, name: data.name ?? data.login };
    }),
    checkTarget: () => call(async () => {
      const { data } = await octokit.rest.repos.get({ owner, repo });
      if (!data.has_issues) throw new TrackerCallError(422, `${data.full_name} has issues turned off`);
      return `Repository ${data.full_name} is reachable and takes issues.`;
    }),
    findAssignee: (email) => call(async () => {
      const { data } = await octokit.rest.search.users({ q: `${email} in:email`, per_page: 1 });
      return data.items[0]?.login ?? null;
    }),
    createIssue: (issue) => call(async () => {
      const { data } = await octokit.rest.issues.create({
        owner,
        repo,
        title: issue.title,
        body: issue.bodyLines.join("\n"),
        labels: issue.labels,
        ...(issue.assignee ? { assignees: [issue.assignee] } : {}),
      });
      return issueOf(data);
    }),
    findIssue: (key) => call(async () => issueOf((await octokit.rest.issues.get({ owner, repo, issue_number: Number(key) })).data)),
    comment: (issueId, text) => call(async () => {
      await octokit.rest.issues.createComment({ owner, repo, issue_number: Number(issueId), body: text });
    }),
    reopen: (issueId) => call(async () => {
      await octokit.rest.issues.update({ owner, repo, issue_number: Number(issueId), state: "open" });
    }),
  };
}

const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

async function call<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof TrackerCallError) throw error;
    const status = error instanceof Error && "status" in error && typeof error.status === "number" ? error.status : null;
    const message = error instanceof Error ? error.message : String(error);
    throw new TrackerCallError(status, message);
  }
}
