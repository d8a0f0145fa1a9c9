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
