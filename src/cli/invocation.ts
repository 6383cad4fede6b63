/**
 * Hints that work as printed: how to call hoctap from where the user is (the Windows package's hoctap.cmd, `hoctap` on
 * PATH, `npx hoctap` in the source folder, `npm run demo -- …`), and paths quoted for the user's shell.
 */
import fs from 'node:fs';
import path from 'node:path';

/** The project root (bin/, src/, package.json) of this copy of hoctap. */
export const PROJECT_ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(PROJECT_ROOT, 'bin', 'hoctap.js');

export interface Invocation {
  env: NodeJS.ProcessEnv;
  /** The process's working directory (npm run changes it to the project root). */
  cwd: string;
  platform: NodeJS.Platform;
  /** Whether `hoctap` typed in a shell runs this copy; found on PATH when not given. */
  onPath?: boolean;
}

export function currentInvocation(): Invocation {
  return { env: process.env, cwd: process.cwd(), platform: process.platform };
}

/** Where the user's shell is: npm run starts scripts in the project root but records the caller's folder. */
export function userCwd(inv: Invocation = currentInvocation()): string {
  return inv.env.npm_lifecycle_event && inv.env.INIT_CWD ? inv.env.INIT_CWD : inv.cwd;
}

function pathApi(platform: NodeJS.Platform): typeof path.posix {
  return platform === 'win32' ? path.win32 : path.posix;
}

/** Characters a shell reads as syntax, or splits on. */
const POSIX_SPECIAL = /[\s'"\\$`!*?[\]{}()<>|&;#~^]/;
const POSIX_IN_DOUBLE_QUOTES = /["\\$`!]/;
const CMD_SPECIAL = /[\s&()[\]{}^=;!'+,`~<>|%"]/;

/**
 * A path (or any argument) as the user's shell needs it typed: unchanged when safe, otherwise in double quotes
 * (cmd.exe and PowerShell on Windows, sh elsewhere; single quotes when sh would expand inside double quotes).
 */
export function quotePath(p: string, platform: NodeJS.Platform = process.platform): string {
  if (p === '') return '""';
  if (platform === 'win32') return CMD_SPECIAL.test(p) ? `"${p.replace(/"/g, '')}"` : p;
  if (!POSIX_SPECIAL.test(p)) return p;
  if (!POSIX_IN_DOUBLE_QUOTES.test(p)) return `"${p}"`;
  return `'${p.replace(/'/g, `'\\''`)}'`;
}

/** A path as short as it can be for the user: relative to their folder when inside it, else absolute (unquoted). */
export function userPath(abs: string, inv: Invocation = currentInvocation()): string {
  const api = pathApi(inv.platform);
  const rel = api.relative(userCwd(inv), abs);
  return rel && !rel.startsWith('..') && !api.isAbsolute(rel) ? rel : abs;
}

function samePath(a: string, b: string, platform: NodeJS.Platform): boolean {
  const api = pathApi(platform);
  const [x, y] = [api.resolve(a), api.resolve(b)];
  return platform === 'win32' ? x.toLowerCase() === y.toLowerCase() : x === y;
}

/** PATH does not change while hoctap runs: looked up once per PATH (help hints ask for it once per command). */
const onPathCache = new Map<string, boolean>();

/** Whether typing `hoctap` runs this copy: a PATH entry holding a link to bin/hoctap.js (npm link, npm install -g). */
function hoctapOnPath(inv: Invocation): boolean {
  const key = `${inv.platform}\0${inv.env.PATH ?? inv.env.Path ?? ''}`;
  let found = onPathCache.get(key);
  if (found === undefined) onPathCache.set(key, (found = searchPath(inv)));
  return found;
}

function searchPath(inv: Invocation): boolean {
  const dirs = (inv.env.PATH ?? inv.env.Path ?? '').split(inv.platform === 'win32' ? ';' : ':').filter(Boolean);
  let bin: string;
  try {
    bin = fs.realpathSync(BIN);
  } catch {
    return false;
  }
  for (const dir of dirs) {
    try {
      if (inv.platform === 'win32') {
        // npm's shim is a small .cmd naming the package's bin file.
        const shim = path.join(dir, 'hoctap.cmd');
        if (fs.existsSync(shim) && /hoctap[\\/]bin[\\/]hoctap\.js/i.test(fs.readFileSync(shim, 'utf8'))) return true;
      } else if (fs.realpathSync(path.join(dir, 'hoctap')) === bin) {
        return true;
      }
    } catch {
      // not in this directory
    }
  }
  return false;
}

/** Whether `npx hoctap` finds this copy from the user's folder: npm runs the bin of the project it is in. */
function insideProject(inv: Invocation): boolean {
  const rel = pathApi(inv.platform).relative(PROJECT_ROOT, userCwd(inv));
  return !rel.startsWith('..') && !pathApi(inv.platform).isAbsolute(rel) && fs.existsSync(path.join(PROJECT_ROOT, 'package.json'));
}

/**
 * How to call hoctap here, as the user types it: the Windows package's hoctap.cmd (set by it in HOCTAP_LAUNCHER),
 * `hoctap` when on PATH, `npx hoctap` inside the source folder, else node with the full path of bin/hoctap.js.
 */
export function hoctapCommand(inv: Invocation = currentInvocation()): string {
  const launcher = inv.env.HOCTAP_LAUNCHER;
  if (launcher) {
    // .\ works in both cmd.exe and PowerShell (PowerShell does not run a command from the current folder without it).
    if (samePath(path.win32.dirname(launcher), userCwd(inv), 'win32')) return '.\\hoctap.cmd';
    return quotePath(launcher, 'win32');
  }
  if (inv.onPath ?? hoctapOnPath(inv)) return 'hoctap';
  if (inv.env.npm_command === 'exec' || insideProject(inv)) return 'npx hoctap';
  return `node ${quotePath(BIN, inv.platform)}`;
}

/** The npm script that runs hoctap with fixed arguments (`"demo": "node bin/hoctap.js demo"`), as its argument list. */
function npmScriptArgs(inv: Invocation): string[] | null {
  const script = inv.env.npm_lifecycle_script;
  if (!inv.env.npm_lifecycle_event || !script || inv.env.npm_command === 'exec') return null;
  const m = /(?:^|\s)(?:node\s+)?\S*bin[\\/]hoctap\.js((?:\s+[\w:.=-]+)*)\s*$/.exec(script);
  return m ? m[1].trim().split(/\s+/).filter(Boolean) : null;
}

/**
 * A full command line the user can copy: `hoctap ARGS` as hoctapCommand() says, or `npm run demo -- --force` when
 * they started the npm script whose fixed arguments ARGS begins with. ARGS are quoted as needed.
 */
export function hoctapHint(args: string[], inv: Invocation = currentInvocation()): string {
  const quoted = (list: string[]) => list.map((a) => quotePath(a, inv.platform)).join(' ');
  const fixed = npmScriptArgs(inv);
  if (fixed && fixed.length && fixed.every((a, i) => args[i] === a)) {
    const rest = args.slice(fixed.length);
    return `npm run ${inv.env.npm_lifecycle_event}${rest.length ? ` -- ${quoted(rest)}` : ''}`;
  }
  return [hoctapCommand(inv), quoted(args)].filter(Boolean).join(' ');
}
