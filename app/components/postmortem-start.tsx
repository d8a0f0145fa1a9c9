import { Form, useNavigation } from "@remix-run/react";

type Template = { key: string; name: string; description: string };

/** Choosing a template starts the incident's postmortem. */
export function PostmortemStart({ action, templates }: { action: string; templates: Template[] }) {
  const busy = useNavigation().state === "submitting";
  return (
    <Form method="post" action={action} className="form">
      <input type="hidden" name="intent" value="start" />
      <fieldset className="fieldset">
        <legend>Start from a template</legend>
        <div className="template-choices">
          {templates.map((t, i) => (
            <label key={t.key} className="template-choice">
              <input type="radio" name="template" value={t.key} defaultChecked={i === 0} />
              <span>
                <strong>{t.name}</strong>
                <span className="muted"> {t.description}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      <div>
        <button type="submit" className="button" disabled={busy}>
          Start the postmortem
        </button>
      </div>
    </Form>
  );
}
