import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { isRouteErrorResponse, Links, Meta, Outlet, Scripts, ScrollRestoration, useRouteError, useRouteLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { useNonce } from "~/components/nonce";
import { ClockProvider } from "~/components/clock";
import { DEFAULT_TIME_ZONE, TIME_ZONE_COOKIE } from "~/domain/shared/time-zones";
import { readerTimeZone } from "~/http/time-zone.server";
import { currentSession, sessionCookie } from "~/http/session.server";
import styles from "~/styles/app.css?url";
import proseStyles from "~/styles/prose.css?url";
import shellStyles from "~/styles/shell.css?url";
import liveDocumentStyles from "~/styles/documents-live.css?url";
import trackerStyles from "~/styles/trackers.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "stylesheet", href: proseStyles },
  { rel: "stylesheet", href: shellStyles },
  { rel: "stylesheet", href: liveDocumentStyles },
  { rel: "stylesheet", href: trackerStyles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [{ title: "Hindsight" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const current = await currentSession(request);
  const headers = new Headers();
  // Sliding expiry: when the session was renewed, the cookie gets the new date too.
  if (current?.session.renewed) {
    headers.append("Set-Cookie", sessionCookie(request, current.token, current.session.expiresAt));
  }
  return data({ user: current?.user ?? null, timeZone: readerTimeZone(request), now: Date.now() }, { headers });
}

/**
 * Tells the server the reader's time zone for the next request (dates are rendered in it; until
 * then, in UTC, and the browser corrects them after hydration: app/components/when.tsx).
 */
const TIME_ZONE_SCRIPT = `try{var z=Intl.DateTimeFormat().resolvedOptions().timeZone;if(z&&document.cookie.indexOf("${TIME_ZONE_COOKIE}="+encodeURIComponent(z))<0)document.cookie="${TIME_ZONE_COOKIE}="+encodeURIComponent(z)+";path=/;max-age=31536000;samesite=lax"}catch(e){}`;

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  const root = useRouteLoaderData<typeof loader>("root");
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <Meta />
        <Links />
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: TIME_ZONE_SCRIPT }} />
      </head>
      <body>
        <ClockProvider timeZone={root?.timeZone ?? DEFAULT_TIME_ZONE} now={root?.now ?? 0}>
          {children}
        </ClockProvider>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const message = isRouteErrorResponse(error)
    ? typeof error.data === "string" && error.data
      ? error.data
      : error.statusText
    : "Something went wrong on our side. It has been logged; try again in a moment.";
  const title = status === 404 ? "Not found" : status === 403 ? "Not allowed" : status >= 500 ? "Something went wrong" : "Request refused";
  return (
    <main className="error-page card" id="main">
      <p className="muted">Error {status}</p>
      <h1>{title}</h1>
      <p>{status === 404 ? "There is nothing here, or it belongs to a workspace you are not a member of." : message}</p>
      <p>
        <a href="/">Go to your workspaces</a>
      </p>
    </main>
  );
}
