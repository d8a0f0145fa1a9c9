import type { ReactNode } from "react";
import { describeDay, describeInstant } from "~/domain/shared/dates";
import { useClock } from "./clock";

export { useClock } from "./clock";

/**
 * An instant, the one way the app shows one: "2 Dec, 09:30 · 3 hours ago" in the reader's zone,
 * the UTC time on hover. `hint={false}` leaves the relative part out where space is short.
 */
export function When({ at, hint = true, empty = "—" }: { at: Date | string | null | undefined; hint?: boolean; empty?: ReactNode }) {
  const clock = useClock();
  if (!at) return <>{empty}</>;
  const d = describeInstant(at, clock);
  return (
    <time dateTime={d.iso} title={d.utc} className="when">
      {d.text}
      {hint ? <span className="when-hint"> · {d.relative}</span> : null}
    </time>
  );
}

/** A calendar day (a due date): "31 Jan · in 3 days". */
export function Day({ value, hint = true, empty = "—" }: { value: string | null | undefined; hint?: boolean; empty?: ReactNode }) {
  const clock = useClock();
  if (!value) return <>{empty}</>;
  const d = describeDay(value, clock);
  return (
    <time dateTime={d.iso} title={d.iso} className="when">
      {d.text}
      {hint ? <span className="when-hint"> · {d.relative}</span> : null}
    </time>
  );
}

/** A datetime-local input is read in the zone it was shown in: this field tells the server which. */
export function TimeZoneField() {
  const { timeZone } = useClock();
  return <input type="hidden" name="timeZone" value={timeZone} />;
}

/** "Times are in Europe/Berlin": the legend of a form's date-time inputs. */
export function useTimeZoneName(): string {
  return useClock().timeZone;
}
