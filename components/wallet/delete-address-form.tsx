"use client";

import { useActionState, useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui";
import { initialAddressBookState, type AddressBookFormState } from "./address-book-state";

type Action = (state: AddressBookFormState, formData: FormData) => Promise<AddressBookFormState>;

/** Delete in two steps (Delete, then Yes, delete), keyboard focus following along. */
export function DeleteAddressForm({ action, addressId, label }: { action: Action; addressId: string; label: string }) {
  const [state, formAction, pending] = useActionState(action, initialAddressBookState);
  const [confirming, setConfirming] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const startRef = useRef<HTMLButtonElement>(null);
  const [focusStart, setFocusStart] = useState(false);

  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);
  useEffect(() => {
    if (focusStart && !confirming) startRef.current?.focus();
  }, [focusStart, confirming]);

  if (!confirming) {
    return (
      <div>
        <Button
          ref={startRef}
          type="button"
          variant="danger-ghost"
          size="sm"
          aria-label={`Delete ${label}`}
          onClick={() => setConfirming(true)}
        >
          Delete
        </Button>
        {state.status === "error" && state.message ? (
          <p role="alert" className="field-error">
            {state.message}
          </p>
        ) : null}
      </div>
    );
  }
  return (
    <form action={formAction} className="flex flex-wrap items-center gap-2">
      <input type="hidden" name="addressId" value={addressId} />
      <span className="text-sm text-slate-800">Delete “{label}”?</span>
      <Button ref={confirmRef} type="submit" variant="danger" className="px-3 py-1" disabled={pending}>
        {pending ? "Deleting…" : "Yes, delete"}
      </Button>
      <Button
        type="button"
        variant="ghost"
        className="px-3 py-1"
        onClick={() => {
          setConfirming(false);
          setFocusStart(true);
        }}
      >
        Cancel
      </Button>
      {state.status === "error" && state.message ? (
        <p role="alert" className="field-error w-full">
          {state.message}
        </p>
      ) : null}
    </form>
  );
}
