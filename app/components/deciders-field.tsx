import { FieldError, type FormState } from "~/components/form";
import { LIMITS } from "~/domain/shared/limits";

/**
 * A decision record's deciders: the workspace's members to tick, and a text field for people
 * outside it (names separated by commas). Both post as `deciders`; the form joins them.
 */
export function DecidersField({ members, selected, state }: { members: { id: string; display_name: string }[]; selected: readonly string[]; state?: FormState }) {
  const typed = state?.values?.deciders;
  const chosen = typed === undefined ? selected : typeof typed === "string" ? [typed] : typed;
  const isMember = (name: string) => members.some((m) => m.display_name.toLowerCase() === name.trim().toLowerCase());
  const ticked = new Set(chosen.filter(isMember).map((n) => n.trim().toLowerCase()));
  const others = chosen.filter((n) => !isMember(n)).join(", ");
  const errors = state?.fieldErrors?.deciders;
  return (
    <fieldset className="fieldset deciders-field">
      <legend>Deciders</legend>
      {members.length ? (
        <ul className="list-plain checkbox-grid">
          {members.map((m) => (
            <li key={m.id}>
              <label className="checkbox">
                <input type="checkbox" name="deciders" value={m.display_name} defaultChecked={ticked.has(m.display_name.toLowerCase())} /> {m.display_name}
              </label>
            </li>
          ))}
        </ul>
      ) : null}
      <div className="field">
        <label htmlFor="deciders-others">{members.length ? "Others, outside the workspace" : "Names"}</label>
        <p className="hint" id="deciders-others-hint">
          Names, separated by commas.
        </p>
        <input
          id="deciders-others"
          name="deciders"
          defaultValue={others}
          maxLength={LIMITS.list}
          aria-describedby={errors?.length ? "deciders-others-hint deciders-error" : "deciders-others-hint"}
          aria-invalid={errors?.length ? true : undefined}
        />
        <FieldError id="deciders-error" errors={errors} />
      </div>
    </fieldset>
  );
}
