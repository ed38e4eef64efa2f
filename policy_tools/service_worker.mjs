// Writes the site's service worker with Workbox (workbox-build's generateSW, pinned in
// package-lock.json). Called by policy_tools/offline.py with the site folder and a JSON config;
// prints the precache count and size as JSON.
import { generateSW } from "workbox-build";

const [site, configJson] = process.argv.slice(2);
const config = JSON.parse(configJson);

const { count, size, warnings } = await generateSW({
  globDirectory: site,
  globPatterns: ["**/*"],
  globIgnores: config.globIgnores,
  swDest: `${site}/${config.swName}`,
  // Files whose path carries a version or content hash are precached under their own address and
  // fetched through the HTTP cache (the first visit already downloaded them); everything else gets a
  // revision (its content hash) and is fetched fresh whenever that changes.
  dontCacheBustURLsMatching: new RegExp(config.immutable),
  // A calculator page with its inputs in the address (?enrolled=180&absent=17) is answered from the
  // precached page with the query ignored, and no address with a query is ever stored.
  ignoreURLParametersMatching: [/.*/],
  // Files that must also be stored under an address with a query (the search worker adapter).
  additionalManifestEntries: config.additionalManifestEntries,
  directoryIndex: "index.html",
  maximumFileSizeToCacheInBytes: 64 * 1024 * 1024,
  // A new build waits until the reader chooses to reload (the page shows a notice), so an open page
  // never gets files of another build; the first install takes control of the open page at once,
  // so it works offline without a reload.
  skipWaiting: false,
  clientsClaim: true,
  cleanupOutdatedCaches: true,
  // No runtime caching: only the precached files of the site are ever stored.
  runtimeCaching: [],
  mode: "production",
  sourcemap: false,
  cacheId: config.cacheId,
  importScripts: config.importScripts,
});
for (const warning of warnings) console.error(`workbox: ${warning}`);
if (warnings.length) process.exit(1);
console.log(JSON.stringify({ count, size }));
