import type { Metadata } from "next";
import { LegalDocumentPage } from "@/components/legal/legal-document";
import { RISK } from "@/lib/legal/documents";

export const metadata: Metadata = { title: RISK.title };

export default function Page() {
  return <LegalDocumentPage document={RISK} />;
}
