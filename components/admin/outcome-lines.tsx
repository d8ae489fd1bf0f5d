// The lines under an admin form's outcome (what a run settled, what an import stored), as a list.
export function OutcomeLines({ lines }: { lines?: readonly string[] }) {
  return lines?.length ? (
    <ul className="mt-2 list-disc space-y-0.5 pl-5">
      {lines.map((line) => (
        <li key={line}>{line}</li>
      ))}
    </ul>
  ) : null;
}
