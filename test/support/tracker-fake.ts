/**
 * A local stand-in for GitHub's REST API, Jira Cloud's REST API v3 and Linear's GraphQL API,
 * answering with bodies shaped the way each vendor documents them (only the fields shown, the
 * rest of each documented example left out), and remembering what it was asked, so outbound
 * sync is tested without the internet. GitHub lives under /github, Jira under /jira (the "site"),
 * Linear at /linear/graphql. `failNext` makes the next matching call answer with an error.
 * Each issue keeps the time it last changed (`updatedAt`), from the fake's clock (`setClock`:
 * real time unless a test fixes it), as trackers report it when an issue is read.
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

export type FakeIssue = {
  vendor: "github" | "jira" | "linear";
  id: string;
  key: string;
  title: string;
  body: string;
  labels: string[];
  priority: string | null;
  /** The tracker's user (GitHub login, Jira accountId, Linear user id); its email is the one `users` maps to it. */
  assignee: string | null;
  state: "open" | "closed";
  comments: string[];
  /** When the issue last changed (ISO): set by the fake when it creates or changes an issue, or by a test. */
  updatedAt?: string;
};

export type TrackerFake = {
  url: string;
  github: string;
  jira: string;
  linear: string;
  token: string;
  issues: FakeIssue[];
  requests: Array<{ method: string; path: string; operation?: string }>;
  /** Members' emails each tracker knows, and the user it has for them. */
  users: Map<string, string>;
  failNext: (match: string, status: number, times?: number) => void;
  /** The time the fake stamps on issues it creates or changes; null: the real time. */
  setClock: (at: (() => Date) | null) => void;
  close: () => Promise<void>;
};

export const FAKE_TOKEN = "fake-tracker-token-0000000000000001";

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

export async function startTrackerFake(): Promise<TrackerFake> {
  const issues: FakeIssue[] = [];
  const requests: TrackerFake["requests"] = [];
  const users = new Map<string, string>();
  const failures: Array<{ match: string; status: number; times: number }> = [];
  let url = "";
  let clock: () => Date = () => new Date();
  const now = () => clock().toISOString();
  /** The issue's last change, stamped now if it has none yet; `touch` stamps it now. */
  const updated = (i: FakeIssue) => (i.updatedAt ??= now());
  const touch = (i: FakeIssue) => (i.updatedAt = now());
  /** The email the tracker has for one of its users, if any. */
  const emailOf = (user: string | null) => [...users].find(([, id]) => id === user)?.[0] ?? null;

  const server = createServer(async (req, res) => {
    const full = new URL(req.url ?? "/", "http://fake");
    const path = full.pathname;
    const method = req.method ?? "GET";
    const body = method === "GET" ? {} : await readJson(req);
    const operation = typeof body.query === "string" ? /(?:query|mutation)\s+(\w+)/.exec(body.query)?.[1] : undefined;
    requests.push({ method, path, operation });
    const send = (status: number, payload: unknown) => {
      res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
      res.end(payload === undefined ? "" : JSON.stringify(payload));
    };
    const signature = `${method} ${path}${operation ? ` ${operation}` : ""}`;
    const failure = failures.find((f) => signature.includes(f.match) && f.times > 0);
    if (failure) {
      failure.times -= 1;
      if (path.startsWith("/github")) return send(failure.status, { message: failure.status === 403 ? "Resource not accessible by personal access token" : "Server Error", documentation_url: "https://docs.github.com/rest", status: String(failure.status) });
      if (path.startsWith("/jira")) return send(failure.status, { errorMessages: [failure.status === 403 ? "You do not have permission to create issues in this project." : "Internal server error"], errors: {} });
      return send(failure.status, { errors: [{ message: "Forbidden", extensions: { type: "forbidden", userPresentableMessage: "You don't have access." } }] });
    }
    const auth = req.headers.authorization ?? "";

    // ---------------------------------------------------------------- GitHub REST
    if (path.startsWith("/github/")) {
      if (!auth.endsWith(FAKE_TOKEN)) return send(401, { message: "Bad credentials", documentation_url: "https://docs.github.com/rest", status: "401" });
      const rest = path.slice("/github".length);
      if (method === "GET" && rest === "/user") return send(200, { login: "hindsight-bot", id: 583231, node_id: "MDQ6VXNlcjU4MzIzMQ==", type: "User", site_admin: false, name: "Hindsight Bot" });
      if (method === "GET" && rest === "/search/users") {
        const email = (full.searchParams.get("q") ?? "").replace(/\s+in:email$/, "");
        const login = users.get(email.toLowerCase());
        return send(200, { total_count: login ? 1 : 0, incomplete_results: false, items: login ? [{ login, id: 1, type: "User", score: 1 }] : [] });
      }
      const repo = /^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/.exec(rest);
      if (repo) {
        const fullName = `${repo[1]}/${repo[2]}`;
        const sub = repo[3] ?? "";
        const issueJson = (i: FakeIssue) => ({
          id: 1000 + Number(i.id),
          node_id: `I_kwDO${i.id}`,
          url: `${url}/github/repos/${fullName}/issues/${i.id}`,
          html_url: `https://github.com/${fullName}/issues/${i.id}`,
          number: Number(i.id),
          state: i.state,
          title: i.title,
          body: i.body,
          labels: i.labels.map((name, n) => ({ id: n + 1, name, color: "ededed", default: false })),
          assignee: i.assignee ? { login: i.assignee, id: 2, type: "User", email: emailOf(i.assignee) } : null,
          assignees: i.assignee ? [{ login: i.assignee, id: 2, type: "User", email: emailOf(i.assignee) }] : [],
          comments: i.comments.length,
          created_at: updated(i),
          updated_at: updated(i),
          closed_at: i.state === "closed" ? updated(i) : null,
          author_association: "OWNER",
        });
        if (method === "GET" && sub === "") return send(200, { id: 1296269, name: repo[2], full_name: fullName, private: false, has_issues: true, html_url: `https://github.com/${fullName}`, default_branch: "main" });
        if (method === "POST" && sub === "/issues") {
          const issue: FakeIssue = { vendor: "github", id: String(issues.filter((i) => i.vendor === "github").length + 1), key: "", title: String(body.title), body: String(body.body ?? ""), labels: (body.labels as string[]) ?? [], priority: null, assignee: ((body.assignees as string[]) ?? [])[0] ?? null, state: "open", comments: [] };
          issue.key = `${fullName}#${issue.id}`;
          issues.push(issue);
          touch(issue);
          return send(201, issueJson(issue));
        }
        const one = /^\/issues\/(\d+)(\/comments)?$/.exec(sub);
        const issue = one ? issues.find((i) => i.vendor === "github" && i.key === `${fullName}#${one[1]}`) : undefined;
        if (one && !issue) return send(404, { message: "Not Found", documentation_url: "https://docs.github.com/rest/issues/issues#get-an-issue", status: "404" });
        if (issue && one?.[2] && method === "POST") {
          issue.comments.push(String(body.body));
          touch(issue);
          return send(201, { id: 1, node_id: "IC_1", html_url: `https://github.com/${fullName}/issues/${issue.id}#issuecomment-1`, body: body.body, created_at: now(), updated_at: now() });
        }
        if (issue && method === "PATCH") {
          if (body.state === "open" || body.state === "closed") issue.state = body.state;
          touch(issue);
          return send(200, issueJson(issue));
        }
        if (issue && method === "GET") return send(200, issueJson(issue));
      }
      return send(404, { message: "Not Found", documentation_url: "https://docs.github.com/rest", status: "404" });
    }

    // ---------------------------------------------------------------- Jira Cloud REST v3
    if (path.startsWith("/jira/")) {
      if (auth !== `Basic ${Buffer.from(`bot@example.com:${FAKE_TOKEN}`).toString("base64")}`) return send(401, { errorMessages: ["You are not authenticated. Authentication required to perform this operation."], errors: {} });
      const rest = path.slice("/jira".length);
      const self = (p: string) => `${url}/jira/rest/api/3${p}`;
      if (method === "GET" && rest === "/rest/api/3/myself") return send(200, { self: self("/user?accountId=5b10a2844c20165700ede21g"), accountId: "5b10a2844c20165700ede21g", accountType: "atlassian", emailAddress: "bot@example.com", displayName: "Hindsight Bot", active: true, timeZone: "UTC" });
      const project = /^\/rest\/api\/3\/project\/([A-Z0-9_]+)$/.exec(rest);
      if (method === "GET" && project) {
        if (project[1] !== "PLAT") return send(404, { errorMessages: [`No project could be found with key '${project[1]}'.`], errors: {} });
        return send(200, { self: self("/project/10000"), id: "10000", key: "PLAT", name: "Platform", projectTypeKey: "software", issueTypes: [{ self: self("/issuetype/3"), id: "3", name: "Task", subtask: false }, { self: self("/issuetype/1"), id: "1", name: "Bug", subtask: false }] });
      }
      if (method === "GET" && rest === "/rest/api/3/user/search") {
        const accountId = users.get((full.searchParams.get("query") ?? "").toLowerCase());
        return send(200, accountId ? [{ self: self(`/user?accountId=${accountId}`), accountId, accountType: "atlassian", displayName: "Member", active: true }] : []);
      }
      if (method === "POST" && rest === "/rest/api/3/issue") {
        const fields = body.fields as Record<string, unknown>;
        const n = issues.filter((i) => i.vendor === "jira").length + 1;
        const description = JSON.stringify(fields.description ?? "");
        const issue: FakeIssue = { vendor: "jira", id: String(10000 + n), key: `PLAT-${n}`, title: String(fields.summary), body: description, labels: (fields.labels as string[]) ?? [], priority: (fields.priority as { name?: string } | undefined)?.name ?? null, assignee: (fields.assignee as { accountId?: string } | undefined)?.accountId ?? null, state: "open", comments: [] };
        issues.push(issue);
          touch(issue);
        return send(201, { id: issue.id, key: issue.key, self: self(`/issue/${issue.id}`) });
      }
      const one = /^\/rest\/api\/3\/issue\/([^/]+)(\/comment|\/transitions)?$/.exec(rest);
      const issue = one ? issues.find((i) => i.vendor === "jira" && (i.id === one[1] || i.key === one[1])) : undefined;
      if (one && !issue) return send(404, { errorMessages: ["Issue does not exist or you do not have permission to see it."], errors: {} });
      if (issue && one?.[2] === "/comment" && method === "POST") {
        issue.comments.push(JSON.stringify(body.body));
        touch(issue);
        return send(201, { self: self(`/issue/${issue.id}/comment/10000`), id: "10000", body: body.body, created: now(), updated: now() });
      }
      const category = (key: string, id: number, name: string) => ({ self: self(`/statuscategory/${id}`), id, key, colorName: "blue-gray", name });
      if (issue && one?.[2] === "/transitions" && method === "GET") {
        return send(200, {
          expand: "transitions",
          transitions: [
            { id: "11", name: "To Do", to: { self: self("/status/10000"), name: "To Do", id: "10000", statusCategory: category("new", 2, "To Do") }, hasScreen: false, isAvailable: true },
            { id: "21", name: "In Progress", to: { self: self("/status/3"), name: "In Progress", id: "3", statusCategory: category("indeterminate", 4, "In Progress") }, hasScreen: false, isAvailable: true },
            { id: "31", name: "Done", to: { self: self("/status/10001"), name: "Done", id: "10001", statusCategory: category("done", 3, "Done") }, hasScreen: false, isAvailable: true },
          ],
        });
      }
      if (issue && one?.[2] === "/transitions" && method === "POST") {
        const id = (body.transition as { id?: string } | undefined)?.id;
        issue.state = id === "31" ? "closed" : "open";
        touch(issue);
        return send(204, undefined);
      }
      if (issue && method === "GET") {
        const done = issue.state === "closed";
        const email = emailOf(issue.assignee);
        const assignee = issue.assignee ? { self: self(`/user?accountId=${issue.assignee}`), accountId: issue.assignee, ...(email ? { emailAddress: email } : {}), displayName: email ? email.split("@")[0] : issue.assignee, active: true, timeZone: "UTC", accountType: "atlassian" } : null;
        // Jira writes times with a numeric offset and no colon: 2026-12-02T10:00:00.000+0000.
        const at = updated(issue).replace("Z", "+0000");
        return send(200, { id: issue.id, key: issue.key, self: self(`/issue/${issue.id}`), fields: { summary: issue.title, status: { name: done ? "Done" : "To Do", id: done ? "10001" : "10000", statusCategory: done ? category("done", 3, "Done") : category("new", 2, "To Do") }, assignee, updated: at } });
      }
      return send(404, { errorMessages: ["Not found"], errors: {} });
    }

    // ---------------------------------------------------------------- Linear GraphQL
    if (path === "/linear/graphql" && method === "POST") {
      if (auth !== FAKE_TOKEN) return send(400, { errors: [{ message: "Authentication required, not authenticated", extensions: { type: "authentication error", code: "AUTHENTICATION_ERROR", userPresentableMessage: "You need to authenticate to access this operation." } }] });
      const variables = (body.variables ?? {}) as Record<string, unknown>;
      const node = (i: FakeIssue) => ({
        id: i.id,
        identifier: i.key,
        url: `https://linear.app/acme/issue/${i.key}/${i.title.toLowerCase().replace(/[^a-z0-9]+/g, "-").slice(0, 40)}`,
        updatedAt: updated(i),
        state: { type: i.state === "closed" ? "completed" : "unstarted" },
        assignee: i.assignee ? { id: i.assignee, name: emailOf(i.assignee)?.split("@")[0] ?? i.assignee, email: emailOf(i.assignee) } : null,
      });
      const find = (id: unknown) => issues.find((i) => i.vendor === "linear" && (i.id === id || i.key === id));
      switch (operation) {
        case "HindsightViewer":
          return send(200, { data: { viewer: { id: "7a4d1c4e-5c8b-4b0b-9d1a-1d2b3c4d5e6f", name: "Hindsight Bot" } } });
        case "HindsightTeam":
          return send(200, { data: { teams: { nodes: variables.key === "ENG" ? [{ id: "72b2a2dc-6f4f-4423-9d34-24b5bd10634a", key: "ENG", name: "Engineering" }] : [] } } });
        case "HindsightUser": {
          const id = users.get(String(variables.email).toLowerCase());
          return send(200, { data: { users: { nodes: id ? [{ id }] : [] } } });
        }
        case "HindsightIssueCreate": {
          const input = variables.input as Record<string, unknown>;
          const n = issues.filter((i) => i.vendor === "linear").length + 1;
          const issue: FakeIssue = { vendor: "linear", id: `2174add1-f7c8-44e3-bbf3-2d60b5ea8b${String(n).padStart(2, "0")}`, key: `ENG-${n}`, title: String(input.title), body: String(input.description ?? ""), labels: [], priority: input.priority === undefined ? null : String(input.priority), assignee: (input.assigneeId as string | undefined) ?? null, state: "open", comments: [] };
          issues.push(issue);
          touch(issue);
          return send(200, { data: { issueCreate: { success: true, issue: node(issue) } } });
        }
        case "HindsightIssue": {
          const issue = find(variables.id);
          return issue ? send(200, { data: { issue: node(issue) } }) : send(200, { data: null, errors: [{ message: "Entity not found: Issue", extensions: { type: "invalid input", userPresentableMessage: "Could not find referenced Issue." } }] });
        }
        case "HindsightComment": {
          const input = variables.input as Record<string, unknown>;
          const issue = find(input.issueId);
          issue?.comments.push(String(input.body));
          if (issue) touch(issue);
          return send(200, { data: { commentCreate: { success: true } } });
        }
        case "HindsightStates":
          return send(200, { data: { issue: { team: { states: { nodes: [{ id: "s-backlog", type: "backlog", position: 0 }, { id: "s-todo", type: "unstarted", position: 1 }, { id: "s-doing", type: "started", position: 2 }, { id: "s-done", type: "completed", position: 3 }] } } } } });
        case "HindsightReopen": {
          const issue = find(variables.id);
          if (issue) {
            issue.state = "open";
            touch(issue);
          }
          return send(200, { data: { issueUpdate: { success: true } } });
        }
      }
      return send(400, { errors: [{ message: `Unknown operation ${operation}` }] });
    }
    send(404, { message: "Not Found" });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  url = `http://127.0.0.1:${port}`;
  return {
    url,
    github: `${url}/github`,
    jira: `${url}/jira`,
    linear: `${url}/linear/graphql`,
    token: FAKE_TOKEN,
    issues,
    requests,
    users,
    failNext: (match, status, times = 1) => failures.push({ match, status, times }),
    setClock: (at) => {
      clock = at ?? (() => new Date());
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
