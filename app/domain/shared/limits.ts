/**
 * The one table of text limits, in characters. The HTML forms, the JSON API and the domain check
 * input against these, and the form messages name them. Client-safe.
 */
export const LIMITS = {
  /** An incident's, postmortem's, decision record's or guardrail action's title. */
  title: 200,
  /** A workspace, a risk area, a person's display name, an API token. */
  name: 80,
  email: 254,
  /** An incident's impact statement. */
  impact: 5000,
  /** A timeline event, a contributing factor, a won't-do reason. */
  text: 2000,
  /** Why a contributing factor needs no guardrail action. */
  noActionReason: 1000,
  /** An evidence note, a review comment, a gate's description. */
  note: 4000,
  /** A pull request's URL. */
  pullRequestUrl: 500,
  /** An evidence URL (a check run, a dashboard). */
  evidenceUrl: 2000,
  gateName: 120,
  /** A repository as owner/name. */
  repository: 140,
  checkName: 200,
  /** A tier's name. */
  tierName: 60,
  /** A tier's summary, an area's description. */
  summary: 300,
  /** A textarea of items, one a line (a tier's checks, a record's deciders). */
  list: 3000,
  /** A textarea of URLs, one a line (a factor's pull requests). */
  urlList: 4000,
  /** A decision record's tags, as typed. */
  tags: 1000,
  /** What a decision link points at: a reference or a URL. */
  linkTarget: 300,
  /** A tag or an area's short name in a filter. */
  filterValue: 80,
} as const;
