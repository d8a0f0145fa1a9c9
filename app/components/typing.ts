/** True when a key press belongs to something the user is typing in (a field, the editor). */
export function isTypingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target.closest("input, textarea, select, [contenteditable]:not([contenteditable='false'])") !== null;
}
