import { useEffect, useRef, useState } from "react";

/** A read-only value to copy (an address, a secret shown once), selected whole when focused, with a Copy button. */
export function CopyField({ id, label, value, className }: { id: string; label: string; value: string; className?: string }) {
  return (
    <div className={className ? `field ${className}` : "field"}>
      <label htmlFor={id} id={`${id}-label`}>
        {label}
      </label>
      <div className="copy-box">
        <input id={id} type="text" readOnly value={value} onFocus={(e) => e.currentTarget.select()} />
        <CopyButton target={id} />
      </div>
    </div>
  );
}

/**
 * Copies the value of the input `target` and says so ("Copied") in a live region for two
 * seconds. The button is named "Copy" and described by the field's label (`<target>-label`), so
 * a screen reader hears which value it copies. Where the clipboard API is refused (a plain-http address), it selects the text and
 * uses the older copy command; failing that, it asks for Ctrl+C.
 */
export function CopyButton({ target }: { target: string }) {
  const [said, setSaid] = useState("");
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(timer.current), []);
  async function copy() {
    const input = document.getElementById(target) as HTMLInputElement | null;
    if (!input) return;
    let copied = false;
    try {
      await navigator.clipboard.writeText(input.value);
      copied = true;
    } catch {
      input.focus();
      input.select();
      copied = document.execCommand("copy");
    }
    setSaid(copied ? "Copied" : "Selected: press Ctrl+C to copy");
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => setSaid(""), 2000);
  }
  return (
    <>
      <button type="button" className="button secondary copy-button" onClick={copy} aria-describedby={`${target}-label`}>
        Copy
      </button>
      <span className="copy-said" aria-live="polite">
        {said}
      </span>
    </>
  );
}
