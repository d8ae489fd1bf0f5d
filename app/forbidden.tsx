import { homeForRoles } from "@/components/role-home";
import { LinkButton } from "@/components/ui";
import { getViewer } from "./_lib/viewer";

export default async function Forbidden() {
  const viewer = await getViewer();
  const home = viewer ? homeForRoles(viewer.roles) : "/login";
  return (
    <div className="page flex justify-center">
      <div className="card w-full max-w-lg p-8 text-center">
        <p className="text-sm font-semibold tracking-wider text-brand-700 uppercase">Error 403</p>
        <h1 className="mt-2 text-2xl font-semibold tracking-tight">You don&apos;t have access to this page</h1>
        <p className="mt-3 text-slate-600">
          Your account doesn&apos;t have the role this page needs. If you think it should, contact support.
        </p>
        <div className="mt-6 flex flex-wrap justify-center gap-3">
          <LinkButton href={home}>{viewer ? "Go to your dashboard" : "Log in"}</LinkButton>
          <LinkButton href="/" variant="secondary">
            Go home
          </LinkButton>
        </div>
      </div>
    </div>
  );
}
