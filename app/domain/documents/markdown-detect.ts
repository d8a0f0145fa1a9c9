/**
 * Whether plain text someone pasted is Markdown worth converting: a heading, a fence, a list, a
 * quote, a table or a rule at the start of a line, or a link, image, bold or code span inline.
 * Client-safe and small; the reader itself is loaded only when a paste needs it.
 */
const BLOCK_SIGNS = [
  /^ {0,3}#{1,6}[ \t]+\S/m,
  /^ {0,3}(```|~~~)/m,
  /^ {0,3}[-*+][ \t]+\S/m,
  /^ {0,3}\d{1,9}[.)][ \t]+\S/m,
  /^ {0,3}>[ \t]?\S/m,
  /^ {0,3}\|.*\|[ \t]*\n {0,3}\|?[ \t]*:?-{3,}/m,
];
const INLINE_SIGNS = [/!?\[[^\]\n]+\]\([^)\s]+(?:[ \t]+"[^"\n]*")?\)/, /(\*\*|__)\S(?:.*?\S)?\1/, /`[^`\n]+`/];

export function looksLikeMarkdown(text: string): boolean {
  if (text.length > 512 * 1024) return false;
  return BLOCK_SIGNS.some((sign) => sign.test(text)) || INLINE_SIGNS.some((sign) => sign.test(text));
}

/** The Markdown reader, as its own chunk: pages load it only when a paste holds Markdown. */
export const loadMarkdownReader = () => import("./markdown-read");
