import { describe, expect, it } from "vitest";
import { securityHeaders } from "~/http/security-headers";

describe("the security headers", () => {
  const production = { nonce: "abc123", https: false, development: false };

  it("allow inline scripts only with this response's nonce in production", () => {
    const csp = securityHeaders(production)["Content-Security-Policy"];
    expect(csp).toContain("script-src 'nonce-abc123' 'strict-dynamic' 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).not.toContain("unsafe-eval");
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it("send HSTS and upgrade requests only over https", () => {
    expect(securityHeaders(production)["Strict-Transport-Security"]).toBeUndefined();
    const https = securityHeaders({ ...production, https: true });
    expect(https["Strict-Transport-Security"]).toBe("max-age=31536000; includeSubDomains");
    expect(https["Content-Security-Policy"]).toContain("upgrade-insecure-requests");
  });

  it("loosen scripts for Vite's dev server only", () => {
    const csp = securityHeaders({ ...production, development: true })["Content-Security-Policy"];
    expect(csp).toContain("'unsafe-eval'");
    expect(csp).toContain("ws:");
  });
});
