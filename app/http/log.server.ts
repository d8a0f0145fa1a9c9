import pino from "pino";

/** Structured JSON logs on stdout, one object a line. LOG_LEVEL=silent in tests that don't read them. */
export const log = pino({
  level: process.env.LOG_LEVEL ?? "info",
  base: { service: "hindsight" },
  timestamp: pino.stdTimeFunctions.isoTime,
  formatters: { level: (label) => ({ level: label }) },
});
