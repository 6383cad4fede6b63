#!/usr/bin/env node
// Entry point. The source is TypeScript run through Node's built-in type stripping (Node >= 22.18).
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  console.error(`hoctap cần Node.js 22.18 trở lên (máy này có ${process.versions.node}). Hãy cài Node.js 24 LTS rồi chạy lại.`);
  process.exit(2);
}
const { hideExperimentalWarnings } = await import('./warnings.js');
hideExperimentalWarnings();
// A closed pipe (hoctap catalog | head) is not an error.
process.stdout.on('error', (e) => { if (e.code === 'EPIPE') process.exit(0); throw e; });
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv);
