// Links the admin pages repeat, to one ledger account's statement. Server-safe (no hooks).
import Link from "next/link";
import { humanize } from "../ui";

/** "Available balance USD", linking to the account's statement. */
export function AccountLink({ id, type, asset }: { id: string; type: string; asset: string }) {
  return (
    <Link className="link" href={`/admin/ledger/accounts/${id}`}>
      {humanize(type)} {asset}
    </Link>
  );
}
