import { Form } from "@remix-run/react";
import { CopyField } from "~/components/copy-field";
import { When } from "~/components/when";

/** A sender's stored secret as the settings page shows it: never the secret, only its last characters. */
export type SecretStatus = {
  hint: string;
  updated_by_name: string;
  updated_at: string | Date;
  previous_valid_until: string | Date | null;
} | null;

/** Whether a sender has a secret, whose, since when, and until when the previous one still works. */
export function SecretState({ status, what }: { status: SecretStatus; what: string }) {
  if (!status) return <p className="muted">No {what} yet: deliveries to this address are refused (404).</p>;
  return (
    <p>
      {what[0]!.toUpperCase() + what.slice(1)} ending in <code>…{status.hint}</code>, set by {status.updated_by_name} on <When at={status.updated_at} />.
      {status.previous_valid_until && new Date(status.previous_valid_until) > new Date() ? (
        <span className="muted"> The previous one keeps working until <When at={status.previous_valid_until} />.</span>
      ) : null}
    </p>
  );
}

/** Turns an integration off: its deliveries are refused from then on. */
export function RemoveButton({ source, busy, label }: { source: string; busy: boolean; label: string }) {
  return (
    <Form method="post">
      <input type="hidden" name="intent" value="remove" />
      <input type="hidden" name="source" value={source} />
      <button type="submit" className="button danger small" disabled={busy}>
        Turn off<span className="visually-hidden"> {label}</span>
      </button>
    </Form>
  );
}

/**
 * A secret this app generates for a sender (GitHub's webhook secret, Alertmanager's token): its
 * state, the new one once (copy it now), and the buttons to make a new one or turn the sender off.
 */
export function GeneratedSecret({
  source,
  label,
  what,
  shown,
  status,
  busy,
}: {
  source: "github" | "alertmanager";
  /** The sender's name: "GitHub". */
  label: string;
  /** What the secret is called ("webhook secret", "token"), and the field that shows a new one. */
  what: { name: string; fieldId: string; fieldLabel: string };
  /** The secret just generated, shown this once. */
  shown: string | null;
  status: SecretStatus;
  busy: boolean;
}) {
  return (
    <>
      <SecretState status={status} what={what.name} />
      {shown ? <CopyField id={what.fieldId} label={`${what.fieldLabel} (copy it now; it is not shown again)`} value={shown} /> : null}
      <div className="actions-row">
        <Form method="post">
          <input type="hidden" name="intent" value="rotate" />
          <input type="hidden" name="source" value={source} />
          <button type="submit" className="button" disabled={busy}>
            {status ? `Rotate ${what.name}` : `Generate ${what.name}`}
          </button>
        </Form>
        {status ? <RemoveButton source={source} busy={busy} label={label} /> : null}
      </div>
    </>
  );
}
