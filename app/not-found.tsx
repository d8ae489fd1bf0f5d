import { LinkButton } from "@/components/ui";

export default function NotFound() {
  return (
    <div className="page flex justify-center">
      <div className="card w-full max-w-lg p-8 text-center">
        <p className="text-sm font-semibold tracking-wider text-brand-700 uppercase">Error 404</p>
        <h1 className="mt-2 text-2xl font-semibold tracking-tight">Page not found</h1>
        <p className="mt-3 text-slate-600">The page you asked for doesn&apos;t exist or has moved.</p>
        <div className="mt-6 flex flex-wrap justify-center gap-3">
          <LinkButton href="/marketplace">Browse the marketplace</LinkButton>
          <LinkButton href="/" variant="secondary">
            Go home
          </LinkButton>
        </div>
      </div>
    </div>
  );
}
