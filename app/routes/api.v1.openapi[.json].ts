import { openApiDocument } from "~/http/openapi.server";
import { jsonOk, methodNotAllowed } from "~/http/machine.server";

/** GET /api/v1/openapi.json — the API's OpenAPI 3.1 document; public, like any API reference. */
export const loader = () => jsonOk(openApiDocument(), 200, { "Cache-Control": "public, max-age=300", "Access-Control-Allow-Origin": "*" });

export const action = () => methodNotAllowed(["GET"]);
