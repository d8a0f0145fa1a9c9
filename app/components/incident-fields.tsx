import { Field, FieldError, SelectField, typedValue, typedValues, type FormState } from "~/components/form";
import { INCIDENT_STATUSES, SEVERITIES, SEVERITY_LABELS } from "~/domain/incidents/rules";
import { TimeZoneField, useClock } from "~/components/when";
import { toZonedInput } from "~/domain/shared/dates";
import { tierOptions } from "~/components/tier-badges";
import { LIMITS } from "~/domain/shared/limits";

type AreaOption = { id: string; name: string; default_tier: string };
export type IncidentDefaults = {
  title?: string;
  severity?: string;
  status?: string;
  tier?: string;
  impact?: string;
  started_at?: string | Date;
  detected_at?: string | Date | null;
  mitigated_at?: string | Date | null;
  resolved_at?: string | Date | null;
  areaIds?: string[];
};

const TIER_OPTIONS = tierOptions(true);

/** The fields of an incident, for both recording and editing one. */
export function IncidentFields({ state, areas, defaults }: { state?: FormState; areas: AreaOption[]; defaults: IncidentDefaults }) {
  const chosenAreas = new Set(typedValues(state, "areaIds") ?? defaults.areaIds ?? []);
  const { timeZone } = useClock();
  const local = (value: string | Date | null | undefined) => toZonedInput(value, timeZone);
  return (
    <>
      <Field name="title" label="Title" defaultValue={defaults.title} state={state} required maxLength={LIMITS.title} />
      <div className="grid-3">
        <SelectField
          name="severity"
          label="Severity"
          options={SEVERITIES.map((s) => ({ value: s, label: SEVERITY_LABELS[s] }))}
          defaultValue={defaults.severity ?? "SEV3"}
          state={state}
        />
        <SelectField
          name="status"
          label="Status"
          options={INCIDENT_STATUSES.map((s) => ({ value: s, label: s[0]!.toUpperCase() + s.slice(1) }))}
          defaultValue={defaults.status ?? "investigating"}
          state={state}
        />
        <SelectField name="tier" label="Tier of the change involved" options={TIER_OPTIONS} defaultValue={defaults.tier ?? "T1"} state={state} />
      </div>
      <div className="field">
        <label htmlFor="field-impact">Impact</label>
        <p className="hint" id="field-impact-hint">
          Who was affected, how, and for how long. Facts, not blame.
        </p>
        <textarea
          id="field-impact"
          name="impact"
          defaultValue={typedValue(state, "impact") ?? defaults.impact}
          aria-describedby="field-impact-hint"
          aria-invalid={state?.fieldErrors?.impact ? true : undefined}
        />
        <FieldError id="field-impact-error" errors={state?.fieldErrors?.impact} />
      </div>
      <fieldset className="fieldset" aria-describedby="incident-times-zone">
        <legend>Times</legend>
        <p className="time-zone-note" id="incident-times-zone">
          In your time zone, {timeZone}.
        </p>
        <TimeZoneField />
        <div className="time-grid">
          <Field name="startedAt" label="Started" type="datetime-local" defaultValue={local(defaults.started_at)} state={state} required />
          <Field name="detectedAt" label="Detected" type="datetime-local" defaultValue={local(defaults.detected_at)} state={state} />
          <Field name="mitigatedAt" label="Mitigated" type="datetime-local" defaultValue={local(defaults.mitigated_at)} state={state} />
          <Field name="resolvedAt" label="Resolved" type="datetime-local" defaultValue={local(defaults.resolved_at)} state={state} />
        </div>
      </fieldset>
      <fieldset className="fieldset" aria-describedby={state?.fieldErrors?.areaIds ? "field-areaIds-error" : undefined}>
        <legend>Affected areas</legend>
        <div className="checkbox-grid">
          {areas.map((a) => (
            <label key={a.id} className="checkbox">
              <input type="checkbox" name="areaIds" value={a.id} defaultChecked={chosenAreas.has(a.id)} /> {a.name}{" "}
              <span className={`badge tier-${a.default_tier}`}>{a.default_tier}</span>
            </label>
          ))}
        </div>
        <FieldError id="field-areaIds-error" errors={state?.fieldErrors?.areaIds} />
      </fieldset>
    </>
  );
}
