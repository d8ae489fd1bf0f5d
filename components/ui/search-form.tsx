// A GET search form for a list page: labelled fields in a wrapping row, then the Search button.
import type { ReactNode } from "react";
import { Button } from "./button";
import { humanize } from "./status-badge";

export function SearchForm({
  action,
  label,
  children,
  submitLabel = "Search",
  className = "",
}: {
  action: string;
  label: string;
  children: ReactNode;
  submitLabel?: string;
  /** Classes added to the form's own (e.g. a bottom margin). */
  className?: string;
}) {
  return (
    <form
      method="get"
      action={action}
      className={`${className} flex flex-wrap items-end gap-3`.trim()}
      role="search"
      aria-label={label}
    >
      {children}
      <Button type="submit" variant="secondary">
        {submitLabel}
      </Button>
    </form>
  );
}

/** A free-text search box with its label above it; `className` sizes the wrapper. */
export function SearchField({
  id,
  name,
  label,
  defaultValue,
  className,
}: {
  id: string;
  name: string;
  label: ReactNode;
  defaultValue?: string;
  className: string;
}) {
  return (
    <div className={className}>
      <label htmlFor={id} className="label text-xs">
        {label}
      </label>
      <input id={id} name={name} type="search" defaultValue={defaultValue} className="input mt-1" autoComplete="off" />
    </div>
  );
}

/** A select of enum values (shown humanized unless `display` says otherwise) with an "any" choice first, posting "" for it. */
export function SelectFilter({
  id,
  name,
  label,
  anyLabel,
  values,
  defaultValue,
  display = humanize,
}: {
  id: string;
  name: string;
  label: ReactNode;
  anyLabel: string;
  values: readonly string[];
  defaultValue: string | null | undefined;
  display?: (value: string) => string;
}) {
  return (
    <div>
      <label htmlFor={id} className="label text-xs">
        {label}
      </label>
      <select id={id} name={name} defaultValue={defaultValue ?? ""} className="input mt-1">
        <option value="">{anyLabel}</option>
        {values.map((v) => (
          <option key={v} value={v}>
            {display(v)}
          </option>
        ))}
      </select>
    </div>
  );
}
