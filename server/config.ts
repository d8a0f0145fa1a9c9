/**
 * The configuration, read from the environment once at start and checked against one schema,
 * so a typo in DATABASE_URL, PORT or SMTP_URL stops the start with one line naming it, instead
 * of failing later inside a request. The server and the command-line tools both call it.
 */
import path from "node:path";
import { z } from "zod";
import { DEFAULT_PGLITE_DIR, type DatabaseTarget } from "#db/connection";
import { parseSecretKey } from "~/domain/integrations/index.server";

const emptyIsUnset = (value: unknown) => (value === "" ? undefined : value);

const SECRET_KEY_RULE = "HINDSIGHT_SECRET_KEY must be 32 random bytes as 64 hex digits or base64 (make one with: openssl rand -base64 32)";
function isSecretKey(text: string): boolean {
  try {
    parseSecretKey(text);
    return true;
  } catch {
    return false;
  }
}

function urlWithProtocols(name: string, protocols: string[], example: string) {
  return z.preprocess(
    emptyIsUnset,
    z
      .string()
      .refine((value) => {
        try {
          return protocols.includes(new URL(value).protocol);
        } catch {
          return false;
        }
      }, `${name} must be a URL starting with ${protocols.map((p) => `${p}//`).join(" or ")}, such as ${example}`)
      .optional(),
  );
}

const schema = z.object({
  NODE_ENV: z.preprocess(emptyIsUnset, z.string().optional()),
  DATABASE_URL: urlWithProtocols("DATABASE_URL", ["postgres:", "postgresql:"], "postgres://user:pass@host:5432/hindsight"),
  REDIS_URL: urlWithProtocols("REDIS_URL", ["redis:"], "redis://127.0.0.1:6379"),
  DATABASE_POOL_MAX: z.preprocess(
    emptyIsUnset,
    z.coerce.number({ error: "DATABASE_POOL_MAX must be a whole number from 1 to 200" }).int().min(1).max(200).default(10),
  ),
  PGLITE_DIR: z.preprocess(emptyIsUnset, z.string().default(DEFAULT_PGLITE_DIR)),
  PORT: z.preprocess(
    emptyIsUnset,
    z.coerce
      .number({ error: "PORT must be a whole number from 0 to 65535" })
      .int("PORT must be a whole number from 0 to 65535")
      .min(0, "PORT must be a whole number from 0 to 65535")
      .max(65535, "PORT must be a whole number from 0 to 65535")
      .default(3000),
  ),
  HOST: z.preprocess(emptyIsUnset, z.string().default("0.0.0.0")),
  LOG_LEVEL: z.preprocess(
    emptyIsUnset,
    z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], { error: "LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent" }).default("info"),
  ),
  TRUST_PROXY: z.preprocess(emptyIsUnset, z.enum(["0", "1"], { error: "TRUST_PROXY must be 1 (behind a reverse proxy) or 0" }).default("0")),
  SMTP_URL: urlWithProtocols("SMTP_URL", ["smtp:", "smtps:"], "smtp://user:pass@mail.example.com:587"),
  MAIL_FROM: z.preprocess(emptyIsUnset, z.string().optional()),
  APP_URL: urlWithProtocols("APP_URL", ["http:", "https:"], "https://hindsight.example.com"),
  HINDSIGHT_SECRET_KEY: z.preprocess(emptyIsUnset, z.string().refine(isSecretKey, SECRET_KEY_RULE).optional()),
  HINDSIGHT_SECRET_KEY_PREVIOUS: z.preprocess(
    emptyIsUnset,
    z
      .string()
      .refine((value) => value.split(",").every((part) => !part.trim() || isSecretKey(part)), `HINDSIGHT_SECRET_KEY_PREVIOUS: each comma-separated key ${SECRET_KEY_RULE.slice("HINDSIGHT_SECRET_KEY ".length)}`)
      .optional(),
  ),
});

const SECRET_BEARING = new Set(["DATABASE_URL", "REDIS_URL", "SMTP_URL", "HINDSIGHT_SECRET_KEY", "HINDSIGHT_SECRET_KEY_PREVIOUS"]);

export type Config = {
  mode: "production" | "development";
  port: number;
  host: string;
  trustProxy: boolean;
  logLevel: string;
  database: DatabaseTarget;
  databasePoolMax: number;
  smtpUrl: string | null;
  mailFrom: string | null;
  appUrl: string | null;
  /** Live co-editing across processes (docs/decisions/0029). */
  redisUrl: string | null;
};

export function loadConfig(env: Record<string, string | undefined> = process.env): { ok: true; config: Config } | { ok: false; line: string } {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      const message = issue.message.startsWith(name) ? issue.message : `${name}: ${issue.message}`;
      // These may carry a password: never echo them.
      return SECRET_BEARING.has(name) ? message : `${message} (got ${JSON.stringify(env[name])})`;
    });
    return { ok: false, line: `Configuration: ${problems.join("; ")}.` };
  }
  const values = parsed.data;
  return {
    ok: true,
    config: {
      mode: values.NODE_ENV === "production" ? "production" : "development",
      port: values.PORT,
      host: values.HOST,
      trustProxy: values.TRUST_PROXY === "1",
      logLevel: values.LOG_LEVEL,
      database: values.DATABASE_URL ? { engine: "postgres", url: values.DATABASE_URL } : { engine: "pglite", dataDir: path.resolve(values.PGLITE_DIR) },
      databasePoolMax: values.DATABASE_POOL_MAX,
      smtpUrl: values.SMTP_URL ?? null,
      mailFrom: values.MAIL_FROM ?? null,
      appUrl: values.APP_URL ?? null,
      redisUrl: values.REDIS_URL ?? null,
    },
  };
}

/** The configuration, or one line on stderr and exit code 1. */
export function configOrStop(env: Record<string, string | undefined> = process.env): Config {
  const loaded = loadConfig(env);
  if (loaded.ok) return loaded.config;
  process.stderr.write(`${loaded.line}\n`);
  process.exit(1);
}
