/**
 * A unit's reply to the template mail, saved as .eml and given to `hoctap ingest` (issue 25): its In-Reply-To/References
 * name the mail hoctap sent (the outbox), so the message is known as that unit's reply for that year even though the
 * attachment was renamed ("bao cao.xlsx"), as fetch-mail knows it (one rule: answeredBy). The file's own `_meta` still
 * decides whose figures they are, and the sender is still compared with that unit's address; a reply to a message
 * hoctap never sent is known as nobody's; hoctap's own message is refused. Messages written by Python's email package.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { openWorkspace } from '../src/catalog/workspace.ts';
import { workspaceForYear } from '../src/catalog/years.ts';
import { fillTemplate, plausibleValues } from '../fixtures/fill.ts';
import { runHoctap } from './helpers/cli.ts';
import { mailWorkspace, pythonRead, unitAddress } from './helpers/mail-workspace.ts';
import { needTool, runPython, tempDir } from './helpers/tools.ts';

const ready = needTool('python');
const root = tempDir('hoctap-mail-reply-');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** Writes one message: [file, from, subject, day, message-id, in-reply-to or '', attachment path, attachment name]. */
const WRITE = `
import sys
from datetime import datetime, timezone, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
out, sender, subject, day, mid, reply_to, attachment, name = sys.argv[1:]
m = EmailMessage()
m['From'] = f'Văn thư <{sender}>'
m['To'] = 'sgddt@example.vn'
m['Subject'] = subject
m['Date'] = format_datetime(datetime(2024, 12, int(day), 16, 45, tzinfo=timezone(timedelta(hours=7))))
m['Message-ID'] = mid
if reply_to:
    m['In-Reply-To'] = reply_to
    m['References'] = f'<truoc-do@example.vn> {reply_to}'
m.set_content('Kính gửi Sở, đơn vị gửi lại báo cáo.')
m.add_attachment(open(attachment, 'rb').read(), maintype='application', subtype='vnd.openxmlformats-officedocument.spreadsheetml.sheet', filename=name)
open(out, 'wb').write(bytes(m))
`;

interface FileJson { file: string; unit: string | null; year: number | null; status: string; answers: { unit: string; year: number; kind: string } | null; messages: { code: string }[] }

describe.skipIf(!ready)('a reply saved as .eml and given to ingest', { timeout: 600_000 }, () => {
  it('is known by the template mail it answers; the file\'s own unit and the sender rule still hold; other threads change nothing', async () => {
    const { ws, units } = mailWorkspace(root, 3, {});
    const [a, b, c] = units;
    // No SMTP: the templates are written as drafts, each with the Message-ID the outbox keeps.
    expect(runHoctap(['-w', ws, 'send', 'templates', '--year', '2024']).status).toBe(0);
    const outDir = path.join(ws, 'mail-out', fs.readdirSync(path.join(ws, 'mail-out'))[0]);
    const drafts = fs.readdirSync(outDir).map((f) => path.join(outDir, f));
    const toB = pythonRead(drafts).find((m) => m.to.includes(unitAddress(b)))!;
    expect(toB.message_id).toMatch(/^<.+@.+>$/);

    const w = workspaceForYear(openWorkspace(ws), 2024);
    const filled = async (code: string) => {
      const template = path.join(ws, 'templates', '2024', fs.readdirSync(path.join(ws, 'templates', '2024')).find((f) => f.startsWith(`2024_${code}_`))!);
      const file = path.join(root, `${code}-da-dien.xlsx`);
      fs.writeFileSync(file, await fillTemplate(fs.readFileSync(template), plausibleValues(w, w.roster.find((u) => u.code === code)!)));
      return file;
    };
    const inbox = path.join(root, 'thu-luu');
    fs.mkdirSync(inbox);
    const write = (name: string, args: string[]) => runPython(WRITE, [path.join(inbox, name), ...args]);
    // b answers its template mail, the attachment renamed; c answers a message hoctap never sent; b's mail is answered
    // from b's address with a's file.
    write('1-tra-loi.eml', [unitAddress(b), 'Re: Biểu mẫu báo cáo', '9', '<tra-loi-b@example.vn>', toB.message_id, await filled(b), 'bao cao.xlsx']);
    write('2-thu-khac.eml', [unitAddress(c), 'Re: Họp giao ban', '10', '<tra-loi-c@example.vn>', '<khong-phai-cua-hoctap@example.vn>', await filled(c), 'bao cao.xlsx']);
    write('3-nham-tep.eml', [unitAddress(b), 'Re: Biểu mẫu báo cáo (bổ sung)', '11', '<nham-tep-b@example.vn>', toB.message_id, await filled(a), 'bao cao.xlsx']);
    // b answers again with a workbook of its own making (no _meta): the file names no unit, the thread still does.
    const own = path.join(root, 'tu-lam.xlsx');
    runPython('import openpyxl, sys\nwb = openpyxl.Workbook(); wb.active["A1"] = "Số liệu"; wb.active["B1"] = 12; wb.save(sys.argv[1])', [own]);
    write('4-tu-lam.eml', [unitAddress(b), 'Re: Biểu mẫu báo cáo (tự làm)', '12', '<tu-lam-b@example.vn>', toB.message_id, own, 'bao cao.xlsx']);

    // A dry run looks the threads up too (the store read only), and writes nothing.
    const dry = runHoctap(['-w', ws, 'ingest', inbox, '--year', '2024', '--dry-run', '--format', 'json']);
    expect(dry.status, dry.stderr).toBe(1);
    const files = (JSON.parse(dry.stdout) as { files: FileJson[] }).files;
    const byMail = (prefix: string) => files.find((f) => f.file.startsWith(prefix))!;
    expect(byMail('1-tra-loi.eml')).toMatchObject({ file: '1-tra-loi.eml › bao cao.xlsx', unit: b, year: 2024, status: 'accepted', answers: { unit: b, year: 2024, kind: 'templates' } });
    // The same lookup, for a thread that is not hoctap's: nothing found, nothing said.
    expect(byMail('2-thu-khac.eml')).toMatchObject({ unit: c, status: 'accepted', answers: null });
    // The file's own _meta decides whose figures they are; the sender is compared with that unit's address.
    const wrong = byMail('3-nham-tep.eml');
    expect(wrong).toMatchObject({ unit: a, answers: { unit: b, year: 2024 } });
    expect(wrong.messages.map((m) => m.code)).toContain('sender_mismatch');
    expect(byMail('1-tra-loi.eml').messages.map((m) => m.code)).not.toContain('sender_mismatch');
    expect(byMail('4-tu-lam.eml')).toMatchObject({ unit: null, status: 'rejected', answers: { unit: b, year: 2024 } });

    const r = runHoctap(['-w', ws, 'ingest', inbox, '--year', '2024']);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stdout).toContain(`Thư trả lời thư biểu mẫu ${b} năm 2024.`);
    expect(r.stdout).toContain(`Lưu ý: thư chứa tệp 3-nham-tep.eml › bao cao.xlsx trả lời thư gửi ${b} năm 2024 nhưng tệp là của đơn vị ${a}`);
    expect(r.stdout.match(/Thư trả lời thư/g)).toHaveLength(3);

    // Stored: each message read, with the unit and year its thread names (none for the other thread), kept whole.
    const db = new DatabaseSync(path.join(ws, 'hoctap.sqlite'), { readOnly: true });
    const seen = db.prepare('SELECT message_key, unit_code, year, state, archive_path FROM mail_seen ORDER BY message_key').all();
    db.close();
    expect(seen.map((s) => [s.message_key, s.unit_code, s.year, s.state])).toEqual([
      ['<nham-tep-b@example.vn>', b, 2024, 'done'], ['<tra-loi-b@example.vn>', b, 2024, 'done'], ['<tra-loi-c@example.vn>', null, null, 'done'],
      ['<tu-lam-b@example.vn>', b, 2024, 'done'],
    ]);
    for (const s of seen) expect(fs.existsSync(path.join(ws, String(s.archive_path)))).toBe(true);
    // Shown: b's history lists its three replies; c's lists none.
    expect(runHoctap(['-w', ws, 'history', '--unit', b, '--year', '2024']).stdout).toContain('Thư trả lời đã nhận (3)');
    expect(runHoctap(['-w', ws, 'history', '--unit', c, '--year', '2024']).stdout).not.toContain('Thư trả lời đã nhận');
    const status = JSON.parse(runHoctap(['-w', ws, 'status', '--year', '2024', '--format', 'json']).stdout) as { units: { unitCode: string; state: string; receivedAt: string }[] };
    expect(status.units.find((u) => u.unitCode === b)!.receivedAt).toBe('2024-12-09T09:45:00.000Z');

    // hoctap's own message (the draft itself) is refused as a whole: not a unit's answer.
    const draft = runHoctap(['-w', ws, 'ingest', drafts.find((f) => fs.readFileSync(f, 'utf8').includes(toB.message_id))!, '--format', 'json']);
    expect(draft.status).toBe(1);
    const ownFile = (JSON.parse(draft.stdout) as { files: (FileJson & { reason: string })[] }).files[0];
    expect(ownFile.messages.map((m) => m.code)).toEqual(['email_own']);
    expect(ownFile.reason).toContain(`đây là thư hoctap đã gửi (biểu mẫu ${b} năm 2024`);

    // The messages read survive a rebuild (they are in the journal): b's replies are still known.
    const rebuilt = runHoctap(['-w', ws, 'rebuild'], { timeout: 300_000 });
    expect(rebuilt.status, rebuilt.stderr).toBe(0);
    expect(runHoctap(['-w', ws, 'history', '--unit', b, '--year', '2024']).stdout).toContain('Thư trả lời đã nhận (3)');
  });
});
