import { useEffect, useRef, useState } from "react";

/**
 * A read-only value to copy (an address, a secret shown once), selected whole when focused, with
 * a Copy button that says "Copied" (to screen readers too) and falls back to selecting the value
 * where the clipboard is not available. Without JavaScript the button stays hidden.
 */
export function CopyField({ id, label, value, className }: { id: string; label: string; value: string; className?: string }) {
  const input = useRef<HTMLInputElement>(null);
  const [state, setState] = useState<"idle" | "copied" | "select">("idle");
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  useEffect(() => {
    if (state === "idle") return;
    const timer = setTimeout(() => setState("idle"), 2500);
    return () => clearTimeout(timer);
  }, [state]);
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setState("copied");
    } catch {
      input.current?.focus();
      input.current?.select();
      setState("select");
    }
  }
  return (
    <div className={className ? `field ${className}` : "field"}>
      <label htmlFor={id}>{label}</label>
      <div className="copy-box">
        <input ref={input} id={id} type="text" readOnly value={value} onFocus={(e) => e.currentTarget.select()} />
        {hydrated ? (
          <button type="button" className="button secondary small" onClick={copy} aria-describedby={`${id}-copied`}>
            Copy<span className="visually-hidden"> {label}</span>
          </button>
        ) : null}
      </div>
      <p className="hint copy-feedback" id={`${id}-copied`} aria-live="polite">
        {state === "copied" ? "Copied to the clipboard." : state === "select" ? "Selected: press Ctrl+C (⌘C) to copy." : ""}
      </p>
    </div>
  );
}
