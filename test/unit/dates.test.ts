import { describe, expect, it } from "vitest";
import { describeDay, describeInstant, fromZonedInput, isTimeZone, timeZoneOr, toZonedInput } from "~/domain/shared/dates";

const at = (timeZone: string, now: string) => ({ timeZone, now });

describe("one way to show a time", () => {
  it("shows an instant in the reader's zone, with the UTC time for the hover", () => {
    const d = describeInstant("2026-12-02T09:30:00Z", at("Europe/Berlin", "2026-12-02T12:00:00Z"));
    expect(d).toEqual({ iso: "2026-12-02T09:30:00.000Z", text: "2 Dec, 10:30", relative: "2 hours ago", utc: "2026-12-02 09:30 UTC" });
  });

  it("shows the same instant as another day on the other side of the world", () => {
    const instant = "2026-12-02T20:00:00Z";
    expect(describeInstant(instant, at("UTC", instant)).text).toBe("2 Dec, 20:00");
    expect(describeInstant(instant, at("Pacific/Auckland", instant)).text).toBe("3 Dec, 09:00");
    expect(describeInstant(instant, at("America/Los_Angeles", instant)).text).toBe("2 Dec, 12:00");
  });

  it("follows daylight saving time", () => {
    expect(describeInstant("2026-07-01T12:00:00Z", at("Europe/Berlin", "2026-07-01T12:00:00Z")).text).toBe("1 Jul, 14:00");
    expect(describeInstant("2026-01-15T12:00:00Z", at("Europe/Berlin", "2026-07-01T12:00:00Z")).text).toBe("15 Jan, 13:00");
  });

  it("names the year only when it is not the reader's current year, in the reader's zone", () => {
    // 23:30 UTC on New Year's Eve is already the next year in Berlin.
    const newYear = "2026-12-31T23:30:00Z";
    expect(describeInstant(newYear, at("Europe/Berlin", "2027-01-01T10:00:00Z")).text).toBe("1 Jan, 00:30");
    expect(describeInstant(newYear, at("UTC", "2027-01-01T10:00:00Z")).text).toBe("31 Dec 2026, 23:30");
    expect(describeInstant("2025-06-01T08:00:00Z", at("UTC", "2026-06-01T08:00:00Z")).text).toBe("1 Jun 2025, 08:00");
  });

  it("gives a relative hint: minutes and hours within a day, then calendar days, weeks, months, years", () => {
    const now = "2026-12-02T12:00:00Z";
    const hint = (value: string, zone = "UTC") => describeInstant(value, at(zone, now)).relative;
    expect(hint("2026-12-02T11:59:30Z")).toBe("just now");
    expect(hint("2026-12-02T11:55:00Z")).toBe("5 minutes ago");
    expect(hint("2026-12-02T14:00:00Z")).toBe("in 2 hours");
    expect(hint("2026-11-30T12:00:00Z")).toBe("2 days ago");
    expect(hint("2026-12-03T18:00:00Z")).toBe("tomorrow");
    expect(hint("2026-11-11T12:00:00Z")).toBe("3 weeks ago");
    expect(hint("2026-08-02T12:00:00Z")).toBe("4 months ago");
    expect(hint("2025-11-02T12:00:00Z")).toBe("last year");
    expect(hint("2023-12-01T12:00:00Z")).toBe("3 years ago");
  });

  it("counts days across a year boundary by the reader's calendar", () => {
    // 30 hours before 10:00 on 1 January in Berlin is 04:00 on 31 December: yesterday.
    expect(describeInstant("2026-12-31T03:00:00Z", at("Europe/Berlin", "2027-01-01T09:00:00Z")).relative).toBe("yesterday");
    expect(describeDay("2026-12-31", at("UTC", "2027-01-01T09:00:00Z"))).toEqual({ iso: "2026-12-31", text: "31 Dec 2026", relative: "yesterday" });
    expect(describeDay("2027-01-02", at("UTC", "2026-12-31T09:00:00Z"))).toEqual({ iso: "2027-01-02", text: "2 Jan 2027", relative: "in 2 days" });
  });

  it("reads a calendar day against today in the reader's zone", () => {
    // 20:00 UTC on 2 December is already 3 December in Auckland: a due date of the 3rd is today there.
    expect(describeDay("2026-12-03", at("Pacific/Auckland", "2026-12-02T20:00:00Z")).relative).toBe("today");
    expect(describeDay("2026-12-03", at("UTC", "2026-12-02T20:00:00Z")).relative).toBe("tomorrow");
    expect(describeDay("2026-12-03", at("UTC", "2026-12-02T20:00:00Z")).text).toBe("3 Dec");
  });

  it("accepts only zones the runtime knows, and falls back to UTC", () => {
    expect(isTimeZone("Europe/Berlin")).toBe(true);
    expect(isTimeZone("UTC")).toBe(true);
    expect(isTimeZone("Mars/Olympus_Mons")).toBe(false);
    expect(isTimeZone("<script>")).toBe(false);
    expect(isTimeZone(42)).toBe(false);
    expect(timeZoneOr("Nowhere/Else")).toBe("UTC");
    expect(describeInstant("2026-12-02T09:30:00Z", at("Nowhere/Else", "2026-12-02T09:30:00Z")).text).toBe("2 Dec, 09:30");
  });
});

describe("date-time inputs in the reader's zone", () => {
  it("shows an instant as the wall clock of the zone, and reads it back to the same instant", () => {
    const instant = new Date("2026-11-26T09:30:00Z");
    expect(toZonedInput(instant, "UTC")).toBe("2026-11-26T09:30");
    expect(toZonedInput(instant, "America/New_York")).toBe("2026-11-26T04:30");
    expect(toZonedInput(instant, "Asia/Kolkata")).toBe("2026-11-26T15:00");
    for (const zone of ["UTC", "America/New_York", "Asia/Kolkata", "Pacific/Auckland"]) {
      expect(fromZonedInput(toZonedInput(instant, zone), zone)).toEqual(instant);
    }
    expect(toZonedInput(null, "UTC")).toBe("");
  });

  it("reads the wall clock across a year boundary and daylight saving", () => {
    expect(fromZonedInput("2027-01-01T00:30", "Europe/Berlin")).toEqual(new Date("2026-12-31T23:30:00Z"));
    expect(fromZonedInput("2026-07-01T12:00", "America/New_York")).toEqual(new Date("2026-07-01T16:00:00Z"));
    expect(fromZonedInput("2026-01-01T12:00", "America/New_York")).toEqual(new Date("2026-01-01T17:00:00Z"));
  });

  it("refuses what is not a date and time", () => {
    expect(fromZonedInput("2026-02-30T10:00", "UTC")).toBeNull();
    expect(fromZonedInput("2026-11-26", "UTC")).toBeNull();
    expect(fromZonedInput("2026-11-26T25:00", "UTC")).toBeNull();
    expect(fromZonedInput("yesterday", "UTC")).toBeNull();
  });
});
