# Writes the test e-mails with Python's own email package (an independent MIME writer): plain, two attachments,
# a Vietnamese attachment name (RFC 2231), a forwarded message and one without a workbook.
import sys, os
from email.message import EmailMessage
from email.utils import format_datetime
from datetime import datetime, timezone, timedelta
out, xlsx, csvf = sys.argv[1], sys.argv[2], sys.argv[3]
VN = timezone(timedelta(hours=7))
def msg(subject, date, sender='vanthu.q1@tphcm.gov.vn'):
    m = EmailMessage(); m['From'] = f'Văn thư <{sender}>'; m['To'] = 'thanhphohoctap@sgddt.example.vn'
    m['Subject'] = subject; m['Date'] = format_datetime(date); m.set_content('Kính gửi Sở, đơn vị gửi báo cáo.'); return m
data = open(xlsx, 'rb').read()
m = msg('Báo cáo', datetime(2024, 12, 9, 16, 45, tzinfo=VN)); m.add_attachment(data, maintype='application', subtype='vnd.openxmlformats-officedocument.spreadsheetml.sheet', filename='bao-cao.xlsx')
open(os.path.join(out, 'plain.eml'), 'wb').write(bytes(m))
m2 = msg('Báo cáo hai tệp', datetime(2024, 12, 8, 9, 0, tzinfo=VN)); m2.add_attachment(data, maintype='application', subtype='octet-stream', filename='a.xlsx'); m2.add_attachment(open(csvf,'rb').read(), maintype='text', subtype='csv', filename='b.csv')
open(os.path.join(out, 'two.eml'), 'wb').write(bytes(m2))
m3 = msg('Báo cáo', datetime(2024, 12, 7, 10, 0, tzinfo=VN)); m3.add_attachment(data, maintype='application', subtype='octet-stream', filename=('utf-8', '', 'Báo cáo Quận 1 năm 2024.xlsx'))
open(os.path.join(out, 'vietnamese.eml'), 'wb').write(bytes(m3))
fw = msg('Fwd: Báo cáo', datetime(2024, 12, 11, 8, 30, tzinfo=VN), sender='nguoi.chuyen@gmail.com'); fw.add_attachment(m)
open(os.path.join(out, 'forwarded.eml'), 'wb').write(bytes(fw))
none = msg('Không có tệp', datetime(2024, 12, 6, 8, 0, tzinfo=VN)); none.add_attachment(b'%PDF-1.4', maintype='application', subtype='pdf', filename='cong-van.pdf')
open(os.path.join(out, 'none.eml'), 'wb').write(bytes(none))
