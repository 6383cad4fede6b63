# Valid .eml bases for the fuzz suite, written with Python's own email package (an independent MIME writer):
# an .xlsx attached (base64), an .xlsx and a CSV (quoted-printable text), a forwarded message, a Vietnamese file name
# (RFC 2231), and a multipart/alternative body beside the attachment.
# Usage: make-emails.py OUT_DIR XLSX CSV SENDER
import sys, os
from email.message import EmailMessage
from email.utils import format_datetime
from datetime import datetime, timezone, timedelta
out, xlsx, csvf, sender = sys.argv[1:5]
VN = timezone(timedelta(hours=7))
data = open(xlsx, 'rb').read()
csv = open(csvf, 'rb').read()
XLSX = ('application', 'vnd.openxmlformats-officedocument.spreadsheetml.sheet')
def msg(subject, day):
    m = EmailMessage(); m['From'] = f'Văn thư <{sender}>'; m['To'] = 'thanhphohoctap@sgddt.example.vn'
    m['Subject'] = subject; m['Date'] = format_datetime(datetime(2024, 12, day, 9, 30, tzinfo=VN))
    m.set_content('Kính gửi Sở, đơn vị gửi báo cáo năm 2024.'); return m
def write(name, m): open(os.path.join(out, name), 'wb').write(bytes(m))
plain = msg('Báo cáo', 9); plain.add_attachment(data, maintype=XLSX[0], subtype=XLSX[1], filename='bao-cao.xlsx'); write('plain.eml', plain)
two = msg('Báo cáo hai tệp', 8); two.add_attachment(data, maintype=XLSX[0], subtype=XLSX[1], filename='a.xlsx')
two.add_attachment(csv.decode('utf-8'), subtype='csv', charset='utf-8', cte='quoted-printable', filename='b.csv'); write('two.eml', two)
fw = msg('Fwd: Báo cáo', 11); fw.add_attachment(plain); write('forwarded.eml', fw)
vi = msg('Báo cáo', 7); vi.add_attachment(data, maintype='application', subtype='octet-stream', filename=('utf-8', '', 'Báo cáo năm 2024.xlsx')); write('vietnamese.eml', vi)
alt = msg('Báo cáo', 6); alt.add_alternative('<p>Kính gửi Sở</p>', subtype='html'); alt.add_attachment(data, maintype=XLSX[0], subtype=XLSX[1], filename='q.xlsx'); write('alternative.eml', alt)
