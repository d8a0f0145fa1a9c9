import { Form, Link, useNavigation } from "@remix-run/react";
import { FormError } from "./form";
import type { ReactNode } from "react";

export type ConflictRow = { label: string; theirs: ReactNode; mine: ReactNode };

/**
 * Shown above an edit form when someone else saved first (a 409): what they saved beside what
 * this person typed, which stays in the form below, and the two ways on: discard theirs or save
 * over it. Incidents and gates share it.
 */
export function ConflictPanel({
  thing,
  saved,
  rows,
  discardTo,
  reloadDocument,
}: {
  /** "incident", "gate": the heading says "Someone else saved this <thing>". */
  thing: string;
  /** Who saved which version when, as a sentence. */
  saved: ReactNode;
  rows: ConflictRow[];
  /** Where "Discard mine, keep theirs" goes. */
  discardTo: string;
  reloadDocument?: boolean;
}) {
  const facts = (side: "theirs" | "mine") => (
    <dl className="facts">
      {rows.map((row) => (
        <div key={row.label}>
          <dt>{row.label}</dt>
          <dd>{row[side]}</dd>
        </div>
      ))}
    </dl>
  );
  return (
    <section className="card conflict" role="alert" aria-labelledby="conflict-title">
      <h2 id="conflict-title">Someone else saved this {thing} while you were editing</h2>
      <p>{saved} Nothing of yours was saved yet, and nothing was lost: your changes are still in the form below.</p>
      <div className="grid-2">
        <div>
          <h3>Their version (now saved)</h3>
          {facts("theirs")}
        </div>
        <div>
          <h3>Yours (not saved)</h3>
          {facts("mine")}
        </div>
      </div>
      <p className="inline-form">
        <Link className="button secondary" to={discardTo} reloadDocument={reloadDocument}>
          Discard mine, keep theirs
        </Link>
        <span className="muted">or save yours below to replace theirs.</span>
      </p>
    </section>
  );
}

/**
 * The edit form of a versioned record: it carries the version it was loaded at, so a save over
 * someone else's is refused (409) and then, with the version now saved, is a deliberate overwrite.
 */
export function VersionedEditForm({
  version,
  state,
  conflict,
  cancelTo,
  className = "form card",
  children,
}: {
  version: number;
  state: Parameters<typeof FormError>[0]["state"];
  /** Whether the last save lost to someone else's (the panel above is showing). */
  conflict: boolean;
  cancelTo: string;
  className?: string;
  children: ReactNode;
}) {
  const busy = useNavigation().state === "submitting";
  return (
    <Form method="post" className={className} noValidate key={version}>
      <FormError state={state} />
      <input type="hidden" name="version" value={version} />
      {children}
      <div className="inline-form">
        <button type="submit" className="button" disabled={busy}>
          {conflict ? "Save mine over theirs" : busy ? "Saving…" : "Save changes"}
        </button>
        <Link to={cancelTo}>Cancel</Link>
      </div>
    </Form>
  );
}
