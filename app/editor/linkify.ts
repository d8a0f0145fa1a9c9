/**
 * linkifyjs on demand. Tiptap's Link extension uses it to find addresses in typed and pasted text
 * (autolink, a pasted address over a selection); with its list of top-level domains it is about a
 * third of the Link extension's weight. In the browser build this module stands in for it
 * (vite.config.ts, `lazyLinkify`): the editor loads the real one when it is first focused, which
 * comes before anything can be typed or pasted. Until then there is nothing to find: `find` and
 * `tokenize` answer with no links (so a document being loaded is not scanned, as no one typed it).
 *
 * Only what @tiptap/extension-link 3.35 imports: find, tokenize, registerCustomProtocol, reset.
 */
import type * as Linkify from "linkifyjs";

let linkify: typeof Linkify | null = null;
let loading: Promise<typeof Linkify> | null = null;
const protocols: Array<Parameters<typeof Linkify.registerCustomProtocol>> = [];

/** Loads linkifyjs (once), with the protocols registered before it came. */
export function loadLinkify(): Promise<typeof Linkify> {
  loading ??= import("linkifyjs").then((module) => {
    for (const protocol of protocols) module.registerCustomProtocol(...protocol);
    linkify = module;
    return module;
  });
  return loading;
}

export function find(...args: Parameters<typeof Linkify.find>): ReturnType<typeof Linkify.find> {
  return linkify ? linkify.find(...args) : [];
}

export function tokenize(...args: Parameters<typeof Linkify.tokenize>): ReturnType<typeof Linkify.tokenize> {
  return linkify ? linkify.tokenize(...args) : [];
}

export function registerCustomProtocol(...args: Parameters<typeof Linkify.registerCustomProtocol>): void {
  if (linkify) linkify.registerCustomProtocol(...args);
  else protocols.push(args);
}

export function reset(): void {
  protocols.length = 0;
  linkify?.reset();
}
