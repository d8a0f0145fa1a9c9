/**
 * Plumbing for machine endpoints (webhooks and the JSON API): bounded raw bodies, JSON answers
 * and JSON errors. Express parses no bodies, so a route reads the raw bytes here (signatures are
 * computed over them) before anything is parsed.
 */
import { log } from "./log.server";

export const MAX_BODY_BYTES = 1024 * 1024;

/** Thrown (as a Response) by the helpers below; routes let it propagate. */
export function jsonError(status: number, message: string, headers: Record<string, string> = {}, details: Record<string, unknown> = {}): Response {
  return Response.json({ error: { status, message, ...details } }, { status, headers: { "Cache-Control": "no-store", ...headers } });
}

export function jsonOk(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { "Cache-Control": "no-store", ...headers } });
}

/**
 * The raw request body, at most `limit` bytes: a larger Content-Length is refused before
 * reading, and a chunked body is cut off as soon as it passes the limit (413 either way).
 */
export async function readBody(request: Request, limit = MAX_BODY_BYTES): Promise<Uint8Array> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (Number.isFinite(declared) && declared > limit) throw jsonError(413, `The body is larger than ${limit} bytes.`);
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw jsonError(413, `The body is larger than ${limit} bytes.`);
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

const decoder = new TextDecoder("utf-8", { fatal: true });

/** Parses a JSON body (or GitHub's form-encoded `payload=` variant); malformed input is a 400. */
export function parseJsonBody(body: Uint8Array, contentType: string | null = "application/json"): unknown {
  try {
    const text = decoder.decode(body);
    if (contentType?.startsWith("application/x-www-form-urlencoded")) {
      const payload = new URLSearchParams(text).get("payload");
      if (payload === null) throw new Error("no payload field");
      return JSON.parse(payload);
    }
    return JSON.parse(text);
  } catch {
    throw jsonError(400, "The body is not valid JSON.");
  }
}

/** A refused machine request: one warning log line, then the JSON error. */
export function refuse(
  status: number,
  message: string,
  context: Record<string, unknown>,
  headers: Record<string, string> = {},
  details: Record<string, unknown> = {},
): Response {
  log.warn({ ...context, status, reason: message }, "machine request refused");
  return jsonError(status, message, headers, details);
}

/** Logs and answers a Response thrown by readBody / parseJsonBody the same way as `refuse`. */
export async function refused<T>(context: Record<string, unknown>, run: () => Promise<T> | T): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof Response && error.status >= 400 && error.status < 500) {
      const message = await error
        .clone()
        .json()
        .then((b: { error?: { message?: string } }) => b.error?.message ?? error.statusText)
        .catch(() => error.statusText);
      log.warn({ ...context, status: error.status, reason: message }, "machine request refused");
    }
    throw error;
  }
}

export function methodNotAllowed(allowed: string[]): Response {
  return jsonError(405, `Use ${allowed.join(" or ")}.`, { Allow: allowed.join(", ") });
}
