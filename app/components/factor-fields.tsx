/** The fields of a contributing factor and of a new guardrail action, shared by the factor forms (factors-section.tsx). */
import type { ReactNode } from "react";
import { Field, FieldError, FormError, SelectField, typedValue, type FormState } from "~/components/form";
import { tierOptions } from "~/components/tier-badges";
import { ACTION_KINDS, FACTOR_CATEGORIES, GATE_INVOLVEMENTS, GATE_KINDS } from "~/domain/guardrails/rules";
import { LIMITS } from "~/domain/shared/limits";

export type Gate = { id: string; name: string; kind: keyof typeof GATE_KINDS; repository: string; check_name: string };
export type Member = { id: string; display_name: string };

export const TIER_OPTIONS = tierOptions();
export const CATEGORY_OPTIONS = Object.entries(FACTOR_CATEGORIES).map(([value, label]) => ({ value, label }));

export type FactorDefaults = { text?: string; category?: string; tier?: string; pullRequestUrls?: string; gates?: Record<string, string> };

/** The fields of a factor, for adding one and for editing one in place. */
export function FactorFields({ idPrefix, state, gates, defaults }: { idPrefix: string; state?: FormState; gates: Gate[]; defaults: FactorDefaults }): ReactNode {
  const kept = (name: string, fallback?: string) => typedValue(state, name) ?? fallback;
  return (
    <>
      <div className="field">
        <label htmlFor={`${idPrefix}-text`}>What made this possible</label>
        <p className="hint" id={`${idPrefix}-text-hint`}>
          A condition or gap in the system, e.g. &ldquo;Config changes skip the canary stage&rdquo;.
        </p>
        <textarea
          id={`${idPrefix}-text`}
          name="text"
          maxLength={LIMITS.text}
          defaultValue={kept("text", defaults.text)}
          aria-describedby={`${idPrefix}-text-hint`}
          aria-invalid={state?.fieldErrors?.text ? true : undefined}
        />
        <FieldError id={`${idPrefix}-text-error`} errors={state?.fieldErrors?.text} />
      </div>
      <div className="grid-3">
        <SelectField id={`${idPrefix}-category`} name="category" label="Category" options={CATEGORY_OPTIONS} defaultValue={defaults.category} state={state} />
        <SelectField id={`${idPrefix}-tier`} name="tier" label="Tier" options={TIER_OPTIONS} defaultValue={defaults.tier} state={state} />
      </div>
      {gates.length ? (
        <fieldset className="fieldset">
          <legend>Gates involved</legend>
          <div className="grid-3">
            {gates.map((g) => (
              <div className="field" key={g.id}>
                <label htmlFor={`${idPrefix}-involve-${g.id}`}>{g.name}</label>
                <select id={`${idPrefix}-involve-${g.id}`} name={`gate:${g.id}`} defaultValue={kept(`gate:${g.id}`, defaults.gates?.[g.id] ?? "")}>
                  <option value="">Not involved</option>
                  {Object.entries(GATE_INVOLVEMENTS).map(([value, label]) => (
                    <option key={value} value={value}>
                      {label[0]!.toUpperCase() + label.slice(1)}
                    </option>
                  ))}
                </select>
              </div>
            ))}
          </div>
          <FieldError id={`${idPrefix}-gates-error`} errors={state?.fieldErrors?.gates} />
        </fieldset>
      ) : null}
      <div className="field">
        <label htmlFor={`${idPrefix}-prs`}>Pull requests involved</label>
        <p className="hint" id={`${idPrefix}-prs-hint`}>
          GitHub pull request URLs, one a line.
        </p>
        <textarea
          id={`${idPrefix}-prs`}
          name="pullRequestUrls"
          rows={2}
          defaultValue={kept("pullRequestUrls", defaults.pullRequestUrls)}
          aria-describedby={`${idPrefix}-prs-hint`}
          aria-invalid={state?.fieldErrors?.pullRequestUrls ? true : undefined}
        />
        <FieldError id={`${idPrefix}-prs-error`} errors={state?.fieldErrors?.pullRequestUrls} />
      </div>
    </>
  );
}

export function CreateActionFields({ idPrefix, state, gates, members }: { idPrefix: string; state?: FormState; gates: Gate[]; members: Member[] }) {
  return (
    <>
      <FormError state={state} />
      <Field id={`${idPrefix}-title`} name="title" label="Action title" state={state} maxLength={LIMITS.title} />
      <div className="grid-3">
        <SelectField
          id={`${idPrefix}-kind`}
          name="kind"
          label="Kind"
          options={Object.entries(ACTION_KINDS).map(([value, label]) => ({ value, label }))}
          state={state}
        />
        <SelectField
          id={`${idPrefix}-owner`}
          name="ownerId"
          label="Owner"
          options={[{ value: "", label: "No owner yet" }, ...members.map((m) => ({ value: m.id, label: m.display_name }))]}
          state={state}
        />
        <Field id={`${idPrefix}-due`} name="dueOn" label="Due date" type="date" state={state} />
      </div>
      <SelectField
        id={`${idPrefix}-gate`}
        name="gateId"
        label="Gate"
        options={[{ value: "", label: "No existing gate" }, ...gates.map((g) => ({ value: g.id, label: `${g.name}${g.check_name ? ` (${g.repository} · ${g.check_name})` : ""}` }))]}
        state={state}
      />
      <fieldset className="fieldset">
        <legend>Or propose a new gate</legend>
        <div className="grid-3">
          <Field id={`${idPrefix}-ng-name`} name="newGateName" label="Or propose a new gate: name" state={state} maxLength={LIMITS.gateName} />
          <SelectField
            id={`${idPrefix}-ng-kind`}
            name="newGateKind"
            label="Gate kind"
            options={Object.entries(GATE_KINDS).map(([value, label]) => ({ value, label }))}
            state={state}
          />
          <Field id={`${idPrefix}-ng-check`} name="newGateCheckName" label="Check name" state={state} maxLength={LIMITS.checkName} />
          <Field id={`${idPrefix}-ng-repo`} name="newGateRepository" label="Repository" placeholder="owner/name" state={state} />
        </div>
      </fieldset>
      <Field id={`${idPrefix}-pr`} name="implementingPrUrl" label="Implementing pull request (optional)" type="url" state={state} />
    </>
  );
}
