import { describe, expect, it } from "vitest";
import { safeRedirectTarget } from "~/http/redirect-target";

/**
 * Every `redirectTo` goes through one helper. A browser normalises a Location before following it:
 * it drops tabs and newlines, reads a backslash as a slash, and resolves dot segments. What we
 * send must still be a path on this site after all of that.
 */
describe("where a redirectTo may send someone", () => {
  it("keeps a path on this site, with its query and fragment", () => {
    expect(safeRedirectTarget("/w/acme/incidents?status=open#top")).toBe("/w/acme/incidents?status=open#top");
    expect(safeRedirectTarget("/invite/abc123")).toBe("/invite/abc123");
  });

  it.each([
    ["a tab the browser strips", "/\t/evil.example"],
    ["a newline the browser strips", "/\n/evil.example"],
    ["a carriage return", "/\r/evil.example"],
    ["a backslash read as a slash", "/\\evil.example"],
    ["two backslashes", "\\\\evil.example"],
    ["a backslash after a slash and a tab", "/\t\\evil.example"],
    ["a protocol-relative URL", "//evil.example"],
    ["an absolute URL", "https://evil.example/"],
    ["a javascript: URL", "javascript:alert(1)"],
    ["a dot segment that leaves two slashes", "/.//evil.example"],
    ["a parent segment that leaves two slashes", "/a/..//evil.example"],
    ["an encoded slash pair", "/%2F%2Fevil.example"],
    ["an encoded backslash", "/%5Cevil.example"],
    ["a relative path", "evil.example"],
    ["a leading space", " //evil.example"],
  ])("refuses %s", (_why, target) => {
    expect(safeRedirectTarget(target, "/home")).toBe("/home");
  });

  it("never answers with a character a Location header can't carry", () => {
    for (const target of ["/w/acme\r\nSet-Cookie: x=1", "/w/acme\u0000", "/w/caf\u00e9", "/w/\u{1F525}", "/w/\u2028x", "/w/\ud800"]) {
      const answer = safeRedirectTarget(target, "/home");
      expect(answer).toMatch(/^\/[\x21-\x7e]*$/);
      expect(() => new Headers({ Location: answer })).not.toThrow();
    }
  });

  it("keeps non-ASCII paths working by percent-encoding them", () => {
    expect(safeRedirectTarget("/w/acme/search?q=café")).toBe("/w/acme/search?q=caf%C3%A9");
  });

  it("falls back for nothing, non-strings and absurd lengths", () => {
    expect(safeRedirectTarget(undefined, "/x")).toBe("/x");
    expect(safeRedirectTarget(null, "/x")).toBe("/x");
    expect(safeRedirectTarget("", "/x")).toBe("/x");
    expect(safeRedirectTarget(`/${"a".repeat(5000)}`, "/x")).toBe("/x");
  });
});
