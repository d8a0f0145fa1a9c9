import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../server/config";

describe("the configuration checked at start", () => {
  it("runs on the embedded database with nothing set", () => {
    expect(loadConfig({})).toEqual({
      ok: true,
      config: {
        mode: "development",
        port: 3000,
        host: "0.0.0.0",
        trustProxy: false,
        logLevel: "info",
        database: { engine: "pglite", dataDir: path.resolve("./.data/pglite") },
        databasePoolMax: 10,
        smtpUrl: null,
        mailFrom: null,
        appUrl: null,
        redisUrl: null,
      },
    });
  });

  it("treats an empty variable as unset", () => {
    expect(loadConfig({ DATABASE_URL: "", PORT: "", SMTP_URL: "" })).toMatchObject({ ok: true, config: { port: 3000, database: { engine: "pglite" }, smtpUrl: null } });
  });

  it("takes Postgres, a port and SMTP when they are well formed", () => {
    const loaded = loadConfig({ NODE_ENV: "production", DATABASE_URL: "postgresql://app@db:5432/hindsight", PORT: "8080", SMTP_URL: "smtps://u:p@mail.example.com", TRUST_PROXY: "1" });
    expect(loaded).toMatchObject({
      ok: true,
      config: { mode: "production", port: 8080, trustProxy: true, database: { engine: "postgres", url: "postgresql://app@db:5432/hindsight" }, smtpUrl: "smtps://u:p@mail.example.com" },
    });
  });

  it("names every bad setting in one line, never echoing a URL that may hold a password", () => {
    const loaded = loadConfig({ DATABASE_URL: "mysql://root:hunter2@db/app", PORT: "80a", SMTP_URL: "mail.example.com", TRUST_PROXY: "yes" });
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    expect(loaded.line.split("\n")).toHaveLength(1);
    expect(loaded.line).toBe(
      "Configuration: DATABASE_URL must be a URL starting with postgres:// or postgresql://, such as postgres://user:pass@host:5432/hindsight; " +
        'PORT must be a whole number from 0 to 65535 (got "80a"); ' +
        'TRUST_PROXY must be 1 (behind a reverse proxy) or 0 (got "yes"); ' +
        "SMTP_URL must be a URL starting with smtp:// or smtps://, such as smtp://user:pass@mail.example.com:587.",
    );
    expect(loaded.line).not.toContain("hunter2");
  });

  it("refuses a port out of range and an unknown log level", () => {
    expect(loadConfig({ PORT: "70000" })).toEqual({ ok: false, line: 'Configuration: PORT must be a whole number from 0 to 65535 (got "70000").' });
    expect(loadConfig({ LOG_LEVEL: "loud" })).toEqual({ ok: false, line: 'Configuration: LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud").' });
  });
});
