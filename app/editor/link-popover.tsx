/**
 * The toolbar's Link button opens this small panel instead of the browser's prompt(): the
 * address, the text shown, and a way to remove the link. It works on the selection (or the link
 * the caret is in) as it was when the panel opened (./link-target). The toolbar loads it the first
 * time it opens.
 */
import type { Editor } from "@tiptap/react";
import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { isAllowedLinkHref } from "~/domain/documents/rules";
import type { LinkTarget } from "./link-target";

/** "example.com/runbook" means a web address, not a path on this site. */
export function normaliseHref(typed: string): string {
  const value = typed.trim();
  return /^[a-z][a-z0-9+.-]*:|^[/#?.]/i.test(value) || !/^[^\s/]+\.[^\s/]+/.test(value) ? value : `https://${value}`;
}

const REFUSED = "Addresses must start with http://, https:// or mailto:, or be a path on this site.";

export function LinkPopover({ editor, target, onClose }: { editor: Editor; target: LinkTarget; onClose: (notice?: string) => void }) {
  const [href, setHref] = useState(target.href);
  const [text, setText] = useState(target.text);
  const [error, setError] = useState("");
  const urlField = useRef<HTMLInputElement>(null);
  const id = useId();

  useEffect(() => {
    urlField.current?.focus();
  }, []);

  function apply(event: FormEvent) {
    event.preventDefault();
    const address = normaliseHref(href);
    if (address === "") {
      setError("Give the address the link goes to, or remove the link.");
      return;
    }
    if (!isAllowedLinkHref(address)) {
      setError(REFUSED);
      return;
    }
    const shown = text.trim() === "" ? address : text;
    const range = { from: target.from, to: target.to };
    if (shown === target.text && target.from !== target.to) {
      editor.chain().focus().setTextSelection(range).extendMarkRange("link").setLink({ href: address }).run();
    } else {
      editor
        .chain()
        .focus()
        .setTextSelection(range)
        .insertContent({ type: "text", text: shown, marks: [{ type: "link", attrs: { href: address } }] })
        .run();
    }
    onClose(target.existing ? "Link updated." : "Link added.");
  }

  function remove() {
    editor.chain().focus().setTextSelection({ from: target.from, to: target.to }).extendMarkRange("link").unsetLink().run();
    onClose("Link removed.");
  }

  return (
    <form
      className="link-popover"
      role="dialog"
      aria-label={target.existing ? "Edit link" : "Add a link"}
      onSubmit={apply}
      onKeyDown={(event) => {
        if (event.key === "Escape") {
          event.preventDefault();
          editor.commands.focus();
          onClose();
        }
      }}
      noValidate
    >
      <div className="field">
        <label htmlFor={`${id}-url`}>Address</label>
        <input
          ref={urlField}
          id={`${id}-url`}
          type="text"
          inputMode="url"
          value={href}
          placeholder="https://…"
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : `${id}-hint`}
          onChange={(e) => {
            setHref(e.currentTarget.value);
            setError("");
          }}
        />
        {error ? (
          <p className="field-error" id={`${id}-error`} role="alert">
            {error}
          </p>
        ) : (
          <p className="hint" id={`${id}-hint`}>
            A web address, a mailto: address, or a path on this site.
          </p>
        )}
      </div>
      <div className="field">
        <label htmlFor={`${id}-text`}>Text shown</label>
        <input id={`${id}-text`} type="text" value={text} placeholder="The address itself" onChange={(e) => setText(e.currentTarget.value)} />
      </div>
      <div className="actions-row">
        <button type="submit" className="button small">
          {target.existing ? "Update link" : "Add link"}
        </button>
        {target.existing ? (
          <button type="button" className="button danger small" onClick={remove}>
            Remove link
          </button>
        ) : null}
        <button
          type="button"
          className="button secondary small"
          onClick={() => {
            editor.commands.focus();
            onClose();
          }}
        >
          Cancel
        </button>
      </div>
    </form>
  );
}
