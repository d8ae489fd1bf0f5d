"use client";

import { useActionState, useEffect, useRef, useState } from "react";
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
        <button
          ref={startRef}
          type="button"
          className="btn btn-ghost px-2 py-1 text-red-700 hover:bg-red-50 hover:text-red-800"
          aria-label={`Delete ${label}`}
          onClick={() => setConfirming(true)}
        >
          Delete
        </button>
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
      <button ref={confirmRef} type="submit" className="btn bg-red-700 px-3 py-1 text-white hover:bg-red-800" disabled={pending}>
        {pending ? "Deleting…" : "Yes, delete"}
      </button>
      <button
        type="button"
        className="btn btn-ghost px-3 py-1"
        onClick={() => {
          setConfirming(false);
          setFocusStart(true);
        }}
      >
        Cancel
      </button>
      {state.status === "error" && state.message ? (
        <p role="alert" className="field-error w-full">
          {state.message}
        </p>
      ) : null}
    </form>
  );
}
