/** The two files at the top of the Windows package: the launcher and the analyst's short guide. */

/** Windows text files: CRLF, so that Notepad and cmd.exe read them as written. */
function crlf(lines: string[]): string {
  return lines.join('\r\n') + '\r\n';
}

/**
 * hoctap.cmd: runs the bundled node.exe on the bundled app, from wherever the folder was unzipped (%~dp0, which keeps
 * spaces and accents). HOCTAP_LAUNCHER tells hoctap how it was called, for the hints it prints. ASCII only: cmd.exe
 * reads a .cmd file in the console's code page. Started without arguments (a double-click), it waits for a key so
 * that the help stays on screen.
 */
export function launcherScript(): string {
  return crlf([
    '@echo off',
    'rem hoctap for Windows: the bundled Node.js runs the bundled app; nothing is installed.',
    'setlocal',
    'set "HOCTAP_LAUNCHER=%~f0"',
    '"%~dp0node\\node.exe" "%~dp0app\\bin\\hoctap.js" %*',
    'set "HOCTAP_EXIT=%ERRORLEVEL%"',
    'if "%~1"=="" pause',
    'exit /b %HOCTAP_EXIT%',
  ]);
}

/** HUONG-DAN.txt, in Vietnamese, UTF-8 with a BOM (older Notepad otherwise guesses the wrong encoding). */
export function guideText(version: string, nodeVersion: string): string {
  return '\uFEFF' + crlf([
    `HOCTAP ${version} CHO WINDOWS - HƯỚNG DẪN NHANH`,
    '',
    'hoctap thu thập, kiểm tra, chấm điểm và báo cáo các chỉ số xây dựng thành phố học tập.',
    'Bản này chạy ngay trên Windows 10 và 11 (64-bit): KHÔNG cần cài đặt, KHÔNG cần quyền quản trị',
    `(administrator), không cần Internet. Node.js ${nodeVersion} đã có sẵn trong thư mục node\\.`,
    '',
    '1. Giải nén tệp .zip vào một thư mục bất kỳ của mình, ví dụ Documents (chuột phải vào tệp .zip,',
    '   chọn "Extract All..." / "Giải nén tất cả..."). Đừng chạy từ bên trong tệp .zip.',
    '2. Mở thư mục vừa giải nén (thư mục có tệp hoctap.cmd). Bấm vào thanh địa chỉ của File Explorer,',
    '   gõ  cmd  rồi nhấn Enter: cửa sổ lệnh mở ra ngay tại thư mục này.',
    '3. Gõ lệnh sau rồi nhấn Enter:',
    '',
    '       hoctap.cmd demo',
    '',
    '   (trong PowerShell thì gõ:  .\\hoctap.cmd demo)',
    '   hoctap chạy thử cả chu kỳ trên dữ liệu mẫu: tạo biểu mẫu, nhập số liệu, đánh giá, lập báo cáo.',
    '   Kết quả nằm trong thư mục hoctap-demo (báo cáo ở hoctap-demo\\reports\\2024).',
    '4. Trợ giúp:  hoctap.cmd --help   và cho từng lệnh, ví dụ:  hoctap.cmd ingest --help',
    '',
    'Làm việc với số liệu thật (mỗi năm một thư mục làm việc):',
    '',
    '       hoctap.cmd init C:\\hoctap-2024',
    '       hoctap.cmd -w C:\\hoctap-2024 generate-templates --year 2024',
    '       hoctap.cmd -w C:\\hoctap-2024 ingest C:\\bieu-mau-nhan-ve --year 2024',
    '       hoctap.cmd -w C:\\hoctap-2024 status --year 2024',
    '       hoctap.cmd -w C:\\hoctap-2024 report --year 2024',
    '',
    '   Đường dẫn có dấu cách thì đặt trong dấu nháy kép, ví dụ  "C:\\Bao cao 2024".',
    '   Chạy từ thư mục khác thì gõ cả đường dẫn tới hoctap.cmd, ví dụ  "C:\\hoctap\\hoctap.cmd" demo.',
    '',
    'PDF: báo cáo PDF cần Microsoft Edge (có sẵn trên Windows 10 và 11) hoặc Google Chrome; hoctap tự tìm',
    'chúng ở chỗ cài đặt thông thường. Không thấy trình duyệt thì HTML và XLSX vẫn được tạo; có thể chỉ',
    'đường dẫn:  --browser "C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe"',
    '',
    'Lưu ý:',
    '- Đóng tệp Excel trước khi cho hoctap ghi đè tệp đó (Excel khóa tệp đang mở).',
    '- Nếu Windows báo "Windows protected your PC" hoặc chặn tệp: chuột phải vào tệp .zip, chọn',
    '  Properties, đánh dấu "Unblock", bấm OK rồi giải nén lại.',
    '- Gỡ bỏ: xóa thư mục này. hoctap không ghi gì vào Registry; chỉ ghi vào các thư mục làm việc bạn',
    '  chọn và thư mục tạm của Windows.',
    '- Tài liệu đầy đủ: app\\README.md. Node.js: https://nodejs.org (giấy phép MIT).',
  ]);
}
