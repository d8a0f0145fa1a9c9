import { jsonError } from "~/http/machine.server";

/** Any other /api/… address: a JSON 404 (the API's documents are listed at /api/v1/openapi.json). */
export const loader = () => jsonError(404, "No API endpoint at this address. See /api/v1/openapi.json.");
export const action = () => jsonError(404, "No API endpoint at this address. See /api/v1/openapi.json.");
