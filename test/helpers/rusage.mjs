// Preloaded into a child (node --import) to report its peak memory and CPU time when it exits, whatever the exit path.
import fs from 'node:fs';

const out = process.env.HOCTAP_RUSAGE_FILE;
if (out) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    fs.writeFileSync(out, JSON.stringify({ maxRssKb: u.maxRSS, cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000 }));
  });
}
