/// <reference types="vite/client" />

/** Baked in at build time: the package version, or PORTAL_BUILD_LABEL when set. */
declare const __ELDERCARE_BUILD_LABEL__: string;
