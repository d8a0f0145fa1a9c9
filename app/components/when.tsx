import { createContext, useContext, useEffect, useState, type ReactNode } from "react";
import { describeDay, describeInstant, DEFAULT_TIME_ZONE, isTimeZone } from "~/domain/shared/dates";

type Clock = { timeZone: string; now: number };

const ClockContext = createContext<Clock>({ timeZone: DEFAULT_TIME_ZONE, now: 0 });

/**
 * The reader's time zone and "now" for every time on the page. The server renders with the zone
 * from the cookie (UTC before the browser has set it) and the request's time, and hydration uses
 * the same; then the browser's own zone takes over (should it differ from the cookie) and "now"
 * moves on every minute, so the relative hints stay true on a page left open.
 */
export function ClockProvider({ timeZone, now, children }: { timeZone: string; now: number; children: ReactNode }) {
  const [clock, setClock] = useState<Clock>({ timeZone, now });
  useEffect(() => {
    const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const tick = () => setClock({ timeZone: isTimeZone(browserZone) ? browserZone : timeZone, now: Date.now() });
    tick();
    const timer = window.setInterval(tick, 60_000);
    return () => window.clearInterval(timer);
  }, [timeZone, now]);
  return <ClockContext.Provider value={clock}>{children}</ClockContext.Provider>;
}

export function useClock(): Clock {
  const clock = useContext(ClockContext);
  return clock.now ? clock : { ...clock, now: Date.now() };
}

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
