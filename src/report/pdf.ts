/**
 * PDF through an installed Chrome, Chromium or Edge driven by puppeteer-core (no browser is downloaded).
 * The page is rendered offline: no host name or address resolves, and every request that is not file:, data: or about:
 * is aborted.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { UserError } from '../errors.ts';

export interface BrowserChoice { path: string; source: string }

export interface FindBrowserOptions {
  explicit?: string;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  exists?: (file: string) => boolean;
}

/** The usual install paths, in the order they are tried, for one platform. */
export function defaultBrowserPaths(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string[] {
  if (platform === 'win32') {
    const roots = [env.ProgramFiles ?? 'C:\\Program Files', env['ProgramFiles(x86)'] ?? 'C:\\Program Files (x86)', env.LOCALAPPDATA].filter(Boolean) as string[];
    const out: string[] = [];
    for (const r of roots) out.push(path.win32.join(r, 'Google', 'Chrome', 'Application', 'chrome.exe'));
    for (const r of roots) out.push(path.win32.join(r, 'Microsoft', 'Edge', 'Application', 'msedge.exe'));
    for (const r of roots) out.push(path.win32.join(r, 'Chromium', 'Application', 'chrome.exe'));
    return out;
  }
  if (platform === 'darwin') {
    const apps = [
      'Google Chrome.app/Contents/MacOS/Google Chrome',
      'Chromium.app/Contents/MacOS/Chromium',
      'Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
    ];
    const home = env.HOME ?? os.homedir();
    return [...apps.map((a) => `/Applications/${a}`), ...apps.map((a) => `${home}/Applications/${a}`)];
  }
  return [
    '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable',
    '/usr/bin/microsoft-edge', '/usr/bin/microsoft-edge-stable', '/snap/bin/chromium',
  ];
}

/**
 * --browser PATH, then HOCTAP_BROWSER, then PUPPETEER_EXECUTABLE_PATH, then the usual install paths.
 * A path given explicitly that does not exist is a usage error; one in an environment variable is skipped with a warning.
 */
export function findBrowser(opts: FindBrowserOptions = {}): { choice: BrowserChoice | null; warnings: string[] } {
  const env = opts.env ?? process.env;
  const platform = opts.platform ?? process.platform;
  const exists = opts.exists ?? ((f: string) => { try { return fs.statSync(f).isFile(); } catch { return false; } });
  const warnings: string[] = [];
  if (opts.explicit !== undefined) {
    if (!exists(opts.explicit)) throw new UserError(`--browser "${opts.explicit}": không có tệp chương trình này. Hãy chỉ đường dẫn tới Chrome, Chromium hoặc Edge.`);
    return { choice: { path: opts.explicit, source: '--browser' }, warnings };
  }
  for (const name of ['HOCTAP_BROWSER', 'PUPPETEER_EXECUTABLE_PATH']) {
    const v = env[name];
    if (!v) continue;
    if (exists(v)) return { choice: { path: v, source: name }, warnings };
    warnings.push(`Biến ${name}="${v}" không trỏ tới tệp chương trình nào: bỏ qua.`);
  }
  for (const p of defaultBrowserPaths(platform, env)) if (exists(p)) return { choice: { path: p, source: 'đường dẫn cài đặt thông thường' }, warnings };
  return { choice: null, warnings };
}

/** What to tell the analyst when no browser is found. */
export function noBrowserMessage(platform: NodeJS.Platform = process.platform): string {
  const install = platform === 'linux'
    ? 'cài Chromium (Debian/Ubuntu: "sudo apt install chromium") hoặc Google Chrome'
    : platform === 'darwin' ? 'cài Google Chrome, Chromium hoặc Microsoft Edge' : 'cài Google Chrome hoặc dùng Microsoft Edge có sẵn của Windows';
  return `Không tìm thấy trình duyệt để tạo PDF: ${install}, hoặc chỉ đường dẫn bằng --browser ĐƯỜNG_DẪN hay biến môi trường HOCTAP_BROWSER, rồi chạy lại lệnh.`;
}

export interface PdfJob { html: string; pdf: string }

/**
 * Renders each HTML file to PDF with one browser, closed in every case.
 * The CSS decides the page size, margins and the page numbers (margin boxes); fonts are waited for.
 */
export async function renderPdfs(browserPath: string, jobs: PdfJob[], onPage?: (job: PdfJob) => void): Promise<void> {
  const { default: puppeteer } = await import('puppeteer-core');
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'hoctap-browser-'));
  const args = [
    '--disable-gpu', '--no-first-run', '--no-default-browser-check', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-extensions', '--disable-default-apps',
    '--mute-audio', '--hide-scrollbars', `--user-data-dir=${profile}`,
    // The request interception below stops requests, but Chromium still opened a TCP connection (a preconnect) to the
    // server of a template's <link>/<img> before the request was stopped (test/report.test.ts saw it). No name or
    // address resolves, so nothing leaves the machine; the page and its fonts are file: and data: URLs.
    '--host-resolver-rules=MAP * ~NOTFOUND',
  ];
  // Chrome's sandbox refuses to start as root (containers, CI).
  if (typeof process.getuid === 'function' && process.getuid() === 0) args.push('--no-sandbox');
  let browser: Awaited<ReturnType<typeof puppeteer.launch>> | null = null;
  try {
    try {
      // protocolTimeout: a report of thousands of units is a PDF of thousands of pages, which takes Chromium minutes on a
      // small machine under load; puppeteer's default (3 minutes per protocol call) failed such a run halfway (bench).
      browser = await puppeteer.launch({ executablePath: browserPath, headless: true, args, timeout: 60_000, protocolTimeout: 30 * 60_000, userDataDir: profile });
    } catch (e) {
      throw new UserError(`Không khởi động được trình duyệt ${browserPath}: ${firstLine((e as Error).message)}`, 1);
    }
    const page = await browser.newPage();
    await page.setRequestInterception(true);
    page.on('request', (req) => {
      const url = req.url();
      if (/^(file|data|about):/i.test(url)) void req.continue();
      else void req.abort('blockedbyclient');
    });
    // Laid out once, for print (the screen styles only frame the pages for a reader of the HTML).
    await page.emulateMediaType('print');
    for (const job of jobs) {
      await page.goto(pathToFileURL(job.html).href, { waitUntil: 'load', timeout: 10 * 60_000 });
      await page.evaluate(async () => { await document.fonts.ready; });
      // Untagged: the structure tree costs a third of the time on a report of thousands of units (hundreds of pages),
      // and the signed paper copy is the official one.
      await page.pdf({ path: job.pdf, preferCSSPageSize: true, printBackground: true, tagged: false, outline: false, timeout: 30 * 60_000 });
      onPage?.(job);
    }
  } finally {
    if (browser) await browser.close().catch(() => undefined);
    fs.rmSync(profile, { recursive: true, force: true, maxRetries: 3, retryDelay: 200 });
  }
}

function firstLine(s: string): string {
  return s.split('\n')[0];
}
