import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { loadCatalog, SEEDS_DIR } from './catalog.ts';
import { UserError } from '../errors.ts';
import type { Catalog, Indicator } from './types.ts';
import { endOfVietnamDay } from '../dates.ts';
import { fillWords } from './periods.ts';
import { readJsonFile } from './json-file.ts';
import { loadRoster, profileRosterFile, unitsFromSnapshot, type Unit } from './roster.ts';
import { fitAssignmentsToRoster } from './assignments.ts';
import { writeFileAtomic } from '../fs/atomic.ts';
import { hasPassword, isPostgresUrl } from './database-url.ts';

export type { Unit } from './roster.ts';
export { loadRoster } from './roster.ts';

export const PROFILE_IDS = ['hcm', 'haiphong'] as const;
export type ProfileId = (typeof PROFILE_IDS)[number];
export const CONFIG_FILE = 'hoctap.config.json';
export const ROSTER_FILE = 'roster.csv';
export const TARGETS_FILE = 'targets.csv';
/** Per-year files live in <workspace>/years/<year>/ and override the workspace-wide ones for that year. */
export const YEARS_DIR = 'years';
export const YEAR_CONFIG_FILE = 'config.json';
export const SNAPSHOT_FILE = 'snapshot.json';
/** This PC's own settings for the workspace (not shared with the team): the address of a shared database. */
export const LOCAL_FILE = 'hoctap.local.json';

const dayOfYear = z.object({ month: z.number().int().min(1).max(12), day: z.number().int().min(1).max(31) });

const signerSchema = z.object({ authority: z.string(), title: z.string(), name: z.string() });

const profileSchema = z.object({
  id: z.string(),
  city: z.string().min(1),
  parentBody: z.string().min(1),
  issuingBody: z.string().min(1),
  issuingBodyAbbreviation: z.string().min(1),
  documentNumber: z.string(),
  place: z.string().min(1),
  reportSubject: z.string().min(1),
  reportTo: z.string().min(1),
  signer: signerSchema,
  canCu: z.array(z.string()),
  recipients: z.array(z.string()),
  archiveUnit: z.string(),
  /** The units' deadline (day and month of the reporting year). */
  deadline: dayOfYear,
  /** A year whose plan sets the units' deadline otherwise (002: before 30/12/2024), by year: over `deadline` for it. */
  yearDeadlines: z.record(z.string().regex(/^\d{4}$/), dayOfYear).optional(),
  /** The city report's own deadline (002: the 2024 report is due 30/12/2024); absent: the units' deadline. */
  reportDeadline: dayOfYear.optional(),
  submitTo: z.string(),
  submitEmail: z.string(),
  /** Whom a unit asks about the template at the issuing body (the instructions sheet shows what is given). */
  contact: z.object({ name: z.string(), phone: z.string(), email: z.string() }).partial().optional(),
  agencyNames: z.record(z.string(), z.string()),
  /** Above this many units the report's Phụ lục III (every unit's text) is a document of its own (default 60). */
  annexSeparateAbove: z.number().int().min(0).optional(),
});
export type Profile = z.infer<typeof profileSchema>;

/**
 * Mail (docs/mail.md): the sender, SMTP to send (its password from HOCTAP_SMTP_PASSWORD or asked, never on disk) and
 * IMAP to read the units' answers (HOCTAP_IMAP_PASSWORD). Workspace-wide only: not a year's setting.
 */
const serverSchema = z.object({
  host: z.string().min(1), port: z.number().int().min(1).max(65535), secure: z.boolean().optional(), user: z.string().optional(),
}).strict();
const mailSchema = z.object({
  from: z.string().min(3),
  /** Who answers the units' questions (name, phone), said in every message; default: the profile's submitTo. */
  contact: z.string().optional(),
  smtp: serverSchema.extend({
    /** At most this many messages a second (the server's limit; default 5). */
    rate: z.number().positive().optional(),
    /** Connections kept open (default 2). */
    connections: z.number().int().min(1).max(10).optional(),
  }).strict().optional(),
  imap: serverSchema.extend({
    folder: z.string().min(1).optional(),
    /** Where processed messages are moved; absent: they are marked seen where they are. */
    moveTo: z.string().min(1).optional(),
  }).strict().optional(),
  /** A copy of every message sent to `from` itself (Bcc), which lets a stopped run check what reached the server. */
  copyToSelf: z.boolean().optional(),
}).strict();
export type MailConfig = z.infer<typeof mailSchema>;

/** The workspace config: every profile key may be overridden, plus which profile to start from. */
// A config may give the signer's name alone: the profile has the rest.
// approvers: the OS user names that may approve (docs/review.md); the workspace's, never a year's nor a profile's.
const configSchema = profileSchema.partial().extend({
  profile: z.enum(PROFILE_IDS).optional(), signer: signerSchema.partial().optional(), mail: mailSchema.optional(),
  approvers: z.array(z.string().trim().min(1)).optional(),
}).strict();
/** A year's config (years/<year>/config.json): the same keys, for that year only. */
const yearConfigSchema = profileSchema.omit({ id: true }).partial().extend({ signer: signerSchema.partial().optional() }).strict();
/** What a config changes in a profile. */
type ProfileOverrides = Omit<Partial<Profile>, 'signer'> & { signer?: Partial<Profile['signer']> };

/** What was in force when a year's templates were generated (years/<year>/snapshot.json). */
export const snapshotSchema = z.object({
  year: z.number().int(),
  catalogVersion: z.string(),
  writtenAt: z.string(),
  profile: profileSchema.extend({ reportDeadline: dayOfYear }),
  roster: z.array(z.object({ code: z.string(), name: z.string(), agencyCode: z.string(), email: z.string(), note: z.string().optional() })),
}).strict();
export type YearSnapshot = z.infer<typeof snapshotSchema>;

export interface Workspace {
  dir: string;
  /** The year this view is of (null: the workspace-wide files, the words in force now). */
  year: number | null;
  profile: Profile;
  roster: Unit[];
  catalog: Catalog;
  dbPath: string;
  /** The shared PostgreSQL store's address (HOCTAP_DATABASE_URL, else hoctap.local.json), or null: the embedded store. */
  databaseUrl: string | null;
  archiveDir: string;
  /** The "mail" settings of hoctap.config.json, if any. */
  mail: MailConfig | null;
  /** Where each piece came from, for messages and `init`. */
  sources: { config: string | null; yearConfig: string | null; roster: string; targets: string | null; snapshot: string | null };
  /**
   * The keys of hoctap.config.json that say otherwise than the year's snapshot and so have no effect on this year (the
   * analyst edited them after the templates went out): said by `report`, with where to write them for this year.
   */
  heldBySnapshot: string[];
  /** The OS user names that may approve, return, lock and force on the embedded store (hoctap.config.json "approvers"). */
  approvers?: string[];
  /**
   * A snapshot that is not JSON at all (cut short by a crash before snapshots were written atomically): the year is read
   * from its files as if it had none, said by the commands, and `generate-templates` writes it anew.
   */
  damagedSnapshot?: string;
}

export interface OpenOptions {
  /** The year to view: its own files (years/<year>/), its words and, once its templates exist, its snapshot. */
  year?: number | null;
  /** Read the files even when the year has a snapshot (generating templates anew, importing a roster). */
  ignoreSnapshot?: boolean;
}

/** The roster's unit with this code, found as a person types it (case and surrounding spaces do not matter). */
export function findUnit(ws: Pick<Workspace, 'roster'>, code: string): Unit | undefined {
  const wanted = code.trim().toUpperCase();
  return ws.roster.find((u) => u.code.toUpperCase() === wanted);
}

/** The indicators a unit reports: those the appendix assigns to its agency. */
export function indicatorsForUnit(ws: Pick<Workspace, 'catalog'>, unit: Pick<Unit, 'agencyCode'>): Indicator[] {
  return ws.catalog.indicators.filter((i) => i.agencyCodes.includes(unit.agencyCode));
}

/** `--workspace DIR`, else HOCTAP_WORKSPACE, else the current folder. */
export function resolveWorkspaceDir(option?: string): string {
  return path.resolve(option ?? process.env.HOCTAP_WORKSPACE ?? process.cwd());
}

export function profileDir(id: ProfileId): string {
  return path.join(SEEDS_DIR, 'profiles', id);
}

/** A profile's own catalog rows (its plan's indicators and targets, its words), when it has any. */
export function profileCatalogDirs(id: ProfileId): string[] {
  const d = path.join(profileDir(id), 'catalog');
  return fs.existsSync(d) ? [d] : [];
}

/** The folder of a year's own files. */
export function yearDir(dir: string, year: number): string {
  return path.join(dir, YEARS_DIR, String(year));
}

/**
 * Loads a workspace: config over profile, the workspace's roster and targets over the bundled ones. With a year:
 * that year's files (years/<year>/config.json, roster.csv, targets.csv) over the workspace-wide ones, the texts in
 * the year's words, and, when the year's templates were generated, the roster, names and deadlines then in force.
 */
export function openWorkspace(dirOption?: string, opts: OpenOptions = {}): Workspace {
  const dir = resolveWorkspaceDir(dirOption);
  if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory()) throw new UserError(`Thư mục làm việc "${dir}" không phải là thư mục.`);
  const year = opts.year ?? null;
  const ydir = year !== null ? yearDir(dir, year) : null;
  const existing = (file: string | null) => (file && fs.existsSync(file) ? file : null);

  const configPath = path.join(dir, CONFIG_FILE);
  const config = fs.existsSync(configPath) ? readJsonFile(configPath, configSchema) : null;
  const profileId: ProfileId = config?.profile ?? 'hcm';
  const base = readJsonFile(path.join(profileDir(profileId), 'profile.json'), profileSchema);
  const yearConfigPath = existing(ydir && path.join(ydir, YEAR_CONFIG_FILE));
  const yearConfig = yearConfigPath ? readJsonFile(yearConfigPath, yearConfigSchema) : null;
  const { profile: _p, mail, approvers, ...overrides } = config ?? {};
  const merged: Profile = mergeProfile(mergeProfile(base, overrides), yearConfig ?? {});

  const targets = existing(ydir && path.join(ydir, TARGETS_FILE)) ?? existing(path.join(dir, TARGETS_FILE));
  const catalog = loadCatalog({ targetsFile: targets ?? undefined, extraDirs: profileCatalogDirs(profileId), year });

  const foundSnapshot = opts.ignoreSnapshot ? null : existing(ydir && path.join(ydir, SNAPSHOT_FILE));
  const damagedSnapshot = foundSnapshot && !isJson(foundSnapshot) ? foundSnapshot : undefined;
  const snapshotPath = damagedSnapshot ? null : foundSnapshot;
  let profile: Profile;
  let roster: Unit[];
  let rosterPath: string;
  let heldBySnapshot: string[] = [];
  if (snapshotPath) {
    const snap = readJsonFile(snapshotPath, snapshotSchema);
    // The year's own config speaks of that year alone: all of it applies, after the snapshot too (a deadline put off, a
    // Căn cứ added). The shared one, also read for later years, only for what is decided at signing.
    profile = fillProfileWords(mergeProfile(mergeProfile(snap.profile, reportTimeSettings(overrides)), yearConfig ?? {}), catalog.words);
    heldBySnapshot = keysHeldBySnapshot(fillProfileWords(merged, catalog.words), profile, overrides, yearConfig ?? {});
    roster = unitsFromSnapshot(snap.roster, catalog, snapshotPath);
    rosterPath = snapshotPath;
  } else {
    profile = fillProfileWords(merged, catalog.words);
    rosterPath = existing(ydir && path.join(ydir, ROSTER_FILE)) ?? existing(path.join(dir, ROSTER_FILE)) ?? profileRosterFile(profileDir(profileId), year);
    roster = loadRoster(rosterPath, catalog);
  }
  for (const a of catalog.agencies) if (profile.agencyNames[a.code]) a.name = fillWords(profile.agencyNames[a.code], catalog.words);
  fitAssignmentsToRoster(catalog, roster);
  return {
    dir, year, profile, roster, catalog, mail: mail ?? null,
    dbPath: path.join(dir, 'hoctap.sqlite'),
    databaseUrl: databaseUrlOf(dir),
    archiveDir: path.join(dir, 'archive'),
    sources: { config: config ? configPath : null, yearConfig: yearConfigPath, roster: rosterPath, targets, snapshot: snapshotPath },
    heldBySnapshot,
    approvers: approvers ?? [],
    ...(damagedSnapshot ? { damagedSnapshot } : {}),
  };
}

const localSchema = z.object({ database: z.string().regex(/^postgres(ql)?:\/\//i, 'một địa chỉ postgresql://…').optional() }).strict();

/**
 * The shared database a workspace works with: HOCTAP_DATABASE_URL, else "database" in its hoctap.local.json, else null
 * (the embedded store, hoctap.sqlite). A password is never taken from there (PGPASSWORD or ~/.pgpass hold it).
 */
export function databaseUrlOf(dir: string): string | null {
  const fromEnv = process.env.HOCTAP_DATABASE_URL?.trim();
  const file = path.join(dir, LOCAL_FILE);
  const url = fromEnv || (fs.existsSync(file) ? readJsonFile(file, localSchema).database ?? null : null);
  if (!url) return null;
  if (!isPostgresUrl(url)) throw new UserError(`HOCTAP_DATABASE_URL "${url}" không phải địa chỉ PostgreSQL (postgresql://…).`);
  if (hasPassword(url)) throw new UserError(`Địa chỉ cơ sở dữ liệu ${fromEnv ? 'trong HOCTAP_DATABASE_URL' : `trong ${file}`} có mật khẩu: hoctap không dùng mật khẩu ghi ở đó; bỏ mật khẩu khỏi địa chỉ và đặt nó trong biến môi trường PGPASSWORD hoặc tệp ~/.pgpass.`);
  return url;
}

/** Records this PC's shared database for the workspace (hoctap.local.json); the URL holds no password. */
export function writeDatabaseSetting(dir: string, url: string): string {
  if (hasPassword(url)) throw new UserError('Địa chỉ cơ sở dữ liệu có mật khẩu: hoctap không ghi mật khẩu vào thư mục làm việc; bỏ mật khẩu khỏi địa chỉ và đặt nó trong biến môi trường PGPASSWORD hoặc tệp ~/.pgpass.');
  const file = path.join(dir, LOCAL_FILE);
  writeFileAtomic(file, JSON.stringify({ database: url }, null, 2) + '\n');
  return file;
}

/** Whether a file holds JSON at all (a file cut short does not); what it says is checked by its schema after. */
function isJson(file: string): boolean {
  try {
    JSON.parse(fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
    return true;
  } catch {
    return false;
  }
}

/**
 * What the analyst decides when the report is signed, not when the templates go out: the signer, the document's
 * number, whether Phụ lục III is a document of its own. These come from hoctap.config.json even for a year whose
 * snapshot keeps the rest of that file as it was (the notice for a missing signer sends the analyst there).
 */
const REPORT_TIME_KEYS = ['signer', 'documentNumber', 'annexSeparateAbove'] as const;

function reportTimeSettings(over: ProfileOverrides): ProfileOverrides {
  return Object.fromEntries(REPORT_TIME_KEYS.filter((k) => over[k] !== undefined).map((k) => [k, over[k]]));
}

/** The keys of the shared config, other than those decided at signing and those the year's config sets, that the year's
 * profile does not follow. An object (agencyNames, deadline) is compared on the keys the config gives. */
function keysHeldBySnapshot(wanted: Profile, inForce: Profile, over: ProfileOverrides, yearOver: ProfileOverrides): string[] {
  const differs = (a: unknown, b: unknown): boolean => (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a)
    ? Object.entries(a).some(([k, v]) => differs(v, (b as Record<string, unknown>)[k]))
    : JSON.stringify(a) !== JSON.stringify(b));
  return (Object.keys(over) as (keyof Profile)[])
    .filter((k) => !(REPORT_TIME_KEYS as readonly string[]).includes(k) && yearOver[k] === undefined)
    .filter((k) => differs(wanted[k], inForce[k]));
}

function mergeProfile(base: Profile, over: ProfileOverrides): Profile {
  // A deadline the analyst sets is the deadline: the plan's deadlines by year are the profile's defaults only.
  if (over.deadline !== undefined && over.yearDeadlines === undefined) base = { ...base, yearDeadlines: undefined };
  return { ...base, ...over, signer: { ...base.signer, ...over.signer }, agencyNames: { ...base.agencyNames, ...over.agencyNames } };
}

/** The profile's texts in the year's words ("Ủy ban nhân dân các {cap_dia_phuong}" in the recipients…). */
function fillProfileWords(p: Profile, words: Map<string, string>): Profile {
  const f = (s: string) => fillWords(s, words);
  return {
    ...p, city: f(p.city), parentBody: f(p.parentBody), issuingBody: f(p.issuingBody), reportTo: f(p.reportTo), submitTo: f(p.submitTo),
    reportSubject: f(p.reportSubject), canCu: p.canCu.map(f), recipients: p.recipients.map(f),
    agencyNames: Object.fromEntries(Object.entries(p.agencyNames).map(([k, v]) => [k, f(v)])),
  };
}

/** The bundled targets of a profile: the appendix's, then the profile's own (its plan's roadmap). */
export function bundledTargetsCsv(profileId: ProfileId): string {
  const files = [path.join(SEEDS_DIR, 'catalog', TARGETS_FILE), ...profileCatalogDirs(profileId).map((d) => path.join(d, TARGETS_FILE))].filter((f) => fs.existsSync(f));
  return files.map((f, k) => {
    const text = fs.readFileSync(f, 'utf8').replace(/^\uFEFF/, '');
    return k === 0 ? text : text.split('\n').slice(1).join('\n');
  }).join('');
}

/** Writes the profile's config, roster and targets into a workspace for the analyst to edit. */
export function initWorkspace(dir: string, profileId: ProfileId, force: boolean): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const base = JSON.parse(fs.readFileSync(path.join(profileDir(profileId), 'profile.json'), 'utf8')) as Profile;
  const { id: _id, ...editable } = base;
  const files: [string, string][] = [
    [CONFIG_FILE, JSON.stringify({ profile: profileId, ...editable }, null, 2) + '\n'],
    [ROSTER_FILE, fs.readFileSync(path.join(profileDir(profileId), ROSTER_FILE), 'utf8')],
    [TARGETS_FILE, bundledTargetsCsv(profileId)],
  ];
  const existing = files.map(([n]) => n).filter((n) => fs.existsSync(path.join(dir, n)));
  if (existing.length && !force) throw new UserError(`Thư mục ${dir} đã có ${existing.join(', ')}: không ghi đè. Thêm --force để ghi đè.`);
  for (const [name, content] of files) writeFileAtomic(path.join(dir, name), content);
  return files.map(([n]) => path.join(dir, n));
}

/** The reporting deadline of a year's figures (due in the same calendar year): the end of that day in Vietnam. */
export function deadlineFor(profile: Profile, year: number): Date {
  const d = profile.yearDeadlines?.[String(year)] ?? profile.deadline;
  return endOfVietnamDay(year, d.month, d.day);
}

/** The deadline of the city's report on a year (its own date, e.g. 30/12; the units' deadline when none is set). */
export function reportDeadlineFor(profile: Profile, year: number): Date {
  const d = profile.reportDeadline ?? profile.deadline;
  return endOfVietnamDay(year, d.month, d.day);
}
