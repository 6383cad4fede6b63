/**
 * Peak memory of this process and every process it started (the browser behind the PDF), sampled from /proc on Linux.
 * Chromium runs a dozen processes that share their libraries and some memory: summing their RSS would count those
 * pages a dozen times. So the estimate is: every process's private anonymous memory (RssAnon), plus the largest
 * file-backed (RssFile) and shared-memory (RssShmem) parts of any one process, counted once. /proc/<pid>/status is
 * cheap to read (smaps_rollup, exact but walking every mapping, took seconds per sample on Chromium and slowed the very
 * thing it measured). Elsewhere than Linux: no sampling (null).
 */
import fs from 'node:fs';

function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      // The command name may hold spaces and parentheses: the parent pid is the second field after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid);
      if (list) list.push(Number(name)); else children.set(ppid, [Number(name)]);
    } catch {
      // the process ended between readdir and read
    }
  }
  const out: number[] = [];
  const stack = [root];
  while (stack.length) {
    const p = stack.pop()!;
    out.push(p);
    stack.push(...(children.get(p) ?? []));
  }
  return out;
}

function statusKiB(pid: number): { anon: number; file: number; shmem: number } {
  try {
    const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(s)?.[1] ?? 0);
    return { anon: field('RssAnon'), file: field('RssFile'), shmem: field('RssShmem') };
  } catch {
    return { anon: 0, file: 0, shmem: 0 };
  }
}

/** The memory of a process tree, KiB (see the header for what is counted once). */
export function sampleTreeKiB(root = process.pid): number {
  let anon = 0;
  let file = 0;
  let shmem = 0;
  for (const pid of descendants(root)) {
    const m = statusKiB(pid);
    anon += m.anon;
    file = Math.max(file, m.file);
    shmem = Math.max(shmem, m.shmem);
  }
  return anon + file + shmem;
}

/** Samples every `everyMs` until stop(), which returns the peak in KiB (null where /proc is not there). */
export function startTreeSampler(everyMs = 200): { stop: () => number | null } {
  if (process.platform !== 'linux' || !fs.existsSync('/proc/self/status')) return { stop: () => null };
  let peak = 0;
  const tick = () => { peak = Math.max(peak, sampleTreeKiB()); };
  tick();
  const timer = setInterval(tick, everyMs);
  timer.unref();
  return { stop: () => { clearInterval(timer); tick(); return peak; } };
}
