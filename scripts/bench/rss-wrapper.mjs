// Runs a Node CLI in this process and, on exit, writes this process's peak resident set size (KiB, see peakRssKiB)
// to the file named first, and its CPU seconds to that name + `.cpu`. Used instead of /usr/bin/time so that the benchmark
// measures memory the same way on every machine Node runs on.
//
// usage: node rss-wrapper.mjs RSS_FILE CLI.mjs [ARGS...]
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [rssFile, cli, ...args] = process.argv.slice(2);
/**
 * Peak RSS of this process, KiB. On Linux from VmHWM: getrusage's maxRSS there keeps the parent's peak across
 * fork and exec, so a benchmark process that had read a large output would lend its size to every run it starts.
 */
function peakRssKiB() {
  try {
    const hwm = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (hwm) return Number(hwm[1]);
  } catch {
    // no /proc: another system, where maxRSS is this process's own
  }
  return process.resourceUsage().maxRSS;
}

process.on('exit', () => {
  const usage = process.resourceUsage();
  writeFileSync(rssFile, String(peakRssKiB()));
  // CPU seconds too: on a shared machine they vary less than wall time.
  writeFileSync(`${rssFile}.cpu`, String((usage.userCPUTime + usage.systemCPUTime) / 1e6));
});
// The CLI reads its arguments from process.argv as if it had been started directly.
process.argv = [process.argv[0], resolve(cli), ...args];
await import(pathToFileURL(resolve(cli)).href);
