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
