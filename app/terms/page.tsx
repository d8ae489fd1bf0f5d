import type { Metadata } from "next";
import { LegalDocumentPage } from "@/components/legal/legal-document";
import { TERMS } from "@/lib/legal/documents";

export const metadata: Metadata = { title: TERMS.title };

export default function Page() {
  return <LegalDocumentPage document={TERMS} />;
}
