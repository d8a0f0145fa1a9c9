import { describe, expect, it } from "vitest";
import { isNewer, jiraState, labelsFor, linearState, parseIssueUrl, priorityFor, stateEffect, trackerError } from "~/domain/trackers/rules";

describe("tracker mapping", () => {
  it("labels expand {tier} and {severity}; Jira's lose their spaces", () => {
    expect(labelsFor("github", {}, { tier: "T2", severity: "SEV1" })).toEqual(["guardrail", "tier:T2", "severity:SEV1"]);
    expect(labelsFor("jira", { labels: ["risk {tier}", "guardrail", "guardrail"] }, { tier: "T1", severity: "SEV3" })).toEqual(["risk-T1", "guardrail"]);
  });

  it("priority follows the severity, one step higher at T3, with the connection's own names", () => {
    expect(priorityFor("jira", {}, { tier: "T1", severity: "SEV3" })).toBe("Medium");
    expect(priorityFor("jira", {}, { tier: "T3", severity: "SEV3" })).toBe("High");
    expect(priorityFor("jira", {}, { tier: "T3", severity: "SEV1" })).toBe("Highest");
    expect(priorityFor("linear", { priorities: { SEV2: "3" } }, { tier: "T0", severity: "SEV2" })).toBe("3");
    expect(priorityFor("github", {}, { tier: "T2", severity: "SEV2" })).toBeNull();
  });
});

describe("linking by URL", () => {
  it("reads GitHub, Jira and Linear issue addresses", () => {
    expect(parseIssueUrl("https://github.com/Acme/API/issues/12")).toMatchObject({ ok: true, vendor: "github", repository: "acme/api", key: "acme/api#12" });
    expect(parseIssueUrl("https://acme.atlassian.net/browse/PLAT-123")).toMatchObject({ ok: true, vendor: "jira", site: "https://acme.atlassian.net", key: "PLAT-123" });
    expect(parseIssueUrl("https://linear.app/acme/issue/ENG-42/some-title")).toMatchObject({ ok: true, vendor: "linear", key: "ENG-42" });
  });

  it("refuses what is not an issue", () => {
    expect(parseIssueUrl("not a url")).toMatchObject({ ok: false });
    expect(parseIssueUrl("https://github.com/acme/api/pull/12")).toMatchObject({ ok: false });
    expect(parseIssueUrl("ftp://acme.atlassian.net/browse/PLAT-1")).toMatchObject({ ok: false });
  });
});

describe("what a tracker's state does to an action", () => {
  it("closed is done, never verified; reopened is in progress; verified and won't do stay", () => {
    expect(stateEffect("open", "closed")).toEqual({ to: "done" });
    expect(stateEffect("in_progress", "closed")).toEqual({ to: "done" });
    expect(stateEffect("verified", "closed").to).toBeNull();
    expect(stateEffect("done", "open")).toEqual({ to: "in_progress" });
    expect(stateEffect("open", "open")).toEqual({ to: "in_progress" });
    expect(stateEffect("verified", "open").to).toBeNull();
    expect(stateEffect("wont_do", "open").to).toBeNull();
    for (const from of ["open", "in_progress", "done", "verified", "wont_do"] as const) {
      for (const remote of ["open", "closed"] as const) expect(stateEffect(from, remote).to).not.toBe("verified");
    }
  });

  it("judges Jira by status category and Linear by state type", () => {
    expect([jiraState("done"), jiraState("indeterminate"), jiraState("new")]).toEqual(["closed", "open", "open"]);
    expect([linearState("completed"), linearState("canceled"), linearState("started"), linearState("triage")]).toEqual(["closed", "closed", "open", "open"]);
  });

  it("applies only facts newer than the last one applied", () => {
    expect(isNewer(new Date("2026-12-02T10:00:00Z"), null)).toBe(true);
    expect(isNewer(new Date("2026-12-02T10:00:00Z"), new Date("2026-12-02T10:00:00Z"))).toBe(false);
    expect(isNewer(new Date("2026-12-02T09:00:00Z"), new Date("2026-12-02T10:00:00Z"))).toBe(false);
  });

  it("says what a vendor's refusal means", () => {
    expect(trackerError("jira", 403, "")).toBe("Jira answered 403: the token lacks permission for this.");
    expect(trackerError("github", null, "connect ECONNREFUSED")).toBe("GitHub could not be reached: connect ECONNREFUSED");
  });
});
