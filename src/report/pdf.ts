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

/**
 * One PDF: the HTML file printed, or, for a long document, its parts (HTML documents) printed one after the other in
 * the same browser and joined, the page numbers running on from one part to the next.
 */
export interface PdfJob { pdf: string; html: string; parts?: string[] }

/** A browser started by startBrowser: renderPdfs prints with it; `close` ends it and removes its profile (once). */
export interface StartedBrowser { path: string; ready: Promise<import('puppeteer-core').Browser>; close: () => Promise<void> }

/**
 * Starts the browser and returns as soon as its process is starting, so that it starts up (a second or so) while the
 * caller builds what it will print. Whoever starts it closes it, in every case.
 */
export async function startBrowser(browserPath: string): Promise<StartedBrowser> {
  const { default: puppeteer } = await import('puppeteer-core');
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'hoctap-browser-'));
  const args = [
    '--disable-gpu', '--no-first-run', '--no-default-browser-check', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-extensions', '--disable-default-apps',
    '--mute-audio', '--hide-scrollbars', `--user-data-dir=${profile}`,
    // No crash reporter: its handler is a process of its own that writes into the profile, and may outlive the browser.
    '--disable-breakpad', '--disable-crash-reporter',
    // The request interception below stops requests, but Chromium still opened a TCP connection (a preconnect) to the
    // server of a template's <link>/<img> before the request was stopped (test/report.test.ts saw it). No name or
    // address resolves, so nothing leaves the machine; the page and its fonts are file: and data: URLs.
    '--host-resolver-rules=MAP * ~NOTFOUND',
    // One renderer for the one page printed at a time, no spare renderer started in advance, no software GPU.
    '--renderer-process-limit=1', '--disable-features=SpareRendererForSitePerProcess', '--disable-software-rasterizer',
  ];
  // Chrome's sandbox refuses to start as root (containers, CI).
  if (typeof process.getuid === 'function' && process.getuid() === 0) args.push('--no-sandbox');
  // protocolTimeout: a report of thousands of units is a PDF of thousands of pages, which takes Chromium minutes on a
  // small machine under load; puppeteer's default (3 minutes per protocol call) failed such a run halfway (bench).
  const ready = puppeteer.launch({ executablePath: browserPath, headless: true, args, timeout: 60_000, protocolTimeout: 30 * 60_000, userDataDir: profile })
    .catch((e: unknown) => { throw new UserError(`Không khởi động được trình duyệt ${browserPath}: ${firstLine((e as Error).message)}`, 1); });
  // Its failure is the printing's, when renderPdfs waits for it.
  ready.catch(() => undefined);
  let closing: Promise<void> | null = null;
  const close = () => closing ??= (async () => {
    const browser = await ready.catch(() => null);
    const proc = browser?.process() ?? null;
    await browser?.close().catch(() => undefined);
    // Its process may still be writing the profile as it ends (a loaded machine showed a profile left behind): it is
    // removed once the process has exited, and again if a last write brought it back.
    if (proc && proc.exitCode === null && proc.signalCode === null) await new Promise((resolve) => proc.once('exit', resolve));
    await removeProfile(profile);
  })();
  // With the program and the profile given, puppeteer starts the process without waiting on any input or output: one
  // turn of the event loop, and the browser starts up beside the caller's own work.
  await new Promise<void>((resolve) => setImmediate(resolve));
  return { path: browserPath, ready, close };
}

/** Removes a browser profile, a few times over a second if something the browser left writes it again. */
async function removeProfile(profile: string): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    fs.rmSync(profile, { recursive: true, force: true, maxRetries: 3, retryDelay: 100 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    if (!fs.existsSync(profile)) return;
  }
}

/**
 * Renders each HTML file to PDF with a started browser, closed in every case once the printing is done (before the
 * parts of a document printed in parts are joined).
 * The CSS decides the page size, margins and the page numbers (margin boxes); fonts are waited for.
 */
export async function renderPdfs(started: StartedBrowser, jobs: PdfJob[], onPdf?: (job: PdfJob) => void): Promise<void> {
  // The parts' PDFs are joined once the browser is closed: Node's memory for the joined document (pdf-lib) is not
  // added to the browser's.
  const joins: { job: PdfJob; parts: string[] }[] = [];
  try {
    const opened = await started.ready;
    // A whole document's page is laid out for print from the start (the screen styles only frame the pages for a reader
    // of the HTML). A part is a file of its own, made only to be printed: it shows nothing on screen (printOnly), so the
    // browser lays it out once, when it prints, not also at its width on screen (a third of the browser's time, bench).
    const openPage = async (forParts: boolean) => {
      const page = await opened.newPage();
      await page.setRequestInterception(true);
      page.on('request', (req) => {
        const url = req.url();
        if (/^(file|data|about):/i.test(url)) void req.continue();
        else void req.abort('blockedbyclient');
      });
      if (!forParts) await page.emulateMediaType('print');
      return page;
    };
    const tab: { page: Awaited<ReturnType<typeof openPage>> | null; printed: number } = { page: null, printed: 0 };
    const closeTab = async () => {
      await tab.page?.close().catch(() => undefined);
      tab.page = null;
    };
    const print = async (file: string, to?: string, part = false): Promise<Uint8Array> => {
      if (tab.printed === PARTS_PER_PAGE) await closeTab();
      if (!tab.page) {
        tab.page = await openPage(part);
        tab.printed = 0;
      }
      tab.printed++;
      const page = tab.page;
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load', timeout: 10 * 60_000 });
      // A part (not laid out on screen) asks for its fonts only when it is printed, and the printing waits for them
      // (test/report-pdf-parts.test.ts prints parts set in the embedded font alone).
      await page.evaluate(async () => { await document.fonts.ready; });
      // Untagged: the structure tree costs a third of the time on a report of thousands of units (hundreds of pages),
      // and the signed paper copy is the official one.
      return await page.pdf({ path: to, preferCSSPageSize: true, printBackground: true, tagged: false, outline: false, timeout: 30 * 60_000 });
    };
    try {
      for (const job of jobs) {
        // Each document in a new page (tab), the one before closed.
        await closeTab();
        if (job.parts && job.parts.length > 1) {
          const parts = partFiles(job);
          joins.push({ job, parts });
          await printParts(job.parts, parts, print);
        } else {
          await print(job.html, job.pdf);
          onPdf?.(job);
        }
      }
    } finally {
      await closeTab();
    }
    await started.close();
    for (const { job, parts } of joins) {
      await joinPdfs(parts, job.pdf);
      onPdf?.(job);
    }
  } finally {
    await started.close();
    for (const { parts } of joins) for (const f of parts) fs.rmSync(f, { force: true });
  }
}

/**
 * How many parts of a document one page (tab) prints before it is closed and a new one opened. A new page for each
 * part took twice as long (19 parts of 3,000 units: 44 s against 22-24, 45-50 s of the browser's processor time
 * against 29-31); one page for all 19 let the renderer grow to 340 MiB, against 140 with a new page each time.
 */
const PARTS_PER_PAGE = 5;

/** Where the parts' PDFs wait to be joined: beside the PDF (a confined browser cannot write the temporary folder). */
function partFiles(job: PdfJob): string[] {
  return job.parts!.map((_, i) => `${job.pdf}.part-${i + 1}.pdf`);
}

/**
 * The parts of one document printed one after the other into `files`: each part opens its page numbers where the part
 * before stopped, its first page numbered too.
 */
async function printParts(parts: string[], files: string[], print: (file: string, to: string, part: boolean) => Promise<Uint8Array>): Promise<void> {
  const { PDFDocument } = await import('pdf-lib');
  let pages = 0;
  for (let i = 0; i < parts.length; i++) {
    // Beside the PDF, as the whole document's page is (a confined browser cannot read the system's temporary folder).
    const html = `${files[i]}.html`;
    try {
      fs.writeFileSync(html, printOnly(i === 0 ? parts[i] : startingAtPage(parts[i], pages + 1)));
      const printed = await print(html, files[i], true);
      pages += (await PDFDocument.load(printed, { updateMetadata: false })).getPageCount();
    } finally {
      fs.rmSync(html, { force: true });
    }
  }
}

/** The parts' PDFs joined into one (pdf-lib, pure JavaScript), with the first part's title, creator and date. */
async function joinPdfs(files: string[], to: string): Promise<void> {
  const { PDFDocument } = await import('pdf-lib');
  const out = await PDFDocument.create({ updateMetadata: false });
  for (let i = 0; i < files.length; i++) {
    const part = await PDFDocument.load(fs.readFileSync(files[i]), { updateMetadata: false });
    if (i === 0) {
      out.setTitle(part.getTitle() ?? '');
      out.setCreator(part.getCreator() ?? '');
      out.setProducer(part.getProducer() ?? '');
      const created = part.getCreationDate();
      if (created) out.setCreationDate(created);
    }
    for (const page of await out.copyPages(part, part.getPageIndices())) out.addPage(page);
  }
  // Without object streams: every page object stays readable as it was printed (the bench counts them).
  fs.writeFileSync(to, await out.save({ useObjectStreams: false }));
}

/**
 * A part printed after others: its pages numbered from `first` on, the first one too (its own :first page is not the
 * document's). Added last in the <head>, over the stylesheet's rules.
 */
export function startingAtPage(html: string, first: number): string {
  return withStyle(html, `html { counter-reset: page ${first - 1}; } @page :first { @top-center { content: counter(page); } }`);
}

/** A part's file shows nothing on screen: the browser lays it out only when it prints it. */
export function printOnly(html: string): string {
  return withStyle(html, '@media screen { body { display: none; } }');
}

/** A rule added last in the <head>, over the stylesheet's. */
function withStyle(html: string, css: string): string {
  const tag = `<style>${css}</style>`;
  const at = html.lastIndexOf('</head>');
  return at < 0 ? tag + html : html.slice(0, at) + tag + html.slice(at);
}

function firstLine(s: string): string {
  return s.split('\n')[0];
}
