import type { Metadata } from "next";
import { LegalDocumentPage } from "@/components/legal/legal-document";
import { PRIVACY } from "@/lib/legal/documents";

export const metadata: Metadata = { title: PRIVACY.title };

export default function Page() {
  return <LegalDocumentPage document={PRIVACY} />;
}
