import Link from "next/link";
import { homeForRoles } from "@/components/role-home";
import { ErrorPage, LinkButton } from "@/components/ui";
import { getViewer } from "./_lib/viewer";

export default async function Forbidden() {
  const viewer = await getViewer();
  const home = viewer ? homeForRoles(viewer.roles) : "/login";
  return (
    <ErrorPage
      kicker="Error 403"
      title="You don't have access to this page"
      primaryAction={<LinkButton href={home}>{viewer ? "Go to your dashboard" : "Log in"}</LinkButton>}
    >
      Your account doesn&apos;t have the role this page needs. If you think it should,{" "}
      <Link className="link" href="/support">
        contact support
      </Link>
      .
    </ErrorPage>
  );
}
