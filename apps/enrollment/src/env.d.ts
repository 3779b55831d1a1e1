/// <reference types="vite/client" />

/** Baked in at build time: the package version, or PORTAL_BUILD_LABEL when set. */
declare const __ENROLLMENT_BUILD_LABEL__: string;
