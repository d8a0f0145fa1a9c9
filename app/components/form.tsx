import { useActionData, useNavigation } from "@remix-run/react";
import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from "react";

export type FormState =
  | { fieldErrors?: Record<string, string[]>; formError?: string; values?: Record<string, string | string[]> }
  | undefined;

/**
 * What the page's own action answered, as its forms show it: `success` when it answered
 * `{ ok: true, … }` (a notice, a secret shown once), `failure` when it answered a form failure
 * (field errors, the typed values), and `busy` while one of the page's forms is being submitted.
 * `useFormResult<typeof action>()` keeps each half typed as the action returns it.
 */
export function useFormResult<Action>() {
  const result = useActionData<Action>();
  const busy = useNavigation().state === "submitting";
  type Answer = NonNullable<typeof result>;
  const ok = (result as { ok?: boolean } | undefined)?.ok;
  return {
    result,
    busy,
    success: result && ok ? (result as Extract<Answer, { ok: true }>) : undefined,
    failure: result && !ok ? (result as Extract<Answer, { ok: false }>) : undefined,
  };
}

/** The line that says what a submitted form did; nothing when there is nothing to say. */
export function Notice({ children }: { children?: ReactNode }) {
  if (children === null || children === undefined || children === "") return null;
  return (
    <div className="notice" role="status">
      {children}
    </div>
  );
}

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

/** The frame of every field: its label, its hint, the control, and its error announced with it. */
function FieldFrame({ id, label, hint, errors, children }: { id: string; label: string; hint?: ReactNode; errors?: string[]; children: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {children}
      <FieldError id={`${id}-error`} errors={errors} />
    </div>
  );
}

/** The control's id, its errors, and the aria attributes that tie the hint and the errors to it. */
function fieldParts(name: string, explicitId: string | undefined, hint: ReactNode, state: FormState) {
  const id = explicitId ?? `field-${name}`;
  const errors = state?.fieldErrors?.[name];
  const describedBy = [hint ? `${id}-hint` : null, errors?.length ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return { id, errors, aria: { "aria-invalid": errors?.length ? true : undefined, "aria-describedby": describedBy } };
}

/** A labelled input whose error sits beside it and is announced with it. */
export function Field({
  name,
  label,
  hint,
  state,
  ...input
}: { name: string; label: string; hint?: ReactNode; state?: FormState } & InputHTMLAttributes<HTMLInputElement>) {
  const { id, errors, aria } = fieldParts(name, input.id, hint, state);
  const keep = input.type === "password" ? undefined : typedValue(state, name);
  return (
    <FieldFrame id={id} label={label} hint={hint} errors={errors}>
      <input {...input} id={id} name={name} defaultValue={keep ?? input.defaultValue} {...aria} />
    </FieldFrame>
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
  const { id, errors, aria } = fieldParts(name, select.id, undefined, state);
  return (
    <FieldFrame id={id} label={label} errors={errors}>
      <select {...select} id={id} name={name} defaultValue={typedValue(state, name) ?? select.defaultValue} {...aria}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldFrame>
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
  const { id, errors, aria } = fieldParts(name, textarea.id, hint, state);
  return (
    <FieldFrame id={id} label={label} hint={hint} errors={errors}>
      <textarea {...textarea} id={id} name={name} defaultValue={typedValue(state, name) ?? textarea.defaultValue} {...aria} />
    </FieldFrame>
  );
}
