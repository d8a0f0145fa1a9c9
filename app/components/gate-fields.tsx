import { Field, FieldError, SelectField, TextAreaField, typedValues, type FormState } from "~/components/form";
import { GATE_KINDS, GATE_STATUSES } from "~/domain/guardrails/rules";
import { tierOptions } from "~/components/tier-badges";
import { LIMITS } from "~/domain/shared/limits";

export type GateDefaults = {
  name?: string;
  kind?: string;
  repository?: string;
  check_name?: string;
  tiers?: string[];
  status?: string;
  description?: string;
};

const TIER_OPTIONS = tierOptions(true);

/** The fields of a gate, for both creating and editing one. */
export function GateFields({ state, defaults }: { state?: FormState; defaults: GateDefaults }) {
  const chosenTiers = new Set(typedValues(state, "tiers") ?? defaults.tiers ?? []);
  const tierErrors = state?.fieldErrors?.tiers;
  return (
    <>
      <Field name="name" label="Name" hint="What it enforces, e.g. “Migrations dry-run on a production-sized snapshot”." defaultValue={defaults.name} state={state} required maxLength={LIMITS.gateName} />
      <div className="grid-3">
        <SelectField
          name="kind"
          label="Kind"
          options={Object.entries(GATE_KINDS).map(([value, label]) => ({ value, label }))}
          defaultValue={defaults.kind ?? "ci_check"}
          state={state}
        />
        <SelectField
          name="status"
          label="Status"
          options={Object.entries(GATE_STATUSES).map(([value, label]) => ({ value, label }))}
          defaultValue={defaults.status ?? "proposed"}
          state={state}
        />
      </div>
      <div className="grid-2">
        <Field name="repository" label="Repository" hint="owner/name, as on GitHub." placeholder="acme/api" defaultValue={defaults.repository} state={state} maxLength={LIMITS.repository} />
        <Field
          name="checkName"
          label="Check name"
          hint="The check run's name, as GitHub shows it."
          defaultValue={defaults.check_name}
          state={state}
          maxLength={LIMITS.checkName}
        />
      </div>
      <fieldset className="fieldset" aria-describedby={tierErrors ? "field-tiers-error" : undefined}>
        <legend>Tiers it guards</legend>
        <div className="tier-choices">
          {TIER_OPTIONS.map((t) => (
            <label key={t.value} className="checkbox">
              <input type="checkbox" name="tiers" value={t.value} defaultChecked={chosenTiers.has(t.value)} /> {t.label}
            </label>
          ))}
        </div>
        <FieldError id="field-tiers-error" errors={tierErrors} />
      </fieldset>
      <TextAreaField name="description" label="Description" hint="What it checks and where it runs. Optional." defaultValue={defaults.description} state={state} maxLength={LIMITS.note} />
    </>
  );
}
