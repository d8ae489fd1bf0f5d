// One of the documents in lib/legal/documents.ts as a page: its title and version, a table of
// contents, then its sections; the other documents linked at the foot. Static: no client JS.
import Link from "next/link";
import { PageHeader } from "@/components/ui";
import { PRIVACY, RISK, TERMS, TERMS_VERSION, type LegalDocument } from "@/lib/legal/documents";

function slug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

export function LegalDocumentPage({ document }: { document: LegalDocument }) {
  const others = [TERMS, RISK, PRIVACY].filter((d) => d.path !== document.path);
  return (
    <div className="page max-w-3xl">
      <PageHeader
        title={document.title}
        description={
          <>
            <p>{document.summary}</p>
            <p className="mt-1 text-sm">Version {TERMS_VERSION}</p>
          </>
        }
      />
      <nav aria-label="Contents" className="card mb-8 p-4 text-sm">
        <ol className="list-inside list-decimal space-y-1">
          {document.sections.map((s) => (
            <li key={s.heading}>
              <a className="link" href={`#${slug(s.heading)}`}>
                {s.heading.replace(/^\d+\.\s*/, "")}
              </a>
            </li>
          ))}
        </ol>
      </nav>
      {document.sections.map((s) => (
        <section key={s.heading} aria-labelledby={slug(s.heading)} className="mb-8">
          <h2 id={slug(s.heading)} className="mb-2 text-lg font-semibold text-slate-900">
            {s.heading}
          </h2>
          {s.paragraphs.map((p) => (
            <p key={p.slice(0, 40)} className="mb-3 leading-relaxed text-slate-700">
              {p}
            </p>
          ))}
        </section>
      ))}
      <p className="border-t border-slate-200 pt-4 text-sm text-slate-600">
        See also{" "}
        {others.map((d, i) => (
          <span key={d.path}>
            {i > 0 ? " and " : ""}
            <Link className="link" href={d.path}>
              {d.title.toLowerCase()}
            </Link>
          </span>
        ))}
        . Questions?{" "}
        <Link className="link" href="/support">
          Contact support
        </Link>
        .
      </p>
    </div>
  );
}
