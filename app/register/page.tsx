import type { Metadata } from "next";
import { RegisterForm } from "@/components/register-form";
import { homeForRoles } from "@/components/role-home";
import { LinkButton } from "@/components/ui";
import { getViewer } from "../_lib/viewer";
import { registerAction } from "./actions";

export const metadata: Metadata = { title: "Create an account" };

export default async function RegisterPage() {
  const viewer = await getViewer();
  return (
    <div className="page flex justify-center">
      <div className="w-full max-w-xl">
        <h1 className="text-2xl font-semibold tracking-tight">Create your Hashlease account</h1>
        <p className="mt-2 text-slate-600">
          Browse listings freely; an account lets you rent hashrate or list capacity.
        </p>
        <div className="card mt-6 p-6 sm:p-8">
          {viewer ? (
            <div className="space-y-4">
              <p>
                You are already signed in as <span className="font-medium">{viewer.email}</span>.
              </p>
              <LinkButton href={homeForRoles(viewer.roles)}>Go to your account</LinkButton>
            </div>
          ) : (
            <RegisterForm action={registerAction} />
          )}
        </div>
      </div>
    </div>
  );
}
