/** A read-only value to copy (an address, a secret shown once), selected whole when focused. */
export function CopyField({ id, label, value, className }: { id: string; label: string; value: string; className?: string }) {
  return (
    <div className={className ? `field ${className}` : "field"}>
      <label htmlFor={id}>{label}</label>
      <div className="copy-box">
        <input id={id} type="text" readOnly value={value} onFocus={(e) => e.currentTarget.select()} />
      </div>
    </div>
  );
}
