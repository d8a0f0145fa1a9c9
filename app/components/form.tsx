import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from "react";

export type FormState =
  | { fieldErrors?: Record<string, string[]>; formError?: string; values?: Record<string, string | string[]> }
  | undefined;

/** The single value the user typed into a field, if the form came back. */
export function typedValue(state: FormState, name: string): string | undefined {
  const v = state?.values?.[name];
  return typeof v === "string" ? v : undefined;
}

/** All values of a checkbox group the user submitted, if the form came back. */
export function typedValues(state: FormState, name: string): string[] | undefined {
  if (!state?.values) return undefined;
  const v = state.values[name];
  return v === undefined ? [] : typeof v === "string" ? [v] : v;
}

/** A labelled input whose error sits beside it and is announced with it. */
export function Field({
  name,
  label,
  hint,
  state,
  ...input
}: { name: string; label: string; hint?: ReactNode; state?: FormState } & InputHTMLAttributes<HTMLInputElement>) {
  const id = input.id ?? `field-${name}`;
  const errors = state?.fieldErrors?.[name];
  const describedBy = [hint ? `${id}-hint` : null, errors?.length ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  const keep = input.type === "password" ? undefined : typedValue(state, name);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      <input
        {...input}
        id={id}
        name={name}
        defaultValue={keep ?? input.defaultValue}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={describedBy}
      />
      <FieldError id={`${id}-error`} errors={errors} />
    </div>
  );
}

export function SelectField({
  name,
  label,
  state,
  options,
  ...select
}: {
  name: string;
  label: string;
  state?: FormState;
  options: readonly { value: string; label: string }[];
} & SelectHTMLAttributes<HTMLSelectElement>) {
  const id = select.id ?? `field-${name}`;
  const errors = state?.fieldErrors?.[name];
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        {...select}
        id={id}
        name={name}
        defaultValue={typedValue(state, name) ?? select.defaultValue}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={errors?.length ? `${id}-error` : undefined}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <FieldError id={`${id}-error`} errors={errors} />
    </div>
  );
}

export function FieldError({ id, errors }: { id: string; errors?: string[] }) {
  if (!errors?.length) return null;
  return (
    <p className="field-error" id={id} role="alert">
      {errors.join(" ")}
    </p>
  );
}

export function FormError({ state }: { state?: FormState }) {
  if (!state?.formError) return null;
  return (
    <div className="form-error" role="alert">
      {state.formError}
    </div>
  );
}

/** A labelled textarea, with its hint and error beside it, like Field. */
export function TextAreaField({
  name,
  label,
  hint,
  state,
  ...textarea
}: { name: string; label: string; hint?: ReactNode; state?: FormState } & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const id = textarea.id ?? `field-${name}`;
  const errors = state?.fieldErrors?.[name];
  const describedBy = [hint ? `${id}-hint` : null, errors?.length ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      <textarea
        {...textarea}
        id={id}
        name={name}
        defaultValue={typedValue(state, name) ?? textarea.defaultValue}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={describedBy}
      />
      <FieldError id={`${id}-error`} errors={errors} />
    </div>
  );
}
