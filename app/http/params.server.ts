import { redirect } from "@remix-run/node";
/** A record number from the URL ("12" in /incidents/12); anything else is a 404, not a 500. */
export function requireNumberParam(value: string | undefined): number {
  const number = Number(value);
  if (!value || !/^\d{1,9}$/.test(value) || !Number.isSafeInteger(number) || number < 1) {
    throw new Response("Not found", { status: 404 });
  }
  return number;
}

export function notFound(message = "Not found"): Response {
  return new Response(message, { status: 404, statusText: "Not Found" });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A record id from the URL (a gate's uuid); anything else is a 404, not a database error. */
export function requireUuidParam(value: string | undefined): string {
  if (!value || !UUID.test(value)) throw new Response("Not found", { status: 404 });
  return value.toLowerCase();
}

/**
 * A filter form sends its empty fields too ("?status=&tier=T2"); this answers such a request with
 * a redirect to the same address without them, so the address a person shares says only the
 * filters in use. Null when there is nothing to drop.
 */
export function withoutEmptyParams(request: Request): Response | null {
  const url = new URL(request.url);
  const empty = [...url.searchParams.entries()].filter(([, v]) => v === "").map(([k]) => k);
  if (!empty.length) return null;
  const kept = new URLSearchParams([...url.searchParams.entries()].filter(([, v]) => v !== ""));
  const query = kept.toString();
  return redirect(`${url.pathname}${query ? `?${query}` : ""}`);
}
