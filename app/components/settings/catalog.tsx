import { Form } from "@remix-run/react";
import { Field, FormError, SelectField, typedValue, type FormState } from "~/components/form";
import { tierOptions } from "~/components/tier-badges";

type Tier = { key: string; name: string; summary: string; typical_changes: string[]; required_checks: string[]; release_controls: string[] };
type Area = { id: string; name: string; slug: string; description: string; default_tier: string; maintainers: { id: string; name: string }[] };

/** Settings: the risk tiers and critical areas every incident is classified by, and who maintains each area. */
export function CatalogSettings({
  isAdmin,
  tiers,
  areas,
  members,
  failure,
  busy,
}: {
  isAdmin: boolean;
  tiers: Tier[];
  areas: Area[];
  members: { id: string; display_name: string }[];
  failure: FormState;
  busy: boolean;
}) {
  return (
    <section className="card" aria-labelledby="catalog-title" id="catalog">
      <h2 id="catalog-title">Risk tiers</h2>
      <p className="muted">Every change and incident is classified by blast radius. Higher tiers need more checks before release.</p>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Tier</th>
              <th scope="col">Typical changes</th>
              <th scope="col">Required checks</th>
              <th scope="col">Release controls</th>
            </tr>
          </thead>
          <tbody>
            {tiers.map((t) => (
              <tr key={t.key}>
                <th scope="row">
                  <span className={`badge tier-${t.key}`}>{t.key}</span> {t.name}
                </th>
                <td>{t.typical_changes.join(", ")}</td>
                <td>{t.required_checks.join(", ")}</td>
                <td>{t.release_controls.join(", ")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {isAdmin ? (
        <details className="edit">
          <summary>Edit the tiers</summary>
          {tiers.map((t) => (
            <Form method="post" className="form card auth-alt" key={t.key} noValidate aria-label={`Tier ${t.key}`}>
              <input type="hidden" name="intent" value="save-tier" />
              <input type="hidden" name="key" value={t.key} />
              <h3>{t.key}</h3>
              <div className="grid-3">
                <Field id={`tier-${t.key}-name`} name="name" label={`Name of ${t.key}`} defaultValue={t.name} state={tierFailure(failure, t.key)} />
                <Field id={`tier-${t.key}-summary`} name="summary" label="Summary" defaultValue={t.summary} state={tierFailure(failure, t.key)} />
              </div>
              <div className="grid-3">
                <ListField id={`tier-${t.key}-typical`} name="typicalChanges" label="Typical changes (one a line)" items={t.typical_changes} />
                <ListField id={`tier-${t.key}-checks`} name="requiredChecks" label="Required checks (one a line)" items={t.required_checks} />
                <ListField id={`tier-${t.key}-controls`} name="releaseControls" label="Release controls (one a line)" items={t.release_controls} />
              </div>
              <div>
                <button type="submit" className="button secondary small" disabled={busy}>
                  Save {t.key}
                </button>
              </div>
            </Form>
          ))}
        </details>
      ) : null}
      <h2 className="auth-alt">Critical areas</h2>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Area</th>
              <th scope="col">Covers</th>
              <th scope="col">Default tier</th>
              <th scope="col">Maintainers</th>
            </tr>
          </thead>
          <tbody>
            {areas.map((a) => (
              <tr key={a.id}>
                <th scope="row">{a.name}</th>
                <td>{a.description}</td>
                <td>
                  <span className={`badge tier-${a.default_tier}`}>{a.default_tier}</span>
                </td>
                <td>
                  {a.maintainers.map((m) => m.name).join(", ") || <span className="muted">none yet</span>}
                  {isAdmin ? (
                    <details className="edit">
                      <summary>
                        Edit<span className="visually-hidden"> {a.name}</span>
                      </summary>
                      <AreaForm area={a} state={typedValue(failure, "areaId") === a.id ? failure : undefined} busy={busy} />
                    </details>
                  ) : null}
                  {isAdmin ? (
                    <details className="edit">
                      <summary>
                        Choose<span className="visually-hidden"> maintainers of {a.name}</span>
                      </summary>
                      <Form method="post" className="form">
                        <input type="hidden" name="intent" value="set-maintainers" />
                        <input type="hidden" name="areaId" value={a.id} />
                        <fieldset className="fieldset">
                          <legend>Maintainers of {a.name}</legend>
                          {members.map((m) => (
                            <label key={m.id} className="checkbox">
                              <input type="checkbox" name="maintainerIds" value={m.id} defaultChecked={a.maintainers.some((x) => x.id === m.id)} />{" "}
                              {m.display_name}
                            </label>
                          ))}
                        </fieldset>
                        <button type="submit" className="button secondary small" disabled={busy}>
                          Save maintainers
                        </button>
                      </Form>
                    </details>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {isAdmin ? (
        <details className="edit auth-alt" open={typedValue(failure, "intent") === "save-area" && !typedValue(failure, "areaId")}>
          <summary>Add an area</summary>
          <AreaForm state={typedValue(failure, "intent") === "save-area" && !typedValue(failure, "areaId") ? failure : undefined} busy={busy} />
        </details>
      ) : null}
    </section>
  );
}

function tierFailure(failure: FormState, key: string): FormState {
  return typedValue(failure, "intent") === "save-tier" && typedValue(failure, "key") === key ? failure : undefined;
}

function ListField({ id, name, label, items }: { id: string; name: string; label: string; items: string[] }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea id={id} name={name} rows={3} defaultValue={items.join("\n")} />
    </div>
  );
}

function AreaForm({
  area,
  state,
  busy,
}: {
  area?: { id: string; name: string; slug: string; description: string; default_tier: string };
  state: FormState;
  busy: boolean;
}) {
  const prefix = area ? `area-${area.id}` : "area-new";
  return (
    <Form method="post" className="form" noValidate>
      <FormError state={state} />
      <input type="hidden" name="intent" value="save-area" />
      <input type="hidden" name="areaId" value={area?.id ?? ""} />
      <Field id={`${prefix}-name`} name="name" label="Area name" defaultValue={area?.name} state={state} />
      <Field
        id={`${prefix}-slug`}
        name="slug"
        label="Short name"
        hint="Used in filters and links, e.g. payments-api."
        defaultValue={area?.slug}
        state={state}
      />
      <Field id={`${prefix}-description`} name="description" label="What it covers" defaultValue={area?.description} state={state} />
      <SelectField
        id={`${prefix}-tier`}
        name="defaultTier"
        label="Default tier"
        options={tierOptions()}
        defaultValue={area?.default_tier ?? "T2"}
        state={state}
      />
      <div>
        <button type="submit" className="button secondary small" disabled={busy}>
          {area ? "Save area" : "Add area"}
        </button>
      </div>
    </Form>
  );
}
