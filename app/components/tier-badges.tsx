import { TIER_HINTS, TIER_KEYS } from "~/domain/workspaces/rules";

/** The tiers as select options: their keys ("T2"), or with what each guards ("T2 · sensitive"). */
export function tierOptions(withHints = false): { value: string; label: string }[] {
  return TIER_KEYS.map((t) => ({ value: t, label: withHints ? `${t} · ${TIER_HINTS[t]}` : t }));
}

/** The tiers a gate guards, as badges; a dash when it names none. */
export function TierBadges({ tiers }: { tiers: readonly string[] }) {
  if (!tiers.length) return <span className="muted">—</span>;
  return (
    <span className="badges">
      {tiers.map((t) => (
        <span key={t} className={`badge tier-${t}`}>
          {t}
        </span>
      ))}
    </span>
  );
}
