import { jsonError } from "~/http/machine.server";

/** Any other /webhooks/… address: a JSON 404, not the app's HTML error page. */
export const loader = () => jsonError(404, "No webhook at this address.");
export const action = () => jsonError(404, "No webhook at this address.");
