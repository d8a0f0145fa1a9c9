/**
 * The client's address for rate limiting. Express puts the socket address (or, with
 * TRUST_PROXY=1, the proxy's X-Forwarded-For) in X-Client-Address before Remix sees the request;
 * a client-sent X-Client-Address is overwritten there, so it can't be spoofed.
 */
export function clientAddress(request: Request): string {
  return request.headers.get("x-client-address") ?? "unknown";
}
