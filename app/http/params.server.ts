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
