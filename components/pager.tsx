import Link from "next/link";

/** Page numbers to show: first, last, and a window around the current page; null is a gap. */
export function pagerItems(page: number, pageCount: number, around = 1): (number | null)[] {
  const pages = new Set<number>([1, pageCount]);
  for (let p = page - around; p <= page + around; p += 1) if (p >= 1 && p <= pageCount) pages.add(p);
  const sorted = [...pages].sort((a, b) => a - b);
  const items: (number | null)[] = [];
  for (const p of sorted) {
    const previous = items.at(-1);
    if (typeof previous === "number" && p - previous === 2) items.push(p - 1);
    else if (typeof previous === "number" && p - previous > 2) items.push(null);
    items.push(p);
  }
  return items;
}

const itemClass = "inline-flex h-9 min-w-9 items-center justify-center gap-1 rounded-md px-3 text-sm font-medium";

export function Pager({ page, pageCount, href }: { page: number; pageCount: number; href: (page: number) => string }) {
  if (pageCount <= 1) return null;
  const items = pagerItems(page, pageCount);
  return (
    <nav aria-label="Pagination" className="mt-8 flex justify-center">
      <ul className="flex flex-wrap items-center gap-1">
        <li>
          {page > 1 ? (
            <Link href={href(page - 1)} rel="prev" className={`${itemClass} text-slate-700 hover:bg-slate-100`}>
              <span aria-hidden="true">←</span> Previous
            </Link>
          ) : (
            <span aria-disabled="true" className={`${itemClass} text-slate-400`}>
              <span aria-hidden="true">←</span> Previous
            </span>
          )}
        </li>
        {items.map((item, index) =>
          item === null ? (
            <li key={`gap-${index}`} aria-hidden="true" className={`${itemClass} text-slate-500`}>
              …
            </li>
          ) : (
            <li key={item}>
              <Link
                href={href(item)}
                aria-current={item === page ? "page" : undefined}
                aria-label={`Page ${item}`}
                className={
                  item === page
                    ? `${itemClass} bg-brand-600 text-white`
                    : `${itemClass} text-slate-700 hover:bg-slate-100`
                }
              >
                {item}
              </Link>
            </li>
          ),
        )}
        <li>
          {page < pageCount ? (
            <Link href={href(page + 1)} rel="next" className={`${itemClass} text-slate-700 hover:bg-slate-100`}>
              Next <span aria-hidden="true">→</span>
            </Link>
          ) : (
            <span aria-disabled="true" className={`${itemClass} text-slate-400`}>
              Next <span aria-hidden="true">→</span>
            </span>
          )}
        </li>
      </ul>
    </nav>
  );
}
