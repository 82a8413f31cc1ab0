/** Replaced by Vite's `define` (vite.renderer.config.ts) with values from package.json. */
declare const __CERTDESK_VERSION__: string;
declare const __CERTDESK_LICENSE__: string;

/** An imported image is its URL (Vite hashes and copies it, or inlines a small one as a data: URL). */
declare module '*.svg' {
  const url: string;
  export default url;
}
