"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui";

export function SignOutButton() {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  return (
    <Button
      type="button"
      variant="secondary"
      disabled={pending}
      onClick={async () => {
        setPending(true);
        try {
          // Loaded on click: next-auth's client code would otherwise be in every page's
          // first-load JavaScript (this button is in the site header).
          const { signOut } = await import("next-auth/react");
          // redirect: false keeps us on this origin whatever NEXTAUTH_URL says; the server
          // components then re-render as anonymous.
          await signOut({ redirect: false });
          router.push("/");
          router.refresh();
        } finally {
          setPending(false);
        }
      }}
    >
      {pending ? "Signing out…" : "Sign out"}
    </Button>
  );
}
