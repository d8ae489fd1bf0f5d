// A key/value definition list: one <div> group per item, its label the <dt> and its value the <dd>.
// The items are data, so a page lists its facts once instead of repeating the markup; the look
// (the classes of the list, a group, a term and a value) is one of the presets or the page's own.
import type { ReactNode } from "react";

export type DetailItem = {
  label: ReactNode;
  value: ReactNode;
  /** React key; needed when `label` is not a string. */
  key?: string;
};

export type DetailListLook = { list?: string; item?: string; term?: string; value?: string };

/** Label left, value right, one row per item in a card with dividers (a detail page's facts). */
export const detailCard: DetailListLook = {
  list: "card divide-y divide-slate-100 p-5 text-sm",
  item: "flex flex-wrap justify-between gap-x-4 gap-y-1 py-1.5",
  term: "text-slate-600",
  value: "text-right font-medium text-slate-900",
};

export function DetailList({
  items,
  look = detailCard,
}: {
  /** `false` and `null` items are left out (a fact that does not apply). */
  items: readonly (DetailItem | false | null)[];
  look?: DetailListLook;
}) {
  return (
    <dl className={look.list}>
      {items.map((item, i) =>
        item ? (
          <div key={item.key ?? (typeof item.label === "string" ? item.label : i)} className={look.item}>
            <dt className={look.term}>{item.label}</dt>
            <dd className={look.value}>{item.value}</dd>
          </div>
        ) : null,
      )}
    </dl>
  );
}
