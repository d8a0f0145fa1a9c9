/**
 * The fields of the GET filter forms above lists (incidents, decisions, search, insights): each a
 * labelled control whose id is `<idPrefix>-<name>` and whose value comes from the address.
 */

type Option = string | { value: string; label: string };

/** A select of one filter: "Any" (or the placeholder) first, then the options. */
export function FilterSelect({
  name,
  label,
  value,
  options,
  idPrefix = "filter",
  placeholder = "Any",
}: {
  name: string;
  label: string;
  /** The value chosen now: what the address says. */
  value: string | null | undefined;
  options: readonly Option[];
  idPrefix?: string;
  placeholder?: string;
}) {
  return (
    <div className="field">
      <label htmlFor={`${idPrefix}-${name}`}>{label}</label>
      <select id={`${idPrefix}-${name}`} name={name} defaultValue={value ?? ""}>
        <option value="">{placeholder}</option>
        {options.map((o) => {
          const { value: v, label: l } = typeof o === "string" ? { value: o, label: o } : o;
          return (
            <option key={v} value={v}>
              {l}
            </option>
          );
        })}
      </select>
    </div>
  );
}

/** Two days bounding a list, inclusive: `from` and `to` in the address. */
export function DateRangeFilter({
  from,
  to,
  labels,
  idPrefix = "filter",
}: {
  from: string | null | undefined;
  to: string | null | undefined;
  /** What the two days bound, e.g. ["Started from", "Started until"]. */
  labels: readonly [string, string];
  idPrefix?: string;
}) {
  return (
    <>
      <div className="field">
        <label htmlFor={`${idPrefix}-from`}>{labels[0]}</label>
        <input id={`${idPrefix}-from`} type="date" name="from" defaultValue={from ?? ""} />
      </div>
      <div className="field">
        <label htmlFor={`${idPrefix}-to`}>{labels[1]}</label>
        <input id={`${idPrefix}-to`} type="date" name="to" defaultValue={to ?? ""} />
      </div>
    </>
  );
}
