import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { EmptyState } from "~/components/empty-state";
import { PageHead } from "~/components/page-head";
import { WorkspaceRouteError } from "~/components/route-error";
import { requireMember } from "~/http/session.server";

export const meta: MetaFunction = () => [{ title: "Postmortems · Hindsight" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireMember(request, params.workspace);
  return null;
}

export default function Postmortems() {
  return (
    <>
      <PageHead title="Postmortems" description="Blameless write-ups: what happened, why it got through, and what changes now." />
      <EmptyState title="No postmortems yet">
        <p>A postmortem starts from an incident. Record the incident first, then open it and start the write-up from a template.</p>
      </EmptyState>
    </>
  );
}

export const ErrorBoundary = WorkspaceRouteError;
