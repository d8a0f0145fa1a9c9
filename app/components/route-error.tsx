import { isRouteErrorResponse, Link, useParams, useRouteError } from "@remix-run/react";

/** Errors inside a workspace render inside its shell, so the way back stays in view. */
export function WorkspaceRouteError() {
  const error = useRouteError();
  const { workspace } = useParams();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const detail = isRouteErrorResponse(error) && typeof error.data === "string" ? error.data : null;
  const title =
    status === 404 ? "Not found" : status === 403 ? "You don't have access to this" : status >= 500 ? "Something went wrong" : "Request refused";
  return (
    <section className="card" role="alert">
      <p className="muted">Error {status}</p>
      <h1>{title}</h1>
      <p>
        {status === 404
          ? "It may have been removed, or the link is wrong."
          : status >= 500
            ? "It has been logged. Try again in a moment."
            : detail}
      </p>
      {workspace ? <Link to={`/w/${workspace}`}>Back to the workspace overview</Link> : null}
    </section>
  );
}
