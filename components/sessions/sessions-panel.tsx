"use client";

// The devices list: every live session of the account with "Sign out" per other device, plus
// "Sign out everywhere else" and "Sign out everywhere". Display text only crosses from the
// server (the page formats the instants and the browser label).
import { useActionState } from "react";
import {
  signOutDeviceAction,
  signOutEverywhereAction,
  signOutOtherDevicesAction,
} from "@/app/settings/sessions/actions";
import { Button, DataTable, type Column } from "@/components/ui";
import { ErrorSummary, Notice } from "../form-fields";
import { initialFormState, type FormState } from "../forms/form-state";

export interface DeviceRow {
  id: string;
  /** "Chrome on Linux". */
  browser: string;
  ip: string;
  signedIn: string;
  lastSeen: string;
  current: boolean;
}

/** One row's "Sign out": every row shares the panel's action state, so its answer outlives the row. */
function SignOutDevice({
  row,
  action,
  pending,
}: {
  row: DeviceRow;
  action: (data: FormData) => void;
  pending: boolean;
}) {
  return (
    <form action={action}>
      <input type="hidden" name="sessionId" value={row.id} />
      <Button
        type="submit"
        variant="secondary"
        size="sm"
        disabled={pending}
        aria-busy={pending}
        aria-label={`Sign out ${row.browser}, ${row.ip}`}
      >
        Sign out
      </Button>
    </form>
  );
}

export function SessionsPanel({ rows }: { rows: DeviceRow[] }) {
  // One state for "Sign out" on a row and "Sign out everywhere else": the notice is the latest answer.
  const [state, signOutAction, signingOut] = useActionState(
    (previous: FormState, formData: FormData) =>
      formData.has("sessionId")
        ? signOutDeviceAction(previous, formData)
        : signOutOtherDevicesAction(previous, formData),
    initialFormState(),
  );
  const [everywhereState, everywhereAction, signingOutEverywhere] = useActionState(
    signOutEverywhereAction,
    initialFormState(),
  );
  const others = rows.filter((row) => !row.current).length;
  const columns: Column<DeviceRow>[] = [
    {
      header: "Browser",
      rowHeader: true,
      cell: (row) => (
        <>
          {row.browser}
          {row.current ? (
            <span className="ml-2 inline-flex items-center rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-semibold text-emerald-800">
              This device
            </span>
          ) : null}
        </>
      ),
    },
    { header: "IP address", cell: (row) => row.ip },
    { header: "Signed in", cell: (row) => row.signedIn },
    { header: "Last seen", cell: (row) => row.lastSeen },
    {
      header: <span className="sr-only">Action</span>,
      key: "action",
      cell: (row) => (row.current ? null : <SignOutDevice row={row} action={signOutAction} pending={signingOut} />),
    },
  ];
  const failed = [state, everywhereState].find((s) => s.status === "error");
  return (
    <div className="space-y-6">
      {state.status === "done" && state.message ? <Notice>{state.message}</Notice> : null}
      {failed ? (
        <ErrorSummary title="Could not sign out" items={[{ message: failed.message ?? "Try again." }]} />
      ) : null}
      <DataTable
        label="Signed-in devices"
        columns={columns}
        rows={rows}
        rowKey={(row) => row.id}
        rowProps={() => ({ "data-testid": "device-row" })}
      />
      <div className="flex flex-wrap gap-3">
        <form action={signOutAction}>
          <Button type="submit" variant="secondary" disabled={signingOut || others === 0} aria-busy={signingOut}>
            {signingOut ? "Signing out…" : "Sign out everywhere else"}
          </Button>
        </form>
        <form action={everywhereAction}>
          <Button type="submit" variant="danger" disabled={signingOutEverywhere} aria-busy={signingOutEverywhere}>
            {signingOutEverywhere ? "Signing out…" : "Sign out everywhere"}
          </Button>
        </form>
      </div>
    </div>
  );
}
