import { IMPORT_LIMITS } from "~/domain/decisions/index.server";
import { MAX_BODY_BYTES } from "./machine.server";

/**
 * How many body bytes a request may send, by path. The server counts them while they arrive
 * (server/remix-handler.ts) and answers 413 as soon as a request passes its limit, before
 * anything is buffered: a declared Content-Length over it is refused without reading a byte.
 */
const KB = 1024;
const MB = 1024 * KB;

const BODY_LIMITS = {
  /** Log-in, sign-up, account and invite forms: a few short fields. */
  auth: 64 * KB,
  /** Webhooks and the JSON API (their routes read at most this much too). */
  machine: MAX_BODY_BYTES,
  /** Decision record imports: the whole upload plus room for the multipart framing. */
  import: IMPORT_LIMITS.totalBytes + 1 * MB,
  /** Every other form and the document saves (documents are capped at 1 MB by the save itself). */
  default: 2 * MB,
} as const;

export function bodyLimitFor(path: string): number {
  if (/^\/(login|signup|logout|account|invite\/[^/]+)(\.data)?$/.test(path)) return BODY_LIMITS.auth;
  if (/^\/(webhooks|api)\//.test(path)) return BODY_LIMITS.machine;
  if (/^\/w\/[^/]+\/decisions\/import(\.data)?$/.test(path)) return BODY_LIMITS.import;
  return BODY_LIMITS.default;
}

/** Machine clients get JSON errors; people get a short page. */
export function wantsJson(path: string): boolean {
  return /^\/(webhooks|api)\//.test(path) || path.endsWith(".data") || path.endsWith("/save");
}
