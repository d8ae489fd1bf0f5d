"use client";

// Registers public/sw.js (the installable app's worker; its caching rules are in that file) once
// the page has loaded, so it never competes with the page's own requests. Without service worker
// support (or on http:// other than localhost) nothing happens: the site works as before.
import { useEffect } from "react";

export function ServiceWorkerRegistration() {
  useEffect(() => {
    if (!("serviceWorker" in navigator)) return;
    const register = () => {
      navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {
        // An unregistered worker only means no install and no offline page: nothing to tell the user.
      });
    };
    if (document.readyState === "complete") register();
    else {
      window.addEventListener("load", register, { once: true });
      return () => window.removeEventListener("load", register);
    }
  }, []);
  return null;
}
