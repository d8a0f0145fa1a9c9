import pino from "pino";

/** Structured JSON logs on stdout, one object a line. LOG_LEVEL=silent in tests that don't read them. */
const requested = process.env.LOG_LEVEL;
export const log = pino({
  // An unknown level is reported by the configuration check at start (server/config.ts), not here.
  level: requested && (requested in pino.levels.values || requested === "silent") ? requested : "info",
  base: { service: "hindsight" },
  timestamp: pino.stdTimeFunctions.isoTime,
  formatters: { level: (label) => ({ level: label }) },
});
