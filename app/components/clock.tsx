import { createContext, useContext, useEffect, useState, type ReactNode } from "react";
import { DEFAULT_TIME_ZONE, isTimeZone } from "~/domain/shared/time-zones";

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
