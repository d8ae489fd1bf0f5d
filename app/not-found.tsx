import { ErrorPage, LinkButton } from "@/components/ui";

export default function NotFound() {
  return (
    <ErrorPage
      kicker="Error 404"
      title="Page not found"
      primaryAction={<LinkButton href="/marketplace">Browse the marketplace</LinkButton>}
    >
      The page you asked for doesn&apos;t exist or has moved.
    </ErrorPage>
  );
}
