/**
 * The head of a writing page (live or HTTP autosave): the way back, the title field and the
 * save state. The title field is the visible heading; the page still needs its one h1.
 */
import type { ReactNode } from "react";
import { LIMITS } from "~/domain/shared/limits";

export function DocumentHead({
  title,
  storedTitle,
  titleFieldId,
  context,
  readOnly = false,
  onTitleChange,
  stateClass,
  state,
}: {
  /** The title as typed so far. */
  title: string;
  /** The title as loaded, for the h1 while the field is empty. */
  storedTitle: string;
  titleFieldId: string;
  /** The line above the title: a way back and what this document belongs to. */
  context: ReactNode;
  readOnly?: boolean;
  onTitleChange: (title: string) => void;
  /** The save state's class, e.g. `save-saving` or `live-offline`. */
  stateClass: string;
  /** What the save state says. */
  state: ReactNode;
}) {
  return (
    <header className="page-head">
      <div>
        <h1 className="visually-hidden">Editing {title || storedTitle}</h1>
        <p className="muted">{context}</p>
        <div className="field title-field">
          <label htmlFor={titleFieldId}>Title</label>
          <input
            id={titleFieldId}
            type="text"
            value={title}
            maxLength={LIMITS.title}
            readOnly={readOnly}
            onChange={(e) => onTitleChange(e.currentTarget.value)}
          />
        </div>
      </div>
      <p className={`save-state ${stateClass}`} role="status" aria-live="polite" data-testid="save-state">
        {state}
      </p>
    </header>
  );
}
