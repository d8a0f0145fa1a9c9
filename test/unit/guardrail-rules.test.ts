import { describe, expect, it } from "vitest";
import { isOverdue, parsePullRequestUrl, transitionProblem } from "~/domain/guardrails/rules";

describe("guardrail action status", () => {
  it("can't jump to verified without evidence", () => {
    expect(transitionProblem("open", "verified", {})).toMatch(/evidence/);
    expect(transitionProblem("done", "verified", { evidenceUrl: "  " })).toMatch(/evidence/);
    expect(transitionProblem("done", "verified", { evidenceUrl: "https://github.com/acme/api/actions/runs/1" })).toBeNull();
    expect(transitionProblem("open", "verified", { evidenceNote: "Saw the check block PR #12" })).toBeNull();
  });
  it("needs a reason to drop an action", () => {
    expect(transitionProblem("open", "wont_do", {})).toMatch(/why/);
    expect(transitionProblem("open", "wont_do", { reason: "Superseded by ACT-4" })).toBeNull();
  });
  it("refuses moves that make no sense", () => {
    expect(transitionProblem("verified", "done", {})).toMatch(/can't become/);
    expect(transitionProblem("wont_do", "verified", { evidenceNote: "x" })).toMatch(/can't become/);
    expect(transitionProblem("open", "open", {})).toMatch(/already/);
    expect(transitionProblem("verified", "in_progress", {})).toBeNull();
  });
});

describe("overdue", () => {
  it("is a past due date on an action still to do", () => {
    expect(isOverdue("open", "2026-11-25", "2026-11-26")).toBe(true);
    expect(isOverdue("in_progress", "2026-11-25", "2026-11-26")).toBe(true);
    expect(isOverdue("open", "2026-11-26", "2026-11-26")).toBe(false);
    expect(isOverdue("open", null, "2026-11-26")).toBe(false);
    for (const closed of ["done", "verified", "wont_do"] as const) expect(isOverdue(closed, "2026-01-01", "2026-11-26")).toBe(false);
  });
});

describe("pull request URLs", () => {
  it("are parsed into repository and number", () => {
    expect(parsePullRequestUrl("https://github.com/Acme/api/pull/123")).toEqual({ ok: true, repository: "acme/api", number: 123, url: "https://github.com/acme/api/pull/123" });
    expect(parsePullRequestUrl(" https://github.com/acme/web.app/pull/7/files#diff-1 ")).toMatchObject({ ok: true, repository: "acme/web.app", number: 7 });
    expect(parsePullRequestUrl("https://github.com/acme/api/pull/9?w=1")).toMatchObject({ ok: true, number: 9 });
  });
  it("are refused clearly when they are not GitHub pull requests", () => {
    expect(parsePullRequestUrl("github.com/acme/api/pull/1")).toMatchObject({ ok: false, error: expect.stringMatching(/full URL/) });
    expect(parsePullRequestUrl("http://github.com/acme/api/pull/1")).toMatchObject({ ok: false, error: expect.stringMatching(/GitHub/) });
    expect(parsePullRequestUrl("https://gitlab.com/acme/api/-/merge_requests/1")).toMatchObject({ ok: false });
    expect(parsePullRequestUrl("https://github.com/acme/api/issues/1")).toMatchObject({ ok: false, error: expect.stringMatching(/\/pull\//) });
    expect(parsePullRequestUrl("https://github.com/acme/api/pull/0")).toMatchObject({ ok: false });
    expect(parsePullRequestUrl("javascript:alert(1)")).toMatchObject({ ok: false });
  });
});
