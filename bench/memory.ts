/**
 * Peak memory of one secure and one open of a large message, in a process of its own so that
 * nothing else inflates the peak. argv: scenario name, Body size in bytes. Prints JSON.
 */
import { envelopeOfSize, loadScenarios } from './scenarios.js';

const [name = 'Certificate', sizeText = '1048576'] = process.argv.slice(2);
const scenario = (await loadScenarios()).find((s) => s.name === name);
if (!scenario) throw new Error(`no scenario ${name}`);
const envelope = envelopeOfSize(Number(sizeText));
const gc = (globalThis as { gc?: () => void }).gc;
gc?.();
const before = process.memoryUsage().rss;
const baseMaxRss = process.resourceUsage().maxRSS * 1024;
const wire = scenario.securer.secure(envelope);
const afterSecure = process.resourceUsage().maxRSS * 1024;
await scenario.opener.open(wire);
const afterOpen = process.resourceUsage().maxRSS * 1024;
console.log(
  JSON.stringify({
    messageBytes: Buffer.byteLength(wire),
    rssBefore: before,
    securePeakBytes: Math.max(0, afterSecure - Math.max(before, baseMaxRss)),
    openPeakBytes: Math.max(0, afterOpen - Math.max(before, afterSecure)),
    peakOverBaseBytes: Math.max(0, afterOpen - before),
  }),
);
