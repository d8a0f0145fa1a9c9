/**
 * A postmortem's contributing factors, each with its guardrail actions: the heart of the loop.
 * Shown on the postmortem's page and, as a live block, inside its editor (ADR 25). Every form
 * posts to the postmortem page's action through a fetcher, so it works the same in both places
 * and never leaves the page: on success the form empties, a live region says what happened
 * ("ACT-4 created") and focus moves to what was made.
 */
import { Link, useFetcher } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { Field, FormError, type FormState } from "~/components/form";
import { ACTION_STATUSES, actionReference, FACTOR_CATEGORIES, GATE_INVOLVEMENTS } from "~/domain/guardrails/rules";
import { LIMITS } from "~/domain/shared/limits";
import { Day } from "~/components/when";
import { CreateActionFields, FactorFields, type Gate, type Member } from "./factor-fields";

export type Factor = {
  id: string;
  text: string;
  category: keyof typeof FACTOR_CATEGORIES;
  tier: string;
  no_action_reason: string | null;
  gates: { id: string; name: string; involvement: keyof typeof GATE_INVOLVEMENTS }[];
  pullRequests: { id: string; repository: string; number: number; url: string }[];
  actions: { number: number; title: string; status: keyof typeof ACTION_STATUSES; due_on: string | null; owner_name: string | null; gate_id: string | null; gate_name: string | null }[];
};

/** What the postmortem page's action answers a factor or action form. */
type Answer = ({ ok: true; done: string; factorId?: string; number?: number } | ({ ok: false } & NonNullable<FormState>)) | undefined;


export type FactorsSectionProps = {
  slug: string;
  factors: Factor[];
  gates: Gate[];
  /** Recorded bypasses, offered as evidence for a "gate bypassed" factor. */
  bypasses?: { id: string; label: string }[];
  members: Member[];
  canEdit: boolean;
  /** False once published: factors are then read-only. */
  editable: boolean;
  defaultTier: string;
  /** The postmortem page, whose action takes these forms. */
  actionUrl: string;
  /** Inside the document (ADR 25): no card. In the editor the heading is the document's own; */
  embedded?: boolean;
  /** on the read page, the document's heading above the block is drawn here, as this section's. */
  heading?: { text: string; level: number } | null;
};

/** Focus moves to what a form made once the page has its new data; by id, after the next paint. */
function focusSoon(id: string) {
  requestAnimationFrame(() => document.getElementById(id)?.focus());
}

/** A fetcher-driven form's life: its answer, and a call once per success. */
function useFormFetcher(onSuccess: (answer: Extract<Answer, { ok: true }>) => void) {
  const fetcher = useFetcher<Answer>();
  const handled = useRef<unknown>(null);
  const answer = fetcher.data;
  useEffect(() => {
    if (fetcher.state !== "idle" || !answer?.ok || handled.current === answer) return;
    handled.current = answer;
    onSuccess(answer);
  });
  const failure = answer && !answer.ok && fetcher.state === "idle" ? answer : undefined;
  return { fetcher, failure, busy: fetcher.state !== "idle" };
}

export function FactorsSection(props: FactorsSectionProps) {
  const { factors, canEdit, editable, embedded } = props;
  const [announcement, setAnnouncement] = useState("");
  const announce = (message: string, focusId?: string) => {
    setAnnouncement(message);
    if (focusId) focusSoon(focusId);
  };
  const live = canEdit && editable;
  // A removed factor's form goes with it, so the section itself says it is gone once the list no longer holds it.
  const [removing, setRemoving] = useState<{ id: string; number: number } | null>(null);
  useEffect(() => {
    if (removing && !factors.some((f) => f.id === removing.id)) {
      setRemoving(null);
      setAnnouncement(`Factor ${removing.number} removed.`);
      focusSoon("factors-title");
    }
  }, [removing, factors]);
  const body = (
    <>
      <p className="muted">
        Conditions that let this happen, not people. Each needs a guardrail action (a sharper gate, a better test, a narrower
        permission, a clearer tier rule) or a recorded reason for none.
      </p>
      <p className="notice factors-announcement" role="status" aria-live="polite" hidden={announcement === ""}>
        {announcement}
      </p>
      {factors.length === 0 ? <p className="tracked-empty">No factors recorded yet.</p> : null}
      {factors.map((f, i) => (
        <FactorArticle key={f.id} factor={f} index={i} props={props} live={live} announce={announce} onRemove={() => setRemoving({ id: f.id, number: i + 1 })} />
      ))}
      {live ? <AddFactor props={props} announce={announce} count={factors.length} /> : null}
    </>
  );
  if (embedded && props.heading) {
    const Heading = `h${Math.min(6, Math.max(2, props.heading.level))}` as "h2";
    return (
      <section className="tracked-section" aria-labelledby="factors-title">
        <Heading id="factors-title" tabIndex={-1}>
          {props.heading.text}
        </Heading>
        <div className="tracked-block" data-tracked="factors">
          {body}
        </div>
      </section>
    );
  }
  if (embedded) {
    return (
      <div className="tracked-factors" id="factors-title" tabIndex={-1} aria-label="Contributing factors">
        {body}
      </div>
    );
  }
  return (
    <section className="card" aria-labelledby="factors-title">
      <h2 id="factors-title" tabIndex={-1}>
        Contributing factors
      </h2>
      {body}
    </section>
  );
}

function FactorArticle({
  factor: f,
  index: i,
  props,
  live,
  announce,
  onRemove,
}: {
  factor: Factor;
  index: number;
  props: FactorsSectionProps;
  live: boolean;
  announce: (message: string, focusId?: string) => void;
  onRemove: () => void;
}) {
  const { slug } = props;
  const [editing, setEditing] = useState(false);
  return (
    <article className="factor" aria-labelledby={`factor-${f.id}`}>
      <h3 id={`factor-${f.id}`} className="factor-title" tabIndex={-1}>
        <span className="muted">Factor {i + 1}</span> <span className="badge">{FACTOR_CATEGORIES[f.category]}</span>{" "}
        <span className={`badge tier-${f.tier}`}>{f.tier}</span>
      </h3>
      {editing ? (
        <EditFactor
          factor={f}
          props={props}
          onDone={(saved) => {
            setEditing(false);
            if (saved) announce(`Factor ${i + 1} updated.`, `factor-${f.id}`);
            else focusSoon(`edit-factor-${f.id}`);
          }}
        />
      ) : (
        <p className="pre-line">{f.text}</p>
      )}
      {f.gates.length ? (
        <p className="muted">
          Gates:{" "}
          {f.gates.map((g, gi) => (
            <span key={g.id}>
              {gi ? "; " : ""}
              <Link to={`/w/${slug}/gates/${g.id}`}>{g.name}</Link> {GATE_INVOLVEMENTS[g.involvement]}
            </span>
          ))}
        </p>
      ) : null}
      {f.pullRequests.length ? (
        <p className="muted">
          Pull requests:{" "}
          {f.pullRequests.map((p, pi) => (
            <span key={p.id}>
              {pi ? ", " : ""}
              <a href={p.url} rel="noopener noreferrer">
                {p.repository}#{p.number}
              </a>
            </span>
          ))}
        </p>
      ) : null}
      {f.actions.length ? (
        <ul className="list-plain action-list">
          {f.actions.map((a) => (
            <li key={a.number}>
              <Link id={`action-${a.number}`} to={`/w/${slug}/guardrails/actions/${a.number}`}>
                {actionReference(a.number)} {a.title}
              </Link>{" "}
              <span className={`status-pill action-${a.status}`}>{ACTION_STATUSES[a.status]}</span>
              <span className="muted">
                {a.owner_name ? ` · ${a.owner_name}` : " · no owner"}
                {a.due_on ? (
                  <>
                    {" "}
                    · due <Day value={a.due_on} />
                  </>
                ) : null}
                {a.gate_name ? ` · gate ${a.gate_name}` : ""}
              </span>
            </li>
          ))}
        </ul>
      ) : f.no_action_reason ? (
        <p className="notice">No action needed: {f.no_action_reason}</p>
      ) : (
        <p className="blockers">No guardrail action yet.</p>
      )}
      {live ? (
        <div className="factor-forms">
          {!editing ? (
            <div className="actions-row">
              <button type="button" className="button secondary small" id={`edit-factor-${f.id}`} onClick={() => setEditing(true)}>
                Edit factor<span className="visually-hidden"> {i + 1}</span>
              </button>
              {f.actions.length === 0 ? <RemoveFactor factor={f} index={i} props={props} onRemove={onRemove} /> : null}
            </div>
          ) : null}
          <CreateAction factor={f} props={props} announce={announce} />
          {f.actions.length === 0 ? <NoActionReason factor={f} props={props} announce={announce} /> : null}
        </div>
      ) : null}
    </article>
  );
}

/** Removing asks first, in place: the factor's text goes with it. */
function RemoveFactor({ factor: f, index: i, props, onRemove }: { factor: Factor; index: number; props: FactorsSectionProps; onRemove: () => void }) {
  const [asking, setAsking] = useState(false);
  const { fetcher, failure, busy } = useFormFetcher(() => {});
  if (!asking) {
    return (
      <button
        type="button"
        className="button danger small"
        onClick={() => {
          setAsking(true);
          focusSoon(`remove-confirm-${f.id}`);
        }}
      >
        Remove factor<span className="visually-hidden"> {i + 1}</span>
      </button>
    );
  }
  return (
    <fetcher.Form method="post" action={props.actionUrl} className="undo-bar" role="group" aria-label={`Remove factor ${i + 1}?`} onSubmit={onRemove}>
      <FormError state={failure} />
      <input type="hidden" name="intent" value="remove-factor" />
      <input type="hidden" name="factorId" value={f.id} />
      <span>Remove factor {i + 1} for good?</span>
      <button type="submit" className="button danger small" id={`remove-confirm-${f.id}`} disabled={busy}>
        Yes, remove it
      </button>
      <button
        type="button"
        className="button secondary small"
        onClick={() => {
          setAsking(false);
          focusSoon(`edit-factor-${f.id}`);
        }}
      >
        Keep it
      </button>
    </fetcher.Form>
  );
}

function CreateAction({ factor: f, props, announce }: { factor: Factor; props: FactorsSectionProps; announce: (m: string, focusId?: string) => void }) {
  const [round, setRound] = useState(0);
  const [open, setOpen] = useState(false);
  const { fetcher, failure, busy } = useFormFetcher((answer) => {
    // A fresh form (key) for the next action; the new action's link takes focus.
    setRound((r) => r + 1);
    setOpen(false);
    if (answer.number) announce(`${actionReference(answer.number)} created.`, `action-${answer.number}`);
  });
  return (
    <details className="edit" open={open || failure !== undefined} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Create a guardrail action</summary>
      <fetcher.Form key={round} method="post" action={props.actionUrl} className="form" noValidate>
        <input type="hidden" name="intent" value="create-action" />
        <input type="hidden" name="factorId" value={f.id} />
        <CreateActionFields idPrefix={`act-${f.id}`} state={failure} gates={props.gates} members={props.members} />
        <div>
          <button type="submit" className="button" disabled={busy}>
            Create action
          </button>
        </div>
      </fetcher.Form>
    </details>
  );
}

function NoActionReason({ factor: f, props, announce }: { factor: Factor; props: FactorsSectionProps; announce: (m: string, focusId?: string) => void }) {
  const [open, setOpen] = useState(false);
  const { fetcher, failure, busy } = useFormFetcher(() => {
    setOpen(false);
    announce("Reason recorded.", `factor-${f.id}`);
  });
  return (
    <details className="edit" open={open || failure !== undefined} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{f.no_action_reason ? "Change the reason for no action" : "Record that no action is needed"}</summary>
      <fetcher.Form method="post" action={props.actionUrl} className="form" noValidate>
        <FormError state={failure} />
        <input type="hidden" name="intent" value="no-action" />
        <input type="hidden" name="factorId" value={f.id} />
        <Field id={`noaction-${f.id}`} name="reason" label="Why no action" defaultValue={f.no_action_reason ?? ""} state={failure} maxLength={LIMITS.noActionReason} />
        <div>
          <button type="submit" className="button secondary small" disabled={busy}>
            Save reason
          </button>
        </div>
      </fetcher.Form>
    </details>
  );
}

function EditFactor({ factor: f, props, onDone }: { factor: Factor; props: FactorsSectionProps; onDone: (saved: boolean) => void }) {
  const { fetcher, failure, busy } = useFormFetcher(() => onDone(true));
  const textId = `factor-${f.id}-text`;
  useEffect(() => focusSoon(textId), [textId]);
  return (
    <fetcher.Form method="post" action={props.actionUrl} className="form factor-edit" noValidate>
      <FormError state={failure} />
      <input type="hidden" name="intent" value="edit-factor" />
      <input type="hidden" name="factorId" value={f.id} />
      <FactorFields
        idPrefix={`factor-${f.id}`}
        state={failure}
        gates={props.gates}
        defaults={{
          text: f.text,
          category: f.category,
          tier: f.tier,
          pullRequestUrls: f.pullRequests.map((p) => p.url).join("\n"),
          gates: Object.fromEntries(f.gates.map((g) => [g.id, g.involvement])),
        }}
      />
      <div className="actions-row">
        <button type="submit" className="button small" disabled={busy}>
          Save factor
        </button>
        <button type="button" className="button secondary small" onClick={() => onDone(false)}>
          Cancel
        </button>
      </div>
    </fetcher.Form>
  );
}

function AddFactor({ props, announce, count }: { props: FactorsSectionProps; announce: (m: string, focusId?: string) => void; count: number }) {
  const [round, setRound] = useState(0);
  // The answer arrives with the new list already loaded: the number is taken when the form is sent.
  const numberSent = useRef(count + 1);
  const { fetcher, failure, busy } = useFormFetcher((answer) => {
    setRound((r) => r + 1);
    announce(`Factor ${numberSent.current} added. Give it a guardrail action, or record why none is needed.`, answer.factorId ? `factor-${answer.factorId}` : undefined);
  });
  return (
    <details className="edit add-factor" open={failure !== undefined || count === 0}>
      <summary>Add a factor</summary>
      <fetcher.Form key={round} method="post" action={props.actionUrl} className="form" noValidate onSubmit={() => (numberSent.current = count + 1)}>
        <FormError state={failure} />
        <input type="hidden" name="intent" value="add-factor" />
        <FactorFields idPrefix="factor" state={failure} gates={props.gates} defaults={{ tier: props.defaultTier }} />
        {props.bypasses?.length ? (
          <fieldset className="fieldset">
            <legend>Bypasses Hindsight saw</legend>
            <p className="hint">Evidence for a “Gate bypassed” factor: the pull request and its gate (as bypassed) are added to the factor.</p>
            {props.bypasses.map((b) => (
              <label key={b.id} className="checkbox">
                <input type="checkbox" name="bypass" value={b.id} /> {b.label}
              </label>
            ))}
          </fieldset>
        ) : null}
        <div>
          <button type="submit" className="button secondary" disabled={busy}>
            Add factor
          </button>
        </div>
      </fetcher.Form>
    </details>
  );
}
