#!/usr/bin/env python3
"""Check the built hives against expected.json using libhivex's own tools (hivexget, hivexregedit).

  python3 testdata/verify.py        exit 0 when every expectation holds, 1 otherwise

Checks, per machine: Select\\Current, ComputerName / ProductType / Domain / LmCompatibilityLevel in the active
control set (and in decoy control sets), ProductName and ProfileList in SOFTWARE, dirty/clean and embedded
names in the base block; per user: every policy value's stored type and data; and the damaged files.
"""
import json
import os
import struct
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
FAIL = []
CHECKS = 0

TYPE_PREFIX = {'REG_DWORD': 'dword:', 'REG_DWORD_BIG_ENDIAN': 'hex(5):', 'REG_BINARY': 'hex(3):', 'REG_SZ': 'hex(1):'}


def check(cond, msg):
    global CHECKS
    CHECKS += 1
    if not cond:
        FAIL.append(msg)


def hivexget(hive, key, value):
    r = subprocess.run(['hivexget', hive, key, value], capture_output=True, text=True)
    return r.stdout.rstrip('\n') if r.returncode == 0 else None


def export_key(hive, key):
    """{lower(value name): literal as hivexregedit prints it} for one key (types explicit: hex(N):...)."""
    r = subprocess.run(['hivexregedit', '--export', hive, key], capture_output=True, text=True)
    if r.returncode != 0:
        return None
    out, cur, want = {}, None, None
    for line in r.stdout.splitlines():
        if line.startswith('['):
            cur = line
            want = want or line
            continue
        if cur == want and line.startswith('"') and '=' in line:
            name, lit = line.split('"=', 1)
            out[name[1:].replace('\\\\', '\\').lower()] = lit
    return out


def header(path):
    b = open(path, 'rb').read(4096)
    s1, s2 = struct.unpack_from('<II', b, 4)
    minor = struct.unpack_from('<I', b, 0x18)[0]
    name = b[0x30:0x70].decode('utf-16le', 'replace').split('\x00')[0]
    x = 0
    for i in range(0, 508, 4):
        x ^= struct.unpack_from('<I', b, i)[0]
    x = {0: 1, 0xFFFFFFFF: 0xFFFFFFFE}.get(x, x)
    return dict(dirty=s1 != s2, minor=minor, name=name, checksum_ok=struct.unpack_from('<I', b, 508)[0] == x)


def reg_literal(expected):
    """expected .reg literal -> the form hivexregedit --export prints."""
    t, d = expected['type'], expected['data']
    if t == 'REG_DWORD':
        return d
    if t == 'REG_SZ':
        s = json.loads(d) if d.startswith('"') else d
        return 'hex(1):' + ','.join('%02x' % c for c in (s + '\0').encode('utf-16le'))
    if t == 'REG_BINARY':
        return 'hex(3):' + d.split(':', 1)[1]
    return d


def main():
    doc = json.load(open(os.path.join(HERE, 'expected.json')))
    for m in doc['machines']:
        tag = '%s/%s' % (m['fixture'], m['machine'])
        sysh = os.path.join(HERE, m['system_hive'])
        check(os.path.isfile(sysh), tag + ': SYSTEM missing')
        if m['fixture'] == 'fixtures/broken' or not os.path.isfile(sysh):
            continue
        h = header(sysh)
        check(h['dirty'] == m['system_dirty'], tag + ': SYSTEM dirty flag')
        check(h['checksum_ok'], tag + ': SYSTEM checksum')
        cur = hivexget(sysh, 'Select', 'Current')
        if m['select_present']:
            check(cur == str(m['control_set']), '%s: Select\\Current %r' % (tag, cur))
        else:
            check(cur is None, tag + ': Select should be absent')
        cs = 'ControlSet%03d' % m['control_set']
        got = hivexget(sysh, cs + '\\Control\\ComputerName\\ComputerName', 'ComputerName')
        check(got == m['computer_name'], '%s: ComputerName %r' % (tag, got))
        got = hivexget(sysh, cs + '\\Control\\ProductOptions', 'ProductType')
        check(got == m['product_type'], '%s: ProductType %r' % (tag, got))
        got = hivexget(sysh, cs + '\\Services\\Tcpip\\Parameters', 'Domain')
        check(got == m['domain'], '%s: Domain %r' % (tag, got))
        got = hivexget(sysh, cs + '\\Control\\Lsa', 'LmCompatibilityLevel')
        check(got == (None if m['lm_raw'] is None else str(m['lm_raw'])), '%s: LmCompatibilityLevel %r' % (tag, got))
        check(hivexget(sysh, cs + '\\Control\\Lsa\\MSV1_0', 'NtlmMinClientSec') == str(0x20000000), tag + ': NtlmMinClientSec')
        for dcs, d in m['decoy_control_sets'].items():
            got = hivexget(sysh, dcs + '\\Control\\ComputerName\\ComputerName', 'ComputerName')
            check(got == d['computer_name'], '%s: decoy %s name %r' % (tag, dcs, got))
            got = hivexget(sysh, dcs + '\\Control\\Lsa', 'LmCompatibilityLevel')
            check(got == (None if d['lm_raw'] is None else str(d['lm_raw'])), '%s: decoy %s lm %r' % (tag, dcs, got))
        if m['software_hive']:
            swh = os.path.join(HERE, m['software_hive'])
            got = hivexget(swh, 'Microsoft\\Windows NT\\CurrentVersion', 'ProductName')
            check(got == m['os_product_name'], '%s: ProductName %r' % (tag, got))
            check(header(swh)['checksum_ok'], tag + ': SOFTWARE checksum')
        check((m['lm_origin'] == 'unknown') == (m['software_hive'] is None and m['lm_raw'] is None) or m['lm_raw'] is not None,
              tag + ': lm_origin consistency')
    for u in doc['users']:
        tag = u['hive']
        path = os.path.join(HERE, u['hive'])
        check(os.path.isfile(path), tag + ': missing')
        if not os.path.isfile(path):
            continue
        h = header(path)
        check(h['dirty'] == u['dirty'], tag + ': dirty flag')
        check(h['checksum_ok'] == (u['status'] != 'bad-checksum'), tag + ': checksum state')
        check(h['minor'] == 3, tag + ': minor version')
        check(h['name'] == u['embedded_name'], '%s: embedded name %r' % (tag, h['name']))
        if u['status'] == 'bad-checksum':
            continue  # libhivex refuses a hive whose header checksum is wrong (as intended)
        for k, s in u['settings'].items():
            name = k.split('/')[0]
            vals = export_key(path, s['key'])
            lit = None if vals is None else vals.get(name.lower())
            check(lit == reg_literal(s), '%s: %s stored as %r, want %r' % (tag, k, lit, reg_literal(s)))
            if s['type'] == 'REG_DWORD' or s['type'] == 'REG_DWORD_BIG_ENDIAN':
                got = hivexget(path, s['key'], name)
                check(got is not None and int(got) & 0xFFFFFFFF == s['value'], '%s: hivexget %s = %r' % (tag, k, got))
        if u['sid'] and u['machine'] is not None:
            m = next(x for x in doc['machines'] if x['fixture'] == u['fixture'] and x['machine'] == u['machine']
                     and x['computer_name'] == u['computer_name'])
            swh = os.path.join(HERE, m['software_hive'])
            got = hivexget(swh, 'Microsoft\\Windows NT\\CurrentVersion\\ProfileList\\' + u['sid'], 'ProfileImagePath')
            check(got == u['profile_path'], '%s: ProfileImagePath %r' % (tag, got))
    for b in doc['broken_files']:
        p = os.path.join(HERE, b['path'])
        data = open(p, 'rb').read() if os.path.isfile(p) else None
        check(data is not None, b['path'] + ': missing')
        if data is None:
            continue
        c = b['condition']
        ok = {'truncated': lambda: len(data) == 6000 and data[:4] == b'regf',
              'not-regf': lambda: len(data) == 20000 and data[:4] != b'regf',
              'empty': lambda: len(data) == 0,
              'too-short': lambda: len(data) == 100 and data[:4] == b'regf',
              'bad-checksum': lambda: data[:4] == b'regf' and not header(p)['checksum_ok']}[c]()
        check(ok, '%s: not %s' % (b['path'], c))
    print('verify.py: %d checks, %d failed' % (CHECKS, len(FAIL)))
    for f in FAIL:
        print('  FAIL ' + f)
    return 1 if FAIL else 0


if __name__ == '__main__':
    sys.exit(main())
