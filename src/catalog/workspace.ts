import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { readCsvRows, cell } from './csv-file.ts';
import { loadCatalog, SEEDS_DIR } from './catalog.ts';
import { DataFileError, UserError } from '../errors.ts';
import type { AgencyKind, Catalog } from './types.ts';
import { endOfVietnamDay } from '../dates.ts';

export const PROFILE_IDS = ['hcm', 'haiphong'] as const;
export type ProfileId = (typeof PROFILE_IDS)[number];
export const CONFIG_FILE = 'hoctap.config.json';
export const ROSTER_FILE = 'roster.csv';
export const TARGETS_FILE = 'targets.csv';

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
  signer: z.object({ authority: z.string(), title: z.string(), name: z.string() }),
  canCu: z.array(z.string()),
  recipients: z.array(z.string()),
  archiveUnit: z.string(),
  deadline: z.object({ month: z.number().int().min(1).max(12), day: z.number().int().min(1).max(31) }),
  submitTo: z.string(),
  submitEmail: z.string(),
  agencyNames: z.record(z.string(), z.string()),
  /** Above this many units the report's Phụ lục III (every unit's text) is a document of its own (default 60). */
  annexSeparateAbove: z.number().int().min(0).optional(),
});
export type Profile = z.infer<typeof profileSchema>;

/** The workspace config: every profile key may be overridden, plus which profile to start from. */
const configSchema = profileSchema.partial().extend({ profile: z.enum(PROFILE_IDS).optional() }).strict();

export interface Unit {
  code: string;
  name: string;
  agencyCode: string;
  agencyKind: AgencyKind;
  email: string;
}

export interface Workspace {
  dir: string;
  profile: Profile;
  roster: Unit[];
  catalog: Catalog;
  dbPath: string;
  archiveDir: string;
  /** Where each piece came from, for messages and `init`. */
  sources: { config: string | null; roster: string; targets: string | null };
}

/** `--workspace DIR`, else HOCTAP_WORKSPACE, else the current folder. */
export function resolveWorkspaceDir(option?: string): string {
  return path.resolve(option ?? process.env.HOCTAP_WORKSPACE ?? process.cwd());
}

export function profileDir(id: ProfileId): string {
  return path.join(SEEDS_DIR, 'profiles', id);
}

/** Loads a workspace: config over profile, the workspace's roster and targets over the bundled ones. */
export function openWorkspace(dirOption?: string): Workspace {
  const dir = resolveWorkspaceDir(dirOption);
  if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory()) throw new UserError(`Thư mục làm việc "${dir}" không phải là thư mục.`);
  const configPath = path.join(dir, CONFIG_FILE);
  const config = fs.existsSync(configPath) ? readJsonFile(configPath, configSchema) : null;
  const profileId: ProfileId = config?.profile ?? 'hcm';
  const base = readJsonFile(path.join(profileDir(profileId), 'profile.json'), profileSchema);
  const { profile: _p, ...overrides } = config ?? {};
  const profile: Profile = { ...base, ...overrides, signer: { ...base.signer, ...overrides.signer }, agencyNames: { ...base.agencyNames, ...overrides.agencyNames } };

  const wsTargets = path.join(dir, TARGETS_FILE);
  const targets = fs.existsSync(wsTargets) ? wsTargets : null;
  const catalog = loadCatalog({ targetsFile: targets ?? undefined });
  for (const a of catalog.agencies) if (profile.agencyNames[a.code]) a.name = profile.agencyNames[a.code];

  const wsRoster = path.join(dir, ROSTER_FILE);
  const rosterPath = fs.existsSync(wsRoster) ? wsRoster : path.join(profileDir(profileId), ROSTER_FILE);
  const roster = loadRoster(rosterPath, catalog);
  return {
    dir, profile, roster, catalog,
    dbPath: path.join(dir, 'hoctap.sqlite'),
    archiveDir: path.join(dir, 'archive'),
    sources: { config: config ? configPath : null, roster: rosterPath, targets },
  };
}

const rosterSchema = z.object({
  unit_code: cell.required('mã đơn vị').regex(/^[A-Za-z0-9_-]+$/, { error: 'mã đơn vị chỉ gồm chữ không dấu, số, "_" và "-"' }),
  unit_name: cell.required('tên đơn vị'),
  agency_code: cell.required('mã cơ quan'),
  email: cell.optional(),
});

export function loadRoster(file: string, catalog: Catalog): Unit[] {
  const shown = path.relative(process.cwd(), file) || file;
  const rows = readCsvRows(file, rosterSchema, shown);
  const seen = new Set<string>();
  return rows.map((r, i) => {
    const agency = catalog.agencyByCode.get(r.agency_code);
    if (!agency) throw new DataFileError(shown, `mã cơ quan "${r.agency_code}" không có trong danh mục (có: ${catalog.agencies.map((a) => a.code).join(', ')})`, i + 2, 'agency_code');
    if (seen.has(r.unit_code)) throw new DataFileError(shown, `mã đơn vị "${r.unit_code}" bị trùng`, i + 2, 'unit_code');
    seen.add(r.unit_code);
    return { code: r.unit_code, name: r.unit_name.normalize('NFC'), agencyCode: r.agency_code, agencyKind: agency.kind, email: r.email };
  });
}

/** Reads a JSON file and checks it; a mistake is reported with its line and column. */
function readJsonFile<S extends z.ZodType>(file: string, schema: S): z.infer<S> {
  const shown = path.relative(process.cwd(), file) || file;
  const text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    const m = /line (\d+) column (\d+)/.exec(String((e as Error).message));
    const pos = /position (\d+)/.exec(String((e as Error).message));
    let line = m ? Number(m[1]) : undefined;
    let col = m ? m[2] : undefined;
    if (!m && pos) {
      const before = text.slice(0, Number(pos[1]));
      line = before.split('\n').length;
      col = String(before.length - before.lastIndexOf('\n'));
    }
    throw new DataFileError(shown, `không phải JSON hợp lệ${col ? ` (ký tự thứ ${col})` : ''}: kiểm tra dấu phẩy, ngoặc và dấu nháy kép`, line);
  }
  const result = schema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    const key = issue.path.map(String).join('.');
    const last = issue.path.length ? String(issue.path[issue.path.length - 1]) : '';
    const idx = last ? text.indexOf(`"${last}"`) : -1;
    const line = idx >= 0 ? text.slice(0, idx).split('\n').length : undefined;
    const reason = issue.code === 'unrecognized_keys'
      ? `khóa không được hỗ trợ: ${(issue as { keys: string[] }).keys.join(', ')}`
      : `giá trị của "${key}" không hợp lệ (${issue.message})`;
    const keyLine = issue.code === 'unrecognized_keys' ? lineOf(text, (issue as { keys: string[] }).keys[0]) : line;
    throw new DataFileError(shown, reason, keyLine, key || undefined);
  }
  return result.data;
}

function lineOf(text: string, key: string): number | undefined {
  const idx = text.indexOf(`"${key}"`);
  return idx >= 0 ? text.slice(0, idx).split('\n').length : undefined;
}

/** Writes the profile's config, roster and targets into a workspace for the analyst to edit. */
export function initWorkspace(dir: string, profileId: ProfileId, force: boolean): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const base = JSON.parse(fs.readFileSync(path.join(profileDir(profileId), 'profile.json'), 'utf8')) as Profile;
  const { id: _id, ...editable } = base;
  const files: [string, string][] = [
    [CONFIG_FILE, JSON.stringify({ profile: profileId, ...editable }, null, 2) + '\n'],
    [ROSTER_FILE, fs.readFileSync(path.join(profileDir(profileId), ROSTER_FILE), 'utf8')],
    [TARGETS_FILE, fs.readFileSync(path.join(SEEDS_DIR, 'catalog', TARGETS_FILE), 'utf8')],
  ];
  const existing = files.map(([n]) => n).filter((n) => fs.existsSync(path.join(dir, n)));
  if (existing.length && !force) throw new UserError(`Thư mục ${dir} đã có ${existing.join(', ')}: không ghi đè. Thêm --force để ghi đè.`);
  for (const [name, content] of files) fs.writeFileSync(path.join(dir, name), content);
  return files.map(([n]) => path.join(dir, n));
}

/** The reporting deadline of a year's figures (due in the same calendar year): the end of that day in Vietnam. */
export function deadlineFor(profile: Profile, year: number): Date {
  return endOfVietnamDay(year, profile.deadline.month, profile.deadline.day);
}

/** The units that report an indicator: those whose agency is assigned to it. */
export function unitsForAgency(ws: Workspace, agencyCode: string): Unit[] {
  return ws.roster.filter((u) => u.agencyCode === agencyCode);
}
