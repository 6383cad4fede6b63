#!/usr/bin/env python3
"""Reads messages with Python's own e-mail parser (independent of hoctap's) and prints what a test checks, as JSON."""
import email
import email.policy
import hashlib
import json
import sys

out = []
for path in sys.argv[1:]:
    with open(path, 'rb') as f:
        msg = email.message_from_binary_file(f, policy=email.policy.default)
    body = msg.get_body(preferencelist=('plain',))
    atts = []
    for part in msg.iter_attachments():
        data = part.get_payload(decode=True)
        atts.append({'name': part.get_filename(), 'sha256': hashlib.sha256(data).hexdigest(), 'type': part.get_content_type()})
    out.append({
        'file': path,
        'to': [a.addr_spec.lower() for a in msg['to'].addresses] if msg['to'] else [],
        'from': str(msg['from']),
        'subject': str(msg['subject']),
        'body': body.get_content() if body else '',
        'message_id': str(msg['message-id'] or ''),
        'x_unsent': str(msg['x-unsent'] or ''),
        'attachments': atts,
    })
json.dump(out, sys.stdout, ensure_ascii=False)
