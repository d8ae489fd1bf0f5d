// Buttons and links that look like buttons. The look is a variant and a size mapped to the `.btn-*`
// classes of app/globals.css, so no call site spells a class string of its own.
import Link from "next/link";
import type { ComponentProps } from "react";

export type ButtonVariant = "primary" | "secondary" | "ghost" | "danger" | "danger-ghost";
export type ButtonSize = "md" | "sm" | "lg";

const VARIANTS: Record<ButtonVariant, string> = {
  primary: "btn btn-primary",
  secondary: "btn btn-secondary",
  ghost: "btn btn-ghost",
  // The confirmation of a destructive action (revoke, reject).
  danger: "btn bg-red-700 text-white hover:bg-red-800",
  // A destructive action in a row: ghost with red text, so a table of rows is not a wall of red.
  "danger-ghost": "btn btn-ghost text-red-700 hover:bg-red-50 hover:text-red-800",
};

const SIZES: Record<ButtonSize, string> = {
  md: "",
  sm: "px-2 py-1",
  lg: "px-5 py-2.5 text-base",
};

/** The class string of a button look, for the rare element that is neither <button> nor <Link>. */
export function buttonClass({
  variant = "primary",
  size = "md",
  className,
}: { variant?: ButtonVariant; size?: ButtonSize; className?: string } = {}): string {
  return [VARIANTS[variant], SIZES[size], className].filter(Boolean).join(" ");
}

type Look = { variant?: ButtonVariant; size?: ButtonSize };

/** A <button>; `type` defaults to "button" so a button never submits a form by accident. */
export function Button({ variant, size, className, type = "button", ...props }: Look & ComponentProps<"button">) {
  return <button type={type} className={buttonClass({ variant, size, className })} {...props} />;
}

/** A next/link that looks like a button. */
export function LinkButton({ variant, size, className, ...props }: Look & ComponentProps<typeof Link>) {
  return <Link className={buttonClass({ variant, size, className })} {...props} />;
}
