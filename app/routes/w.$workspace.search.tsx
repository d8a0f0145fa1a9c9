import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { EmptyState } from "~/components/empty-state";
import { PageHead } from "~/components/page-head";
import { WorkspaceRouteError } from "~/components/route-error";
import { requireMember } from "~/http/session.server";

export const meta: MetaFunction = () => [{ title: "Search · Hindsight" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireMember(request, params.workspace);
  return null;
}

export default function Search() {
  return (
    <>
      <PageHead title="Search" description="One search over incidents, postmortems, factors, actions and decisions." />
      <EmptyState title="Nothing to search yet">
        <p>Once incidents, postmortems and decisions are written, you will find them here by any word they contain.</p>
      </EmptyState>
    </>
  );
}

export const ErrorBoundary = WorkspaceRouteError;
