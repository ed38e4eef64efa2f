// Loaded from the head of the calculator pages only (overrides/main.html), `async`: starts the
// Python worker as soon as this file and calc-common.mjs arrive, instead of after Material's bundle
// and every script at the end of the page (about a second of a phone's start on this site).
// calculators.mjs imports the same calc-common.mjs later and gets this worker.
import { startPython } from "./calc-common.mjs";

startPython();
