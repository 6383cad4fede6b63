/** Asking the user at the terminal: a secret typed without echo (a password), written nowhere. */
import readline from 'node:readline';
import { Writable } from 'node:stream';

/** Whether there is a terminal to ask at (not a pipe, a script or a scheduled task). */
export function canAsk(): boolean {
  return process.stdin.isTTY === true;
}

/** Asks on stderr and reads one line from the terminal, not echoed. */
export function askHidden(prompt: string): Promise<string> {
  let muted = false;
  const output = new Writable({ write: (chunk: Buffer, _enc, done) => { if (!muted) process.stderr.write(chunk); done(); } });
  const rl = readline.createInterface({ input: process.stdin, output, terminal: true });
  return new Promise((resolve) => {
    rl.question(prompt, (answer) => {
      rl.close();
      process.stderr.write('\n');
      resolve(answer);
    });
    muted = true;
  });
}
