import { Form } from "@remix-run/react";
import type { Role } from "#db/schema";
import { CopyField } from "~/components/copy-field";
import { Field, SelectField, type FormState } from "~/components/form";
import { ROLE_DESCRIPTIONS, ROLES } from "~/domain/workspaces/rules";
import { When } from "~/components/when";

type Member = { id: string; display_name: string; email: string; role: Role };
type Invite = { id: string; role: Role; email: string | null; created_by_name: string; expires_at: string | Date };

const roleOptions = ROLES.map((r) => ({ value: r, label: r[0]!.toUpperCase() + r.slice(1) }));

/** Settings: the workspace's name, its members and their roles, and (for admins) invites. */
export function MembersSettings({
  workspace,
  isAdmin,
  me,
  members,
  invites,
  failure,
  inviteLink,
  canMail,
  busy,
}: {
  workspace: { name: string; slug: string };
  isAdmin: boolean;
  me: string;
  members: Member[];
  invites: Invite[];
  failure: FormState;
  /** The invite link just created: shown once. */
  inviteLink: string | null;
  /** SMTP is configured: the invite can be mailed. */
  canMail: boolean;
  busy: boolean;
}) {
  return (
    <>
      <section className="card" aria-labelledby="general-title">
        <h2 id="general-title">Workspace</h2>
        {isAdmin ? (
          <Form method="post" className="inline-form" noValidate>
            <input type="hidden" name="intent" value="rename" />
            <Field name="name" label="Name" defaultValue={workspace.name} state={failure} required />
            <button type="submit" className="button secondary" disabled={busy}>
              Save name
            </button>
          </Form>
        ) : (
          <p>{workspace.name}</p>
        )}
        <p className="muted">
          Address: <code>/w/{workspace.slug}</code>
        </p>
      </section>

      <section className="card" aria-labelledby="members-title" id="members">
        <h2 id="members-title">Members</h2>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                {isAdmin ? <th scope="col">Actions</th> : null}
              </tr>
            </thead>
            <tbody>
              {members.map((m) => (
                <tr key={m.id}>
                  <td>
                    {m.display_name}
                    {m.id === me ? <span className="muted"> (you)</span> : null}
                  </td>
                  <td>{m.email}</td>
                  <td>
                    {isAdmin ? (
                      <Form method="post" className="inline-form">
                        <input type="hidden" name="intent" value="change-role" />
                        <input type="hidden" name="userId" value={m.id} />
                        <label className="visually-hidden" htmlFor={`role-${m.id}`}>
                          Role of {m.display_name}
                        </label>
                        <select id={`role-${m.id}`} name="role" defaultValue={m.role}>
                          {roleOptions.map((o) => (
                            <option key={o.value} value={o.value}>
                              {o.label}
                            </option>
                          ))}
                        </select>
                        <button type="submit" className="button secondary small" disabled={busy}>
                          Change
                        </button>
                      </Form>
                    ) : (
                      <span className={`badge role-${m.role}`}>{m.role}</span>
                    )}
                  </td>
                  {isAdmin ? (
                    <td>
                      <Form method="post">
                        <input type="hidden" name="intent" value="remove-member" />
                        <input type="hidden" name="userId" value={m.id} />
                        <button type="submit" className="button danger small" disabled={busy}>
                          Remove<span className="visually-hidden"> {m.display_name}</span>
                        </button>
                      </Form>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <ul className="muted">
          {ROLES.map((r) => (
            <li key={r}>
              <strong>{r}</strong>: {ROLE_DESCRIPTIONS[r]}
            </li>
          ))}
        </ul>
      </section>

      {isAdmin ? (
        <section className="card" aria-labelledby="invite-title">
          <h2 id="invite-title">Invite people</h2>
          <p className="muted">
            {canMail
              ? "Give their email address and Hindsight mails them the link, or leave it empty and send the link yourself. It works once and expires in 7 days."
              : "Create a link and send it to the person you are inviting. It works once and expires in 7 days."}
          </p>
          <Form method="post" className="inline-form" noValidate>
            <input type="hidden" name="intent" value="invite" />
            {canMail ? <Field name="email" type="email" label="Their email (optional)" autoComplete="off" state={failure} /> : null}
            <SelectField name="role" label="They join as" options={roleOptions} defaultValue="editor" state={failure} />
            <button type="submit" className="button" disabled={busy}>
              {canMail ? "Create invite" : "Create invite link"}
            </button>
          </Form>
          {inviteLink ? <CopyField id="invite-link" label="Invite link (copy it now; it is not shown again)" value={inviteLink} className="auth-alt" /> : null}
          {invites.length ? (
            <>
              <h3 className="auth-alt">Pending invites</h3>
              <ul className="list-plain">
                {invites.map((i) => (
                  <li key={i.id} className="inline-form">
                    <span>
                      {i.role} invite{i.email ? ` for ${i.email}` : ""} by {i.created_by_name}, expires <When at={i.expires_at} />
                    </span>
                    <Form method="post">
                      <input type="hidden" name="intent" value="revoke-invite" />
                      <input type="hidden" name="inviteId" value={i.id} />
                      <button type="submit" className="button secondary small" disabled={busy}>
                        Revoke
                      </button>
                    </Form>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </section>
      ) : null}
    </>
  );
}
