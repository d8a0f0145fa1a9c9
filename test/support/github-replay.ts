/**
 * A local HTTP server that answers like GitHub's REST API, replaying response bodies shaped
 * exactly like GitHub's documented examples, so "Check now" runs its real Octokit calls without
 * the internet. Each answer is looked up by method and path; every request is kept for asserts.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export type Replay = { status: number; body: unknown };
export type ReplayServer = {
  url: string;
  requests: Array<{ method: string; path: string; authorization: string | undefined }>;
  answers: Map<string, Replay>;
  close: () => Promise<void>;
};

export async function startGithubReplay(): Promise<ReplayServer> {
  const answers = new Map<string, Replay>();
  const requests: ReplayServer["requests"] = [];
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0]!;
    requests.push({ method: req.method ?? "GET", path, authorization: req.headers.authorization });
    const answer = answers.get(`${req.method} ${path}`) ?? { status: 404, body: { message: "Not Found", documentation_url: "https://docs.github.com/rest", status: "404" } };
    res.writeHead(answer.status, { "content-type": "application/json; charset=utf-8", "x-github-media-type": "github.v3; format=json" });
    res.end(JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests, answers, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** GET /repos/{owner}/{repo}: the fields Check now reads, as in GitHub's "Get a repository" example. */
export function repositoryBody(fullName: string, defaultBranch: string) {
  const [owner, name] = fullName.split("/");
  return {
    id: 1296269,
    node_id: "MDEwOlJlcG9zaXRvcnkxMjk2MjY5",
    name,
    full_name: fullName,
    owner: { login: owner, id: 1, type: "Organization" },
    private: false,
    html_url: `https://github.com/${fullName}`,
    default_branch: defaultBranch,
    visibility: "public",
  };
}

/** GET /repos/{owner}/{repo}/branches/{branch}/protection, as GitHub's "Get branch protection" example. */
export function protectionBody(fullName: string, branch: string, contexts: string[]) {
  const base = `https://api.github.com/repos/${fullName}/branches/${branch}/protection`;
  return {
    url: base,
    required_status_checks: {
      url: `${base}/required_status_checks`,
      strict: true,
      contexts,
      contexts_url: `${base}/required_status_checks/contexts`,
      checks: contexts.map((context) => ({ context, app_id: null })),
    },
    required_pull_request_reviews: {
      url: `${base}/required_pull_request_reviews`,
      dismiss_stale_reviews: true,
      require_code_owner_reviews: true,
      required_approving_review_count: 2,
      require_last_push_approval: true,
    },
    required_signatures: { url: `${base}/required_signatures`, enabled: false },
    enforce_admins: { url: `${base}/enforce_admins`, enabled: true },
    required_linear_history: { enabled: true },
    allow_force_pushes: { enabled: false },
    allow_deletions: { enabled: false },
    block_creations: { enabled: true },
    required_conversation_resolution: { enabled: true },
    lock_branch: { enabled: false },
    allow_fork_syncing: { enabled: true },
  };
}

/** GitHub's answer when a branch has no classic protection. */
export const NOT_PROTECTED: Replay = { status: 404, body: { message: "Branch not protected", documentation_url: "https://docs.github.com/rest/branches/branch-protection#get-branch-protection", status: "404" } };

/** GET /repos/{owner}/{repo}/rules/branches/{branch}, as GitHub's "Get rules for a branch" example, with a status-check rule. */
export function branchRulesBody(fullName: string, contexts: string[]) {
  return [
    { type: "commit_message_pattern", ruleset_source_type: "Repository", ruleset_source: fullName, ruleset_id: 387, parameters: { operator: "starts_with", pattern: "issue" } },
    { type: "commit_author_email_pattern", ruleset_source_type: "Organization", ruleset_source: fullName.split("/")[0], ruleset_id: 11, parameters: { operator: "ends_with", pattern: "github.com" } },
    ...(contexts.length
      ? [{ type: "required_status_checks", ruleset_source_type: "Repository", ruleset_source: fullName, ruleset_id: 388, parameters: { strict_required_status_checks_policy: false, required_status_checks: contexts.map((context) => ({ context, integration_id: 15368 })) } }]
      : []),
  ];
}
