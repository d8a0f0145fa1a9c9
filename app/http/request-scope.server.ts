import { AsyncLocalStorage } from "node:async_hooks";

/**
 * Values worked out once per page request and shared by its loaders. Remix runs a document's
 * loaders in parallel, each on its own copy of the Request, so a WeakMap keyed by the request
 * can't share anything between them; the server opens a scope per request instead
 * (server/index.ts). Only reads get a scope: after an action changes something, the loaders that
 * follow it in the same request must see the change, so a POST computes everything afresh.
 */
type Scope = AsyncLocalStorage<Map<string, Promise<unknown>>>;
// server/index.ts and the Remix build each load their own copy of this module: they must share one store.
const global = globalThis as typeof globalThis & { [key: symbol]: Scope | undefined };
const KEY = Symbol.for("hindsight.requestScope");
const scope: Scope = (global[KEY] ??= new AsyncLocalStorage());

export function inRequestScope<T>(run: () => T): T {
  return scope.run(new Map(), run);
}

/** `compute()` once per request scope and key; outside a scope (tests, scripts), every time. */
export function oncePerRequest<T>(key: string, compute: () => Promise<T>): Promise<T> {
  const store = scope.getStore();
  if (!store) return compute();
  let value = store.get(key) as Promise<T> | undefined;
  if (!value) {
    value = compute();
    store.set(key, value);
  }
  return value;
}
