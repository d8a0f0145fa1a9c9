/** What every tracker client offers Hindsight, whatever the vendor. Pure types and one error. */
import type { IssueState } from "./rules";

export type RemoteIssue = {
  id: string;
  key: string;
  url: string;
  state: IssueState;
  /** When the issue last changed at the tracker: the time its state and assignee are known as of. */
  updatedAt: Date;
  /** Its assignee (null: nobody), with an email where the tracker gives one; undefined when the answer does not say. */
  assignee?: { email: string | null; name: string } | null;
};

export type NewIssue = { title: string; bodyLines: string[]; labels: string[]; priority: string | null; assignee: string | null };

export interface TrackerClient {
  /** Who the token acts as: a GitHub login, a Jira accountId, a Linear user id; and a name to show. */
  whoAmI(): Promise<{ identity: string; name: string }>;
  /** That the repository, project or team exists and the token can see it; a sentence saying so. */
  checkTarget(): Promise<string>;
  /** The tracker's user for a member's email, or null. */
  findAssignee(email: string): Promise<string | null>;
  createIssue(issue: NewIssue): Promise<RemoteIssue>;
  /** An existing issue as it is now, by its id or the key its URL shows (GitHub: the number; Jira, Linear: the key). */
  findIssue(key: string): Promise<RemoteIssue>;
  comment(issueId: string, text: string): Promise<void>;
  reopen(issueId: string): Promise<void>;
}

/** A call the tracker refused or that did not get through; `status` null when nothing answered. */
export class TrackerCallError extends Error {
  override name = "TrackerCallError";
  constructor(
    readonly status: number | null,
    message: string,
  ) {
    super(message);
  }
  /** Worth trying again later: nothing answered, rate limits, the service's own failures. */
  get retryable(): boolean {
    return this.status === null || this.status === 429 || this.status === 408 || this.status >= 500;
  }
}
