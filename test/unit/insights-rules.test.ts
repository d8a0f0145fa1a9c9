import { describe, expect, test } from "vitest";
import {
  daysToVerified,
  median,
  p90,
  periodEnds,
  periodsBetween,
  periodStart,
  rangeBounds,
  recurringCategories,
  share,
  timelinessBucket,
  toCsv,
  trend,
  unpublishedAfter,
} from "~/domain/insights/rules";
import { filtersQuery, parseInsightsFilters } from "~/domain/insights/index.server";

const at = (iso: string) => new Date(iso);

describe("median and p90", () => {
  test("odd and even counts, in any order", () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
  test("p90 interpolates between the closest ranks, as percentile_cont does", () => {
    // Ranks 0..9: p90 sits at rank 8.1, between 9 and 10.
    expect(p90([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toBeCloseTo(9.1, 10);
    expect(p90([10, 20])).toBe(19);
    expect(p90([42])).toBe(42);
  });
  test("no values: no median, no p90, no share, no trend", () => {
    expect(median([])).toBeNull();
    expect(p90([])).toBeNull();
    expect(share(0, 0)).toBeNull();
    expect(trend(10, null)).toBeNull();
    expect(trend(10, 0)).toBeNull();
    expect(trend(12, 10)).toBeCloseTo(0.2, 10);
  });
});

describe("periods", () => {
  test("a week starts on Monday in UTC, also across a year boundary", () => {
    // Thursday 1 Jan 2026 belongs to the ISO week that starts Monday 29 Dec 2025.
    expect(periodStart(at("2026-01-01T12:00:00Z"), "week")).toBe("2025-12-29");
    expect(periodStart(at("2025-12-28T23:59:59Z"), "week")).toBe("2025-12-22");
    expect(periodStart(at("2026-01-05T00:00:00Z"), "week")).toBe("2026-01-05");
  });
  test("weeks between two days across New Year, in order, none missing", () => {
    expect(periodsBetween(at("2025-12-20T00:00:00Z"), at("2026-01-13T00:00:00Z"), "week")).toEqual([
      "2025-12-15",
      "2025-12-22",
      "2025-12-29",
      "2026-01-05",
      "2026-01-12",
    ]);
  });
  test("months across a year boundary", () => {
    expect(periodsBetween(at("2025-11-15T00:00:00Z"), at("2026-02-01T00:00:00Z"), "month")).toEqual(["2025-11-01", "2025-12-01", "2026-01-01"]);
  });
  test("an empty range has no periods and no readings", () => {
    const t = at("2026-03-01T00:00:00Z");
    expect(periodsBetween(t, t, "week")).toEqual([]);
    expect(periodEnds(t, t, "month")).toEqual([]);
  });
  test("the backlog is read at each period's end, the last one clipped to the range's end", () => {
    expect(periodEnds(at("2025-12-10T00:00:00Z"), at("2026-01-20T00:00:00Z"), "month")).toEqual([
      { period: "2025-12-01", at: at("2026-01-01T00:00:00Z") },
      { period: "2026-01-01", at: at("2026-01-20T00:00:00Z") },
    ]);
  });
});

describe("filters", () => {
  test("presets end today; 90 days are charted per week, 365 per month", () => {
    const f = parseInsightsFilters(new URLSearchParams(), "2026-01-10");
    expect(f).toMatchObject({ range: "90", from: "2025-10-13", to: "2026-01-10", areas: [], tier: null, severity: null });
    expect(rangeBounds(f)).toMatchObject({ days: 90, grain: "week", start: at("2025-10-13T00:00:00Z"), end: at("2026-01-11T00:00:00Z") });
    const year = parseInsightsFilters(new URLSearchParams("range=365"), "2026-01-10");
    expect(rangeBounds(year).grain).toBe("month");
    // 365 days before 11 Jan 2025 is 12 Jan 2024: 2024 has a 29 February.
    expect(rangeBounds(year).previousStart).toEqual(at("2024-01-12T00:00:00Z"));
  });
  test("a custom range, areas, tier and severity; bad values fall back", () => {
    const f = parseInsightsFilters(new URLSearchParams("range=custom&from=2025-12-01&to=2026-01-31&area=billing&area=auth&area=Bad Slug&tier=T2&severity=SEV9"), "2026-02-10");
    expect(f).toEqual({ range: "custom", from: "2025-12-01", to: "2026-01-31", areas: ["auth", "billing"], tier: "T2", severity: null });
    expect(parseInsightsFilters(filtersQuery(f), "2026-02-10")).toEqual(f);
    // Reversed or impossible days: the default range instead.
    expect(parseInsightsFilters(new URLSearchParams("range=custom&from=2026-02-01&to=2026-01-01"), "2026-02-10").range).toBe("90");
    expect(parseInsightsFilters(new URLSearchParams("range=custom&from=2026-02-30&to=2026-03-01"), "2026-03-10").range).toBe("90");
  });
});

describe("recurrence", () => {
  test("a category named in more than one incident recurs; it is flagged while none of its actions is verified", () => {
    const result = recurringCategories([
      { category: "missing_test", incidentId: "a", actionStatuses: ["open"] },
      { category: "missing_test", incidentId: "b", actionStatuses: ["done"] },
      { category: "review_gap", incidentId: "a", actionStatuses: ["verified"] },
      { category: "review_gap", incidentId: "c", actionStatuses: [] },
      // Twice in one incident is not a recurrence.
      { category: "runbook_gap", incidentId: "d", actionStatuses: [] },
      { category: "runbook_gap", incidentId: "d", actionStatuses: [] },
    ]);
    expect(result).toEqual([
      { category: "missing_test", incidents: 2, verifiedActions: 0, flagged: true },
      { category: "review_gap", incidents: 2, verifiedActions: 1, flagged: false },
    ]);
  });
  test("no factors, no recurrence", () => {
    expect(recurringCategories([])).toEqual([]);
  });
});

describe("follow-through and timeliness", () => {
  test("time to verified counts from opened to verified, only for verified actions", () => {
    expect(daysToVerified({ status: "verified", created_at: at("2026-01-01T00:00:00Z"), verified_at: at("2026-01-04T12:00:00Z") })).toBe(3.5);
    expect(daysToVerified({ status: "done", created_at: at("2026-01-01T00:00:00Z"), verified_at: null })).toBeNull();
  });
  test("timeliness buckets are inclusive of their upper day", () => {
    expect(timelinessBucket(0.5)).toBe("1d");
    expect(timelinessBucket(1)).toBe("1d");
    expect(timelinessBucket(7)).toBe("7d");
    expect(timelinessBucket(30.01)).toBe("later");
    expect(timelinessBucket(null)).toBe("unpublished");
  });
  test("unpublished after N days counts only once N days have passed", () => {
    const resolved = at("2026-01-01T00:00:00Z");
    const now = at("2026-01-20T00:00:00Z");
    expect(unpublishedAfter(resolved, null, 7, now)).toBe(true);
    expect(unpublishedAfter(resolved, at("2026-01-05T00:00:00Z"), 7, now)).toBe(false);
    expect(unpublishedAfter(resolved, at("2026-01-09T00:00:00Z"), 7, now)).toBe(true);
    expect(unpublishedAfter(resolved, null, 30, now)).toBeNull();
  });
});

test("CSV quotes what needs quoting and ends lines in CRLF", () => {
  expect(toCsv(["Area", "Open"], [["Billing, payments", 3], ['Say "hi"', 0]])).toBe('Area,Open\r\n"Billing, payments",3\r\n"Say ""hi""",0\r\n');
});
