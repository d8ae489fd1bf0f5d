// The web app manifest (served at /manifest.webmanifest; Next links it from every page): what a
// phone needs to install Hashlease — name, standalone display, start URL and icons of 192 and
// 512 px, one maskable. The PNGs are rendered from app/icon.svg by lib/cli/app-icons.ts. The
// service worker that makes it installable is public/sw.js.
import type { MetadataRoute } from "next";

export default function manifest(): MetadataRoute.Manifest {
  return {
    id: "/",
    name: "Hashlease",
    short_name: "Hashlease",
    description: "Rent mining hashrate on hosted rigs, get paid daily, withdraw with 2FA.",
    start_url: "/dashboard",
    scope: "/",
    display: "standalone",
    orientation: "portrait",
    background_color: "#ffffff",
    theme_color: "#4f46e5",
    categories: ["finance"],
    icons: [
      { src: "/icons/icon-192.png", sizes: "192x192", type: "image/png", purpose: "any" },
      { src: "/icons/icon-512.png", sizes: "512x512", type: "image/png", purpose: "any" },
      { src: "/icons/icon-maskable-512.png", sizes: "512x512", type: "image/png", purpose: "maskable" },
    ],
  };
}
