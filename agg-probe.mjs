import fs from 'node:fs';
const p = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const self = new Map();
const dt = p.timeDeltas; let i = 0;
for (const s of p.samples) { self.set(s, (self.get(s) ?? 0) + (dt[i++] ?? 0)); }
// inclusive time per function name (count each sample once per function in stack)
const incl = new Map();
for (const [id, t] of self) {
  const seen = new Set();
  let cur = id;
  while (cur !== undefined) {
    const n = byId.get(cur);
    const k = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber}`;
    if (!seen.has(k)) { incl.set(k, (incl.get(k) ?? 0) + t); seen.add(k); }
    cur = parent.get(cur);
  }
}
const filter = process.argv[3] ?? '';
console.log([...incl].filter(([k]) => k.includes(filter)).sort((a, b) => b[1] - a[1]).slice(0, 45).map(([k, t]) => `${(t / 1000).toFixed(0).padStart(7)} ms  ${k}`).join('\n'));
