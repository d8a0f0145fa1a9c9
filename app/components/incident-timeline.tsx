import { Form, useNavigation } from "@remix-run/react";
import type { TimelineKind } from "#db/schema";
import { Field, FormError, SelectField, typedValue, type FormState } from "~/components/form";
import { TIMELINE_KINDS } from "~/domain/incidents/rules";
import { TimeZoneField, useClock } from "~/components/when";
import { toZonedInput } from "~/domain/shared/dates";
import { LIMITS } from "~/domain/shared/limits";
import { When } from "~/components/when";

type TimelineEvent = { id: string; occurred_at: string | Date; kind: TimelineKind; text: string };

/** An incident's timeline, in order, with a form per event to edit it and one to add the next. */
export function IncidentTimeline({
  timeline,
  canEdit,
  failure,
  added,
  now,
}: {
  timeline: TimelineEvent[];
  canEdit: boolean;
  failure?: FormState;
  /** When the event just added happened: the add form starts empty again, from that time. */
  added: string | null;
  now: string;
}) {
  const { timeZone } = useClock();
  // Back-filling goes in order: the next event starts from the one just added, else the last one.
  const last = timeline.at(-1)?.occurred_at;
  const startFrom = added ?? last ?? now;
  const editing = (eventId: string) => typedValue(failure, "intent") === "edit-event" && typedValue(failure, "eventId") === eventId;
  return (
    <section className="card" aria-labelledby="timeline-title">
      <h2 id="timeline-title">Timeline</h2>
      {timeline.length === 0 ? (
        <p className="muted">No events yet. Add what happened, in order: the trigger, detection, each action, mitigation.</p>
      ) : (
        <ol className="timeline">
          {timeline.map((e) => (
            <li key={e.id}>
              <When at={e.occurred_at} /> <span className="badge">{e.kind}</span>
              <p className="pre-line">{e.text}</p>
              {canEdit ? (
                <details className="edit" open={editing(e.id)}>
                  <summary>Edit event</summary>
                  <TimelineEventFields
                    intent="edit-event"
                    eventId={e.id}
                    state={editing(e.id) ? failure : undefined}
                    defaults={{ occurredAt: toZonedInput(e.occurred_at, timeZone), kind: e.kind, text: e.text }}
                  />
                  <Form method="post">
                    <input type="hidden" name="intent" value="remove-event" />
                    <input type="hidden" name="eventId" value={e.id} />
                    <button type="submit" className="button danger small">
                      Remove event
                    </button>
                  </Form>
                </details>
              ) : null}
            </li>
          ))}
        </ol>
      )}
      {canEdit ? (
        <>
          <h3 className="auth-alt">Add an event</h3>
          <TimelineEventFields
            key={added ? `added-${timeline.length}-${added}` : "add"}
            intent="add-event"
            state={typedValue(failure, "intent") === "add-event" ? failure : undefined}
            defaults={{ occurredAt: toZonedInput(startFrom, timeZone), kind: "action", text: "" }}
          />
        </>
      ) : null}
    </section>
  );
}

function TimelineEventFields({
  intent,
  eventId,
  state,
  defaults,
}: {
  intent: "add-event" | "edit-event";
  eventId?: string;
  state?: FormState;
  defaults: { occurredAt: string; kind: string; text: string };
}) {
  const busy = useNavigation().state === "submitting";
  const { timeZone } = useClock();
  const prefix = eventId ? `event-${eventId}` : "new-event";
  return (
    <Form method="post" className="form" noValidate>
      <FormError state={state} />
      <input type="hidden" name="intent" value={intent} />
      {eventId ? <input type="hidden" name="eventId" value={eventId} /> : null}
      <TimeZoneField />
      <div className="grid-3">
        <Field
          id={`${prefix}-at`}
          name="occurredAt"
          label="When"
          hint={`Your time zone, ${timeZone}`}
          type="datetime-local"
          defaultValue={defaults.occurredAt}
          state={state}
        />
        <SelectField
          id={`${prefix}-kind`}
          name="kind"
          label="Kind"
          options={TIMELINE_KINDS.map((k) => ({ value: k, label: k[0]!.toUpperCase() + k.slice(1) }))}
          defaultValue={defaults.kind}
          state={state}
        />
      </div>
      <Field id={`${prefix}-text`} name="text" label="What happened" defaultValue={defaults.text} state={state} maxLength={LIMITS.text} />
      <div>
        <button type="submit" className="button secondary" disabled={busy}>
          {intent === "add-event" ? "Add event" : "Save event"}
        </button>
      </div>
    </Form>
  );
}
