#!/usr/bin/env python3
"""Writes the messages units send back, with Python's own email package: plain, forwarded, two attachments, an RFC 2231
(Vietnamese) attachment name, and a reply to hoctap's template mail (In-Reply-To/References, the attachment renamed).
Arguments: out-dir, then a JSON object {"units": [{"address", "template"}] x6, "reply_to": "<message-id>"}."""
import json, os, sys
from datetime import datetime, timezone, timedelta
from email.message import EmailMessage
from email.utils import format_datetime

out, spec = sys.argv[1], json.loads(sys.argv[2])
u = spec['units']
VN = timezone(timedelta(hours=7))
XLSX = ('application', 'vnd.openxmlformats-officedocument.spreadsheetml.sheet')

def msg(sender, subject, day):
    m = EmailMessage()
    m['From'] = f'Văn thư <{sender}>'
    m['To'] = 'sgddt@example.vn'
    m['Subject'] = subject
    m['Date'] = format_datetime(datetime(2024, 12, day, 16, 45, tzinfo=VN))
    m['Message-ID'] = f'<unit-{day}-{abs(hash(subject)) % 100000}@example.vn>'
    m.set_content('Kính gửi Sở, đơn vị gửi báo cáo.')
    return m

def attach(m, path, name):
    m.add_attachment(open(path, 'rb').read(), maintype=XLSX[0], subtype=XLSX[1], filename=name)

def write(name, m):
    open(os.path.join(out, name), 'wb').write(bytes(m))

plain = msg(u[0]['address'], 'Báo cáo', 2); attach(plain, u[0]['template'], 'bao-cao.xlsx'); write('1-plain.eml', plain)
inner = msg(u[1]['address'], 'Báo cáo gốc', 3); attach(inner, u[1]['template'], 'bao-cao.xlsx')
fw = msg(u[1]['address'], 'Fwd: Báo cáo', 4); fw.add_attachment(inner); write('2-forwarded.eml', fw)
two = msg(u[2]['address'], 'Báo cáo hai tệp', 5); attach(two, u[2]['template'], 'a.xlsx'); attach(two, u[3]['template'], 'b.xlsx'); write('3-two.eml', two)
vi = msg(u[4]['address'], 'Báo cáo tên tiếng Việt', 6)
vi.add_attachment(open(u[4]['template'], 'rb').read(), maintype=XLSX[0], subtype=XLSX[1], filename=('utf-8', '', 'Báo cáo Ủy ban nhân dân năm 2024.xlsx'))
write('4-rfc2231.eml', vi)
reply = msg(u[5]['address'], 'Re: Biểu mẫu báo cáo', 7)
reply['In-Reply-To'] = spec['reply_to']
reply['References'] = spec['reply_to']
attach(reply, u[5]['template'], 'file-da-doi-ten.xlsx'); write('5-reply.eml', reply)
