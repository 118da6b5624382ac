#!/usr/bin/env python3
"""Single definition of every test machine, user and expectation in testdata/.

Writes (all text, all committed):
  reg/<output path>.reg   one regedit source per generated hive; the hive it produces is
                          <output path> (strip the leading "reg/" and the trailing ".reg").
                          Header comments `; hivegen-*:` carry the make_hive.sh options.
  expected.json           machine-readable expectations for the integration tests.
  README.md               the part between the GENERATED markers (expectation tables).

It does NOT build hives: run ./build.sh for that (build.sh only needs the .reg files).
Edit this file, then run:   python3 gen_sources.py && ./build.sh && python3 verify.py
"""
import hashlib
import json
import os
import re
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TS_MODERN = '2024-03-01T12:00:00Z'
TS_LEGACY = '2013-06-03T08:30:00Z'
RULES_IN_SCOPE = ['OL-01', 'OL-01b', 'OL-02', 'OL-03', 'OL-04', 'OL-05', 'OL-06', 'OL-07', 'OL-07b',
                  'OL-08', 'OL-09', 'OL-10', 'OL-11', 'OL-12', 'OL-13', 'OL-14', 'OL-15',
                  'LY-01', 'LY-01b', 'LY-02', 'LY-03', 'IE-01', 'IE-02', 'IE-03', 'IE-04',
                  'NT-01', 'NT-02', 'DQ-01', 'DQ-02', 'DQ-03',
                  'XM-01', 'XM-02', 'XM-03', 'XM-04', 'XM-05']
RULE_INFO = {
    'OL-01': {'severity': 'High', 'scope': 'user',
              'condition': 'PromptForCredentials == 1 under Software\\Policies\\Microsoft\\Office\\<v>\\Outlook\\Security, v in 11.0/12.0/14.0/15.0'},
    'OL-01b': {'severity': 'Medium', 'scope': 'user', 'condition': 'same value == 1 under 16.0 (undocumented by Microsoft)'},
    'NT-01': {'severity': 'Medium', 'scope': 'machine', 'condition': 'effective LmCompatibilityLevel in {0,1} and ProductType is not LanmanNT'},
    'DQ-01': {'severity': 'Info', 'scope': 'hive', 'condition': 'hive dirty (primary seq != secondary seq) and no logs applied'},
    'DQ-02': {'severity': 'Info', 'scope': 'machine', 'condition': 'SOFTWARE hive missing: OS unknown, LmCompatibilityLevel default unknown'},
}
# The rules added with the full catalogue: their conditions are in docs/rules.md (generated from
# the code) and domain-rules.md section 11; here only scope, for the fixture tables.
for _rid in RULES_IN_SCOPE:
    RULE_INFO.setdefault(_rid, {'scope': 'fleet' if _rid.startswith('XM') else
                                ('machine' if _rid in ('IE-03', 'IE-04', 'NT-02') else 'user')})

# --------------------------------------------------------------------------------------------
# .reg value literals


def q(s):
    return '"' + s.replace('\\', '\\\\').replace('"', '\\"') + '"'


def sz(s):
    return q(s)


def dword(n):
    return 'dword:%08x' % n


def hexbytes(b):
    return ','.join('%02x' % x for x in b)


def binary(b):
    return 'hex:' + hexbytes(b)


def be_dword(n):
    return 'hex(5):' + hexbytes(n.to_bytes(4, 'big'))


def expand(s):
    return 'hex(2):' + hexbytes((s + '\0').encode('utf-16le'))


def multi(items):
    return 'hex(7):' + hexbytes(('\0'.join(items) + '\0\0').encode('utf-16le'))


class Reg:
    """Collects [key] sections in order and renders a regedit 5.00 file."""

    def __init__(self, prefix):
        self.prefix = prefix
        self.keys = []  # (path, [(name, literal)])
        self.index = {}

    def key(self, path, **_):
        low = path.lower()
        if low not in self.index:
            self.index[low] = (path, [])
            self.keys.append(self.index[low])
        return self.index[low][1]

    def set(self, path, name, literal):
        self.key(path).append((name, literal))

    def render(self, header):
        out = ['Windows Registry Editor Version 5.00']
        out += ['; ' + h for h in header]
        out.append('')
        for path, vals in self.keys:
            out.append('[%s\\%s]' % (self.prefix, path))
            for name, lit in vals:
                out.append('%s=%s' % ('@' if name == '@' else q(name), lit))
            out.append('')
        return '\n'.join(out)


# --------------------------------------------------------------------------------------------
# OS presets (SOFTWARE\Microsoft\Windows NT\CurrentVersion) and their LmCompatibilityLevel default

OS = {
    'win10': dict(family='Windows 10', lm_default=3, values=[
        ('ProductName', sz('Windows 10 Pro')), ('EditionID', sz('Professional')),
        ('CurrentVersion', sz('6.3')), ('CurrentBuild', sz('19045')), ('CurrentBuildNumber', sz('19045')),
        ('CurrentMajorVersionNumber', dword(10)), ('CurrentMinorVersionNumber', dword(0)),
        ('UBR', dword(3930)), ('ReleaseId', sz('2009')), ('DisplayVersion', sz('22H2')),
        ('InstallationType', sz('Client')), ('SystemRoot', sz('C:\\WINDOWS'))]),
    'win7': dict(family='Windows 7', lm_default=3, values=[
        ('ProductName', sz('Windows 7 Professional')), ('EditionID', sz('Professional')),
        ('CurrentVersion', sz('6.1')), ('CurrentBuild', sz('7601')), ('CurrentBuildNumber', sz('7601')),
        ('CSDVersion', sz('Service Pack 1')), ('InstallationType', sz('Client')),
        ('SystemRoot', sz('C:\\Windows'))]),
    'xp': dict(family='Windows XP', lm_default=0, values=[
        ('ProductName', sz('Microsoft Windows XP')), ('CurrentVersion', sz('5.1')),
        ('CurrentBuild', sz('1.511.1 () (Obsolete data - do not use)')), ('CurrentBuildNumber', sz('2600')),
        ('CSDVersion', sz('Service Pack 3')), ('CurrentType', sz('Uniprocessor Free')),
        ('SystemRoot', sz('C:\\WINDOWS'))]),
    'srv2003': dict(family='Windows Server 2003', lm_default=2, values=[
        ('ProductName', sz('Microsoft Windows Server 2003')), ('CurrentVersion', sz('5.2')),
        ('CurrentBuild', sz('1.511.1 () (Obsolete data - do not use)')), ('CurrentBuildNumber', sz('3790')),
        ('CSDVersion', sz('Service Pack 2')), ('SystemRoot', sz('C:\\WINDOWS'))]),
    'srv2016': dict(family='Windows Server 2016', lm_default=3, values=[
        ('ProductName', sz('Windows Server 2016 Standard')), ('EditionID', sz('ServerStandard')),
        ('CurrentVersion', sz('6.3')), ('CurrentBuild', sz('14393')), ('CurrentBuildNumber', sz('14393')),
        ('CurrentMajorVersionNumber', dword(10)), ('CurrentMinorVersionNumber', dword(0)),
        ('UBR', dword(6252)), ('ReleaseId', sz('1607')), ('InstallationType', sz('Server')),
        ('SystemRoot', sz('C:\\Windows'))]),
    'srv2019': dict(family='Windows Server 2019', lm_default=3, values=[
        ('ProductName', sz('Windows Server 2019 Standard')), ('EditionID', sz('ServerStandard')),
        ('CurrentVersion', sz('6.3')), ('CurrentBuild', sz('17763')), ('CurrentBuildNumber', sz('17763')),
        ('CurrentMajorVersionNumber', dword(10)), ('CurrentMinorVersionNumber', dword(0)),
        ('UBR', dword(5458)), ('ReleaseId', sz('1809')), ('InstallationType', sz('Server')),
        ('SystemRoot', sz('C:\\Windows'))]),
}
LEGACY_OS = ('xp', 'srv2003')

# --------------------------------------------------------------------------------------------
# model


class CS:
    """One ControlSet00N."""

    def __init__(self, computer_name, product_type='WinNT', domain='corp.example', lm=None,
                 disable_domain_creds=None, restrict_send=None, hostname=None):
        self.computer_name = computer_name
        self.product_type = product_type
        self.domain = domain
        self.lm = lm
        self.disable_domain_creds = disable_domain_creds
        self.restrict_send = restrict_send
        self.hostname = hostname or computer_name


class User:
    def __init__(self, folder, hive, sid=None, settings=(), outlook=None, dirty=False,
                 embedded=None, profile_path=None, rules_expected=None, rules_forbidden=None,
                 reg_lines=(), note='', legacy=False, in_profilelist=True, status=None, profiles=()):
        self.folder = folder
        self.hive = hive              # path relative to the machine folder
        self.sid = sid
        self.settings = list(settings)
        self.outlook = outlook        # '16.0' / '15.0' / 'wms' profile root to create
        self.dirty = dirty
        self.embedded = embedded
        self.profile_path = profile_path
        self.rules_expected = rules_expected
        self.rules_forbidden = rules_forbidden
        self.reg_lines = list(reg_lines)
        self.note = note
        self.legacy = legacy
        self.in_profilelist = in_profilelist
        self.status = status
        self.profiles = list(profiles)  # [Profile]: MAPI profiles with accounts (replaces `outlook`)


class Machine:
    def __init__(self, fixture, folder, os_key, select, controlsets, users=(), system_path=None,
                 software_path=None, has_software=True, note='', system_embedded=None,
                 software_embedded=None, minor=None, system_dirty=False, extra_hives=(), timestamp=None,
                 office_c2r=None, has_system=True, sw_lines=(), expect=(), forbid=()):
        self.fixture = fixture
        self.folder = folder
        self.os_key = os_key
        self.select = select          # dict or None (no Select key)
        self.controlsets = controlsets  # {n: CS}
        self.users = list(users)
        self.has_software = has_software
        self.has_system = has_system
        legacy = os_key in LEGACY_OS
        self.system_path = system_path or 'C/Windows/System32/config/SYSTEM'
        self.software_path = software_path or 'C/Windows/System32/config/SOFTWARE'
        self.note = note
        self.system_embedded = system_embedded or (
            '\\WINDOWS\\system32\\config\\system' if legacy else 'SYSTEM')
        self.software_embedded = software_embedded or (
            '\\WINDOWS\\system32\\config\\software' if legacy else 'emRoot\\System32\\Config\\SOFTWARE')
        self.minor = minor or (3 if os_key == 'xp' else 5)
        self.system_dirty = system_dirty
        self.timestamp = timestamp or (TS_LEGACY if legacy else TS_MODERN)
        self.office_c2r = office_c2r
        self.extra_hives = list(extra_hives)
        self.sw_lines = list(sw_lines)  # extra SOFTWARE values: (key, name, literal)
        self.expect = list(expect)      # machine-level rules beyond those derived below
        self.forbid = list(forbid)

    # effective values ------------------------------------------------------------------
    def current_cs(self):
        if self.select is None:
            return 1
        return self.select['Current']

    def active(self):
        return self.controlsets[self.current_cs()]

    def is_dc(self):
        return self.active().product_type.lower() == 'lanmannt'

    def lm(self):
        raw = self.active().lm
        if raw is not None:
            return raw, raw, 'value'
        if not self.has_software:
            return None, None, 'unknown'
        return None, OS[self.os_key]['lm_default'], 'os-default'


def ps(version, name, literal, typ, value, valid=True, key=None, note=''):
    """One Outlook policy setting under Software\\Policies\\Microsoft\\Office\\<version>\\Outlook\\Security."""
    return dict(version=version, name=name, literal=literal, type=typ, value=value, valid=valid,
                key=key or 'Software\\Policies\\Microsoft\\Office\\%s\\Outlook\\Security' % version, note=note)


def utf16z(text):
    return binary((text + '\0').encode('utf-16le'))


def le32(n):
    return binary(n.to_bytes(4, 'little'))


def uid(*parts):
    """A deterministic 16-byte MAPIUID for a fixture profile section."""
    return hashlib.md5('/'.join(parts).encode()).digest()


EXO = 'outlook.office365.com'
EXO_PRINCIPAL = 'msstd:outlook.com'
ONP = 'mail.corp.example'


class Account:
    """One account of a MAPI profile. Exchange accounts (service MSEMS) get a service section whose
    pointer (`pointer`: '3d15' PR_EMSMDB_SECTION_UID, '3d0d' PR_SERVICE_EXTRA_UIDS, 'global' none:
    the settings sit in the global section 13dbb0c8...) leads to the section holding `props`."""

    def __init__(self, name, service='MSEMS', pointer='3d15', flags=None, auth=None, roh=None,
                 scheme=None, server=None, principal=None):
        self.name, self.service, self.pointer = name, service, pointer
        self.props = [('00036601', flags, le32), ('00036619', auth, le32), ('00036623', roh, le32),
                      ('00036627', scheme, le32), ('001f6622', server, utf16z),
                      ('001f6625', principal, utf16z)]


def exo(name='user@contoso.onmicrosoft.com', **k):
    k.setdefault('flags', 0x4)
    k.setdefault('auth', 0x8000F001)
    k.setdefault('roh', 0x2f)
    k.setdefault('scheme', 1)
    return Account(name, server=EXO, principal=EXO_PRINCIPAL, **k)


def onprem(name='user@corp.example', **k):
    k.setdefault('flags', 0x4)
    k.setdefault('auth', 9)
    k.setdefault('roh', 0x3)
    k.setdefault('scheme', 2)
    k.setdefault('principal', 'msstd:' + ONP)
    return Account(name, server=ONP, **k)


class Profile:
    """A MAPI profile under root '16.0' / '15.0' (Office) or 'wms' (Windows Messaging Subsystem)."""

    def __init__(self, root, accounts, name='Outlook', default=True):
        self.root, self.accounts, self.name, self.default = root, list(accounts), name, default


PROFILE_ROOTS = {'16.0': 'Software\\Microsoft\\Office\\16.0\\Outlook\\Profiles',
                 '15.0': 'Software\\Microsoft\\Office\\15.0\\Outlook\\Profiles',
                 'wms': 'Software\\Microsoft\\Windows NT\\CurrentVersion\\Windows Messaging Subsystem\\Profiles'}
GLOBAL_SECTION = '13dbb0c8aa05101a9bb000aa002fc45a'
ACCOUNT_LIST = '9375CFF0413111d3B88A00104B2A6676'


def write_profile(r, p):
    root = PROFILE_ROOTS[p.root]
    default_key = root if p.root == 'wms' else root.rsplit('\\', 1)[0]
    if p.default:
        r.set(default_key, 'DefaultProfile', sz(p.name))
    base = root + '\\' + p.name
    r.set(base + '\\' + ACCOUNT_LIST, 'LastChangeVer', binary(b'\x01' + bytes(7)))
    for n, a in enumerate(p.accounts, 1):
        svc = uid(p.name, a.name, 'service')
        entry = '%s\\%s\\%08x' % (base, ACCOUNT_LIST, n)
        r.set(entry, 'Account Name', utf16z(a.name))
        r.set(entry, 'Service Name', utf16z(a.service))
        r.set(entry, 'Service UID', binary(svc))
        if a.service != 'MSEMS':
            continue
        ems = uid(p.name, a.name, 'emsmdb')
        service_key = base + '\\' + svc.hex()
        r.set(service_key, '001f3001', utf16z('Microsoft Exchange'))
        if a.pointer == '3d15':
            r.set(service_key, '01023d15', binary(ems))
        elif a.pointer == '3d0d':
            r.set(service_key, '01023d0d', binary(uid(p.name, a.name, 'other') + ems))
        section = base + '\\' + (GLOBAL_SECTION if a.pointer == 'global' else ems.hex())
        for name, value, enc in a.props:
            if value is not None:
                r.set(section, name, enc(value))


PFC = 'PromptForCredentials'
AUTH = 'AuthenticationService'
DOM = 'S-1-5-21-1111111111-2222222222-3333333333'   # corp.example domain SID
LOCAL = 'S-1-5-21-4444444444-5555555555-6666666666'  # a machine-local SID prefix

# --------------------------------------------------------------------------------------------
# the machines

MACHINES = []


def machine(*a, **k):
    m = Machine(*a, **k)
    MACHINES.append(m)
    return m


SEL1 = dict(Current=1, Default=1, Failed=0, LastKnownGood=1)

# ---- sample-fleet (KAPE layout) -----------------------------------------------------------
F = 'sample-fleet'
machine(F, 'WKS-ALICE01', 'win10', SEL1, {1: CS('WKS-ALICE01', lm=None)},
        office_c2r='16.0.17328.20162',
        note='Windows 10 22H2 workstation; LmCompatibilityLevel absent (effective 3 from the OS default).',
        users=[User('alice', 'C/Users/alice/NTUSER.DAT', sid=DOM + '-1001',
                    settings=[ps('15.0', PFC, dword(1), 'REG_DWORD', 1)], outlook='16.0',
                    note='Policy 15.0 PromptForCredentials=1 (OL-01, High); Outlook 16.0 profile "Outlook" is the default profile.')])
machine(F, 'WKS-BOB02', 'win7', dict(Current=2, Default=2, Failed=0, LastKnownGood=1),
        {1: CS('WKS-OLDIMAGE', lm=5, domain='decoy.invalid'),
         2: CS('WKS-BOB02', lm=1, restrict_send=1)},
        system_path='C/Windows/system32/config/SYSTEM', software_path='C/Windows/system32/config/SOFTWARE',
        system_embedded='\\SystemRoot\\System32\\Config\\SYSTEM',
        software_embedded='\\SystemRoot\\System32\\Config\\SOFTWARE', expect=['XM-01'],
        note='Windows 7 SP1; Select\\Current=2. ControlSet001 is a DECOY (name WKS-OLDIMAGE, LmCompatibilityLevel 5, '
             'domain decoy.invalid): a tool that reads ControlSet001 gets the wrong answer.',
        users=[User('bob', 'C/users/bob/ntuser.dat', sid=DOM + '-1002',
                    settings=[ps('16.0', PFC, binary(b'\x01\x00\x00\x00'), 'REG_BINARY', 1)],
                    reg_lines=[('Software\\Microsoft\\Office\\14.0\\Outlook', 'Bitness', sz('x86'))],
                    profiles=[Profile('wms', [onprem('bob@corp.example', scheme=2, flags=0x4),
                                              Account('Outlook Data File', service='MSUPST MS')])],
                    rules_expected=['OL-07'],
                    note='16.0 PromptForCredentials stored as 4-byte REG_BINARY 01 00 00 00 (OL-01b, Medium). '
                         'Outlook 2010 profile with an Exchange account using Outlook Anywhere with NTLM while '
                         'the machine is at LM 1 (OL-07, High).')])
machine(F, 'XP-LEGACY03', 'xp', SEL1, {1: CS('XP-LEGACY03', domain='', lm=None)},
        system_path='C/WINDOWS/system32/config/system', software_path='C/WINDOWS/system32/config/software',
        note='Windows XP SP3, workgroup, all hives regf 1.3; LmCompatibilityLevel absent -> effective 0 (os-default) -> NT-01.',
        users=[User('olduser', 'C/Documents and Settings/olduser/NTUSER.DAT', sid=LOCAL + '-1003', legacy=True,
                    settings=[ps('11.0', PFC, dword(0), 'REG_DWORD', 0)], outlook='wms',
                    note='Outlook 2003 policy PromptForCredentials=0 (no finding); profile under Windows Messaging Subsystem.')])
machine(F, 'DC-CORE04', 'srv2019', SEL1, {1: CS('DC-CORE04', product_type='LanmanNT', lm=5, disable_domain_creds=1)},
        note='Domain controller of corp.example (ProductType LanmanNT), Server 2019, LmCompatibilityLevel 5.',
        users=[User('Administrator', 'C/Users/Administrator/NTUSER.DAT', sid=DOM + '-500',
                    note='No Outlook settings.')])
machine(F, 'WKS-NOSW05', 'win10', SEL1, {1: CS('WKS-NOSW05', lm=None)}, has_software=False,
        note='SYSTEM only (no SOFTWARE hive): OS and LmCompatibilityLevel default unknown -> DQ-02. User hive is dirty -> DQ-01.',
        users=[User('carol', 'C/Users/carol/ntuser.dat', sid=None, dirty=True,
                    settings=[ps('14.0', PFC, dword(0), 'REG_DWORD', 0), ps('14.0', AUTH, dword(9), 'REG_DWORD', 9)],
                    note='Dirty hive (sequence 42/41, no logs). SID unknown: no ProfileList without SOFTWARE.')])

# ---- fixtures/values -----------------------------------------------------------------------
F = 'fixtures/values'
machine(F, 'VALS01', 'win10', SEL1, {1: CS('VALS01', lm=3)},
        note='Every stored encoding of the two DWORD-like policy values.',
        users=[
            User('alice', 'C/Users/alice/NTUSER.DAT', sid=DOM + '-1101', outlook='16.0', settings=[
                ps('11.0', PFC, dword(1), 'REG_DWORD', 1),
                ps('12.0', PFC, be_dword(1), 'REG_DWORD_BIG_ENDIAN', 1),
                ps('14.0', PFC, binary(b'\x01\x00\x00\x00'), 'REG_BINARY', 1),
                ps('15.0', PFC, sz('1'), 'REG_SZ', 1),
                ps('16.0', PFC, binary(b'\x01\x00'), 'REG_BINARY', None, valid=False,
                   note='malformed: 2-byte REG_BINARY; must be reported as undecodable, not as 1'),
                ps('17.0', PFC, dword(1), 'REG_DWORD', 1,
                   note='unknown future version: must be enumerated and reported; no rule is defined for it'),
                ps('11.0', AUTH, sz('yes'), 'REG_SZ', None, valid=False, note='malformed: non-numeric REG_SZ'),
                ps('12.0', AUTH, dword(16), 'REG_DWORD', 16),
                ps('14.0', AUTH, binary(b'\x0a\x00\x00\x00'), 'REG_BINARY', 10),
                ps('15.0', AUTH, sz('9'), 'REG_SZ', 9),
                ps('16.0', AUTH, be_dword(0x8000F000), 'REG_DWORD_BIG_ENDIAN', 0x8000F000),
                ps('17.0', AUTH, dword(9), 'REG_DWORD', 9),
            ], note='OL-01 fires (11.0, 12.0, 14.0, 15.0 all decode to 1); OL-01b must NOT fire (16.0 is malformed).'),
            User('mangle', 'C/Users/mangle/NTUSER.DAT', sid=DOM + '-1102', settings=[
                ps('14.0', 'promptforcredentials', dword(1), 'REG_DWORD', 1,
                   key='software\\POLICIES\\microsoft\\office\\14.0\\OUTLOOK\\security'),
                ps('16.0', 'PROMPTFORCREDENTIALS', dword(0), 'REG_DWORD', 0,
                   key='Software\\Policies\\Microsoft\\Office\\16.0\\outlook\\SECURITY'),
                ps('15.0', 'authenticationservice', sz('16'), 'REG_SZ', 16,
                   key='Software\\Policies\\Microsoft\\Office\\15.0\\Outlook\\Security'),
            ], note='Key and value names in mangled case; the first key written fixes the stored case of the '
                    'shared parents (software\\POLICIES\\microsoft\\office).'),
        ])

# ---- fixtures/layouts ----------------------------------------------------------------------
machine('fixtures/layouts/kape', 'KAPE-L1', 'win10', SEL1, {1: CS('KAPE-L1')},
        note='Standard KAPE tree; also a 0-byte RegBack/SYSTEM (must be ignored/reported as empty, never used '
             'instead of the live SYSTEM) and the LocalService profile hive.',
        extra_hives=[('empty', 'C/Windows/System32/config/RegBack/SYSTEM')],
        users=[User('alice', 'C/Users/alice/NTUSER.DAT', sid=DOM + '-1201',
                    settings=[ps('15.0', PFC, dword(1), 'REG_DWORD', 1)]),
               User('LocalService', 'C/Windows/ServiceProfiles/LocalService/NTUSER.DAT', sid='S-1-5-19',
                    embedded='\\??\\C:\\Windows\\ServiceProfiles\\LocalService\\NTUSER.DAT',
                    profile_path='%systemroot%\\ServiceProfiles\\LocalService', note='Service profile; no Office keys.')])
for host, user, sidn, lm in (('host1', 'alice', 1301, 3), ('host2', 'bob', 1302, 1)):
    machine('fixtures/layouts/per-machine', host, 'win10', SEL1, {1: CS('LAYOUT-' + host.upper(), lm=lm)},
            system_path='SYSTEM', software_path='SOFTWARE',
            note='Loose hives in a folder per machine; the folder name is not the computer name.',
            users=[User(user, '%s/NTUSER.DAT' % user, sid=DOM + '-%d' % sidn,
                        settings=[ps('16.0', PFC, dword(1), 'REG_DWORD', 1)])])
machine('fixtures/layouts/flat', '.', 'win10', SEL1, {1: CS('FLAT-HOST5', lm=3)},
        system_path='host5_system.hiv', software_path='host5_software.hiv',
        note='Renamed hives of two machines side by side in one folder (host5_*, host6_*).',
        users=[User('alice', 'host5_alice.ntuser', sid=DOM + '-1401',
                    settings=[ps('15.0', PFC, dword(1), 'REG_DWORD', 1)])])
machine('fixtures/layouts/flat', '.', 'win10', SEL1, {1: CS('FLAT-HOST6', lm=0)},
        system_path='host6_SYSTEM', has_software=False,
        users=[User('bob', 'host6_bob.ntuser', sid=None, settings=[ps('16.0', PFC, dword(1), 'REG_DWORD', 1)])])
machine('fixtures/layouts/renamed', 'box', 'win10', SEL1, {1: CS('RENAMED07', lm=3)},
        system_path='sys.bin', software_path='soft.bin',
        note='Hive types must come from content/embedded names: sys.bin=SYSTEM, soft.bin=SOFTWARE, user1.bin=NTUSER (dave).',
        users=[User('dave', 'user1.bin', sid=DOM + '-1501', profile_path='%SystemDrive%\\Users\\dave',
                    embedded='\\??\\C:\\Users\\dave\\ntuser.dat',
                    settings=[ps('14.0', PFC, dword(1), 'REG_DWORD', 1)])])

# ---- fixtures/rules (one machine folder per case) -----------------------------------------
F = 'fixtures/rules'
machine(F, 'R-OL01-POS', 'win10', SEL1, {1: CS('R-OL01-POS', lm=3)},
        note='OL-01 positive, one user per documented version.',
        users=[User('u%s' % v[:2], 'C/Users/u%s/NTUSER.DAT' % v[:2], sid=DOM + '-20%s' % v[:2],
                    settings=[ps(v, PFC, dword(1), 'REG_DWORD', 1)]) for v in ('11.0', '12.0', '14.0', '15.0')])
machine(F, 'R-OL01-NEG', 'win10', SEL1, {1: CS('R-OL01-NEG', lm=3)},
        note='OL-01 negative: value 0, and value absent (Office keys present).',
        users=[User('zero', 'C/Users/zero/NTUSER.DAT', sid=DOM + '-2101',
                    settings=[ps(v, PFC, dword(0), 'REG_DWORD', 0) for v in ('11.0', '12.0', '14.0', '15.0')]),
               User('absent', 'C/Users/absent/NTUSER.DAT', sid=DOM + '-2102', outlook='15.0',
                    reg_lines=[('Software\\Policies\\Microsoft\\Office\\15.0\\Outlook\\Security', 'EnableRememberPwd', dword(1))])])
machine(F, 'R-OL01B-POS', 'win10', SEL1, {1: CS('R-OL01B-POS', lm=3)},
        users=[User('u16', 'C/Users/u16/NTUSER.DAT', sid=DOM + '-2201', outlook='16.0',
                    settings=[ps('16.0', PFC, dword(1), 'REG_DWORD', 1)])])
machine(F, 'R-OL01B-NEG', 'win10', SEL1, {1: CS('R-OL01B-NEG', lm=3)},
        users=[User('u16', 'C/Users/u16/NTUSER.DAT', sid=DOM + '-2301', outlook='16.0',
                    settings=[ps('16.0', PFC, dword(0), 'REG_DWORD', 0)])])
machine(F, 'R-NT01-LM0', 'win10', SEL1, {1: CS('R-NT01-LM0', lm=0)}, users=[])
machine(F, 'R-NT01-LM1', 'win10', SEL1, {1: CS('R-NT01-LM1', lm=1)}, users=[])
machine(F, 'R-NT01-LM3', 'win10', SEL1, {1: CS('R-NT01-LM3', lm=3)}, users=[])
machine(F, 'R-NT01-DCLM1', 'srv2016', SEL1, {1: CS('R-NT01-DCLM1', product_type='LanmanNt', lm=1)},
        note='Domain controller (ProductType written "LanmanNt": compare case-insensitively) at level 1: NT-01 must not fire.')
machine(F, 'R-NT01-ABS10', 'win10', SEL1, {1: CS('R-NT01-ABS10', lm=None)},
        note='Windows 10, value absent -> 3 (os-default).')
machine(F, 'R-NT01-SRVLM0', 'srv2019', SEL1, {1: CS('R-NT01-SRVLM0', product_type='ServerNT', lm=0)},
        note='Member server (ServerNT) at level 0: not a DC, so NT-01 fires.')
machine(F, 'R-DQ01-DIRTY', 'win10', SEL1, {1: CS('R-DQ01-DIRTY', lm=3)},
        users=[User('dirty', 'C/Users/dirty/NTUSER.DAT', sid=DOM + '-2401', dirty=True,
                    settings=[ps('15.0', PFC, dword(0), 'REG_DWORD', 0)])])
machine(F, 'R-DQ01-CLEAN', 'win10', SEL1, {1: CS('R-DQ01-CLEAN', lm=3)},
        users=[User('clean', 'C/Users/clean/NTUSER.DAT', sid=DOM + '-2501',
                    settings=[ps('15.0', PFC, dword(0), 'REG_DWORD', 0)])])
machine(F, 'R-DQ01-SYSDIRTY', 'win10', SEL1, {1: CS('R-DQ01-SYSDIRTY', lm=3)}, system_dirty=True,
        note='The SYSTEM hive is dirty (no logs): DQ-01 on the machine.')
machine(F, 'R-DQ02-NOSW', 'win10', SEL1, {1: CS('R-DQ02-NOSW', lm=1)}, has_software=False,
        note='No SOFTWARE, but LmCompatibilityLevel is stored (1): effective 1 from the value, so NT-01 still fires.')
machine(F, 'R-DQ02-SW', 'win10', SEL1, {1: CS('R-DQ02-SW', lm=None)})
machine(F, 'R-LMDEF-XP', 'xp', SEL1, {1: CS('R-LMDEF-XP', domain='', lm=None)})
machine(F, 'R-LMDEF-2003', 'srv2003', SEL1, {1: CS('R-LMDEF-2003', product_type='ServerNT', lm=None)},
        note='Server 2003 member server, value absent -> 2 (os-default).')
machine(F, 'R-LMDEF-WIN7', 'win7', SEL1, {1: CS('R-LMDEF-WIN7', lm=None)},
        system_embedded='\\SystemRoot\\System32\\Config\\SYSTEM',
        software_embedded='\\SystemRoot\\System32\\Config\\SOFTWARE')
machine(F, 'R-LMDEF-NOSW', 'win10', SEL1, {1: CS('R-LMDEF-NOSW', lm=None)}, has_software=False,
        note='No SOFTWARE and value absent -> effective unknown; NT-01 must not fire (it cannot be decided).')

# ---- fixtures/rules: the full catalogue (one machine per case; user u on Windows 10, LM 3) ----
F = 'fixtures/rules'
HKCU_POL = 'Software\\Policies\\Microsoft\\Office\\'
IDENT = 'Software\\Microsoft\\Office\\%s\\Common\\Identity'
CONN = 'Software\\Microsoft\\Windows\\CurrentVersion\\Internet Settings\\Connections'
ZONE1 = 'Software\\Microsoft\\Windows\\CurrentVersion\\Internet Settings\\Zones\\1'
ZONE1_POL = 'Software\\Policies\\Microsoft\\Windows\\CurrentVersion\\Internet Settings\\Zones\\1'
LYNC16 = ('Software\\Microsoft\\Office\\16.0\\Lync', 'ServerAddressInternal', sz(''))
WINHTTP = 'Microsoft\\Windows\\CurrentVersion\\Internet Settings\\Connections'
_sidn = [3000]


def conn_blob(flags, proxy=''):
    """A WinINET / WinHTTP connection blob: marker, counter, flags, proxy, bypass, PAC."""
    out = (0x46).to_bytes(4, 'little') + (2).to_bytes(4, 'little') + flags.to_bytes(4, 'little')
    for text in (proxy, '', ''):
        out += len(text).to_bytes(4, 'little') + text.encode('ascii')
    return binary(out)


def case(name, expect=(), forbid=(), os_key='win10', cs=None, note='', machine_kw=None, **user):
    """One fixtures/rules machine with one user `u` whose expectations are `expect`/`forbid`."""
    _sidn[0] += 1
    user.setdefault('sid', DOM + '-%d' % _sidn[0])
    u = User('u', 'C/Users/u/NTUSER.DAT', rules_expected=list(expect), rules_forbidden=list(forbid),
             note=note, **user)
    machine(F, name, os_key, SEL1, {1: cs or CS(name, lm=3)}, users=[u], **(machine_kw or {}))


def pol(version, sub, name, literal, typ='REG_DWORD', value=None):
    """A user Office policy value (any subkey) as a ps() setting for the expectations table."""
    return ps(version, name, literal, typ, value, key=HKCU_POL + version + '\\' + sub)


case('R-OL02-POS', ['OL-02'], profiles=[Profile('16.0', [exo(flags=0x98c), onprem(flags=0x4)])],
     note='Two Exchange accounts; the EXO one has 00036601 = 0x98c (prompt bit 0x8).')
case('R-OL02-NEG', [], ['OL-02'], profiles=[Profile('16.0', [exo(flags=0x984), onprem(flags=0x4)])],
     note='Flags 0x984 and 0x4: bit 0x8 clear in both accounts.')
case('R-OL03-POS', ['OL-03'], ['OL-04'], settings=[ps('15.0', AUTH, dword(9), 'REG_DWORD', 9)],
     profiles=[Profile('15.0', [exo()])], note='AuthenticationService 9 with a Microsoft 365 account (High).')
case('R-OL03-NEG', [], ['OL-03'], settings=[ps('15.0', AUTH, dword(9), 'REG_DWORD', 9)],
     profiles=[Profile('15.0', [onprem()])], note='Same policy, on-premises account with a known proxy server.')
case('R-OL04-POS', ['OL-04'], settings=[ps('16.0', AUTH, dword(10), 'REG_DWORD', 10)],
     note='AuthenticationService 10 (NTLM) for 16.0: MAPI/HTTP needs 9.')
case('R-OL04-NEG', [], ['OL-04'], settings=[ps('14.0', AUTH, dword(16), 'REG_DWORD', 16)],
     reg_lines=[('Software\\Microsoft\\Exchange', 'MapiHttpDisabled', dword(1))],
     note='16 for 14.0, but MAPI/HTTP is disabled, so KB 4051374 does not apply.')
WMS14 = ('Software\\Microsoft\\Office\\14.0\\Outlook', 'Bitness', sz('x86'))
case('R-OL05-POS', ['OL-05'], profiles=[Profile('wms', [exo(auth=0xA)])], reg_lines=[WMS14],
     note='Outlook 2010 (WMS root, 14.0 key) EXO account with logon network security NTLM (0xA).')
case('R-OL05-NEG', [], ['OL-05'], profiles=[Profile('wms', [exo(auth=0x8000F001)])], reg_lines=[WMS14],
     note='Same with Anonymous Authentication (01 f0 00 80).')
case('R-OL06-POS', ['OL-06'], profiles=[Profile('16.0', [onprem(scheme=1, pointer='3d0d')])],
     settings=[pol('16.0', 'Outlook\\RPC', 'DisableBasicAuthSavedCreds', dword(1), value=1)],
     note='On-premises Outlook Anywhere with Basic (found via 01023d0d); saving Basic credentials blocked (High).')
case('R-OL06-NEG', [], ['OL-06', 'OL-07'], profiles=[Profile('16.0', [onprem(scheme=2)])],
     note='NTLM to the proxy and LM level 3.')
case('R-OL07-POS', ['OL-07'], cs=CS('R-OL07-POS', lm=1),
     profiles=[Profile('16.0', [onprem(scheme=2, pointer='global')])],
     note='NTLM to the proxy (settings in the global section) with LmCompatibilityLevel 1.')
WMS11 = ('Software\\Microsoft\\Office\\11.0\\Outlook', 'Bitness', sz('x86'))
case('R-OL07B-POS', ['OL-07b'], ['OL-07'], os_key='xp', cs=CS('R-OL07B-POS', domain='', lm=None),
     profiles=[Profile('wms', [onprem(scheme=2, pointer='global')])], reg_lines=[WMS11], legacy=True,
     note='Outlook 2003 on XP, LmCompatibilityLevel absent (default 0), NTLM to the proxy.')
case('R-OL07B-NEG', [], ['OL-07b', 'OL-07'], os_key='win7', cs=CS('R-OL07B-NEG', lm=None),
     profiles=[Profile('wms', [onprem(scheme=2, pointer='global')])], reg_lines=[WMS11],
     note='Same profile on Windows 7 (default 3).')
UOC = 'Common\\Internet'
case('R-OL08-POS', ['OL-08'],
     settings=[pol('16.0', UOC, 'UseOnlineContent', dword(0), value=0)],
     reg_lines=[('Software\\Microsoft\\Office\\16.0\\Common\\Internet', 'UseOnlineContent', dword(2))],
     note='Policy 0 and preference 2 disagree: the policy wins.')
case('R-OL08-NEG', [], ['OL-08'],
     settings=[pol('16.0', UOC, 'UseOnlineContent', dword(2), value=2)],
     reg_lines=[('Software\\Microsoft\\Office\\16.0\\Common\\Internet', 'UseOnlineContent', dword(0))],
     note='Preference 0 but policy 2: the policy wins.')
case('R-OL09-POS', ['OL-09'], profiles=[Profile('16.0', [exo()])],
     reg_lines=[('Software\\Microsoft\\Exchange', 'MapiHttpDisabled', dword(1))])
case('R-OL09-NEG', [], ['OL-09'], profiles=[Profile('16.0', [exo()])],
     reg_lines=[('Software\\Microsoft\\Exchange', 'MapiHttpDisabled', dword(0))])
case('R-OL10-POS', ['OL-10'], profiles=[Profile('16.0', [onprem(), exo()])],
     note='Mixed profile (on-premises first, Microsoft 365 second) without AlwaysUseMSOAuthForAutoDiscover.')
case('R-OL10-NEG', [], ['OL-10'], profiles=[Profile('16.0', [onprem(), exo()])],
     reg_lines=[('Software\\Microsoft\\Exchange', 'AlwaysUseMSOAuthForAutoDiscover', dword(1))])
case('R-OL11-POS', ['OL-11'], profiles=[Profile('15.0', [exo()])],
     reg_lines=[(IDENT % '15.0', 'EnableADAL', dword(1))], note='Version is missing.')
case('R-OL11-NEG', [], ['OL-11'], profiles=[Profile('15.0', [exo()])],
     reg_lines=[(IDENT % '15.0', 'EnableADAL', dword(1)), (IDENT % '15.0', 'Version', dword(1))])
case('R-OL12-POS', ['OL-12'], machine_kw=dict(office_c2r='16.0.17328.20162'),
     reg_lines=[(IDENT % '16.0', 'EnableADAL', dword(0))])
case('R-OL12-NEG', [], ['OL-12'], machine_kw=dict(office_c2r='16.0.17328.20162'),
     reg_lines=[(IDENT % '16.0', 'EnableADAL', dword(1))])
case('R-OL13-POS', ['OL-13'], reg_lines=[(IDENT % '16.0', 'DisableAADWAM', dword(1))])
case('R-OL13-NEG', [], ['OL-13'], reg_lines=[(IDENT % '16.0', 'DisableAADWAM', dword(0))])
case('R-OL14-POS', ['OL-14'], profiles=[Profile('16.0', [onprem(roh=0x7, principal='msstd:legacy.corp.example')])])
case('R-OL14-NEG', [], ['OL-14'], profiles=[Profile('16.0', [onprem(roh=0x7), exo(roh=0x2f)])],
     note='Matching principal, and Microsoft 365 with msstd:outlook.com (Microsoft\'s documented pair).')
case('R-OL15-POS', ['OL-15'], cs=CS('R-OL15-POS', lm=3, disable_domain_creds=1), profiles=[Profile('16.0', [exo()])])
case('R-OL15-NEG', [], ['OL-15'], cs=CS('R-OL15-NEG', lm=3, disable_domain_creds=1),
     profiles=[Profile('16.0', [onprem(scheme=2)])])
case('R-LY01-POS', ['LY-01'], ['LY-01b'], reg_lines=[LYNC16, (CONN, 'DefaultConnectionSettings', conn_blob(0x1))],
     note='Lync 16.0 key; connection flags 0x1 (direct only).')
case('R-LY01-NEG', [], ['LY-01', 'LY-01b'], reg_lines=[LYNC16, (CONN, 'DefaultConnectionSettings', conn_blob(0x9))],
     note='Flags 0x9: "Automatically detect settings" on.')
case('R-LY01B-POS', ['LY-01b'], ['LY-01'],
     reg_lines=[LYNC16, (CONN, 'DefaultConnectionSettings', conn_blob(0x3, 'proxy.corp.example:8080'))])
case('R-LY02-POS', ['LY-02'], reg_lines=[LYNC16], profiles=[Profile('16.0', [exo()])])
case('R-LY02-NEG', [], ['LY-02'], profiles=[Profile('16.0', [exo()])], reg_lines=[LYNC16],
     settings=[pol('16.0', 'Lync', 'AllowAdalForNonLyncIndependentOfLync', dword(1), value=1)])
case('R-LY03-POS', ['LY-03'], reg_lines=[LYNC16, (IDENT % '16.0', 'DisableADALatopWAMOverride', dword(1))])
case('R-LY03-NEG', [], ['LY-03'], reg_lines=[LYNC16, (IDENT % '16.0', 'DisableADALatopWAMOverride', dword(1)),
                                           (IDENT % '16.0', 'DisableADALatopWAM', dword(1))])
case('R-IE01-POS', ['IE-01'], reg_lines=[(ZONE1_POL, '1A00', dword(0x10000)), (ZONE1, '1A00', dword(0x20000))],
     note='User policy 0x10000 (prompt) over preference 0x20000.')
case('R-IE01-NEG', [], ['IE-01'], reg_lines=[(ZONE1_POL, '1A00', dword(0x20000)), (ZONE1, '1A00', dword(0x10000))],
     note='User policy 0x20000 over preference 0x10000.')
case('R-IE01-MPOL', ['IE-01'], reg_lines=[(ZONE1, '1A00', dword(0x20000))],
     machine_kw=dict(sw_lines=[('Policies\\Microsoft\\Windows\\CurrentVersion\\Internet Settings\\Zones\\1',
                                '1A00', dword(0x30000))]),
     note='Machine policy 0x30000 (anonymous) beats the user preference.')
ZONEMAP = 'Software\\Microsoft\\Windows\\CurrentVersion\\Internet Settings\\ZoneMap\\Domains\\corp.example\\mail'
ZONE2 = 'Software\\Microsoft\\Windows\\CurrentVersion\\Internet Settings\\Zones\\2'
case('R-IE02-POS', ['IE-02'], ['IE-01'], profiles=[Profile('16.0', [onprem()])],
     reg_lines=[(ZONEMAP, 'https', dword(2)), (ZONE2, '1A00', dword(0x10000))],
     note='ZoneMap puts the Exchange proxy host mail.corp.example in Trusted sites, whose logon prompts.')
case('R-IE02-NEG', [], ['IE-02'], profiles=[Profile('16.0', [onprem()])],
     reg_lines=[(ZONEMAP, 'https', dword(2)), (ZONE2, '1A00', dword(0x20000))],
     note='Same mapping; Trusted sites logs on automatically in the intranet.')
machine(F, 'R-IE03-POS', 'win10', SEL1, {1: CS('R-IE03-POS', lm=3)}, expect=['IE-03'],
        sw_lines=[('Policies\\Microsoft\\Windows\\CurrentVersion\\Internet Settings', 'ProxySettingsPerUser', dword(0))])
machine(F, 'R-IE03-NEG', 'win10', SEL1, {1: CS('R-IE03-NEG', lm=3)}, forbid=['IE-03'],
        sw_lines=[('Policies\\Microsoft\\Windows\\CurrentVersion\\Internet Settings', 'ProxySettingsPerUser', dword(1))])
machine(F, 'R-IE04-POS', 'win10', SEL1, {1: CS('R-IE04-POS', lm=3)}, expect=['IE-04'],
        sw_lines=[('WOW6432Node\\' + WINHTTP, 'WinHttpSettings', conn_blob(0x3, 'proxy.corp.example:8080'))],
        note='WinHTTP proxy set in the WOW6432Node view only.')
machine(F, 'R-IE04-NEG', 'win10', SEL1, {1: CS('R-IE04-NEG', lm=3)}, forbid=['IE-04'],
        sw_lines=[(WINHTTP, 'WinHttpSettings', conn_blob(0x1))])
machine(F, 'R-NT02-POS', 'win10', SEL1, {1: CS('R-NT02-POS', lm=3, restrict_send=2)}, expect=['NT-02'])
machine(F, 'R-NT02-NEG', 'win10', SEL1, {1: CS('R-NT02-NEG', lm=3, restrict_send=1)}, forbid=['NT-02'])
case('R-DQ03-POS', ['DQ-03'], machine_kw=dict(office_c2r='16.0.17328.20162'),
     settings=[ps('14.0', PFC, dword(0), 'REG_DWORD', 0)], note='Policy for 14.0 on a machine with Office 16.0 only.')
case('R-DQ03-NEG', [], ['DQ-03'], machine_kw=dict(office_c2r='16.0.17328.20162'),
     settings=[ps('16.0', PFC, dword(0), 'REG_DWORD', 0)])

# ---- fixtures/fleet: cross-machine rules -----------------------------------------------------
F = 'fixtures/fleet/one-domain'
ROAMER = DOM + '-4001'
machine(F, 'DC1', 'srv2019', SEL1, {1: CS('DC1', product_type='LanmanNT', lm=5)}, expect=['XM-03'],
        note='corp.example DC at 5; DC2 is at 3 (XM-03 reported on the first DC).')
machine(F, 'DC2', 'srv2016', SEL1, {1: CS('DC2', product_type='LanmanNT', lm=3)}, forbid=['XM-01', 'XM-03'])
machine(F, 'CLI-LM1', 'win10', SEL1, {1: CS('CLI-LM1', lm=1)}, expect=['XM-01'], forbid=['XM-02', 'XM-04'])
machine(F, 'CLI-LM2', 'win10', SEL1, {1: CS('CLI-LM2', lm=2)}, expect=['XM-01', 'XM-02', 'XM-05'],
        users=[User('roamer', 'C/Users/roamer/NTUSER.DAT', sid=ROAMER,
                    profiles=[Profile('16.0', [onprem(scheme=2, flags=0x4)])],
                    note='Outlook Anywhere NTLM at level 2 (XM-02); same SID as on CLI-LM3 (XM-05).')])
machine(F, 'CLI-LM3', 'win7', SEL1, {1: CS('CLI-LM3', lm=3)}, forbid=['XM-01', 'XM-02', 'XM-05'],
        users=[User('roamer', 'C/Users/roamer/NTUSER.DAT', sid=ROAMER, reg_lines=[WMS14],
                    profiles=[Profile('wms', [onprem(scheme=2, flags=0xc)])])])
F = 'fixtures/fleet/two-domains'
machine(F, 'DC-A', 'srv2019', SEL1, {1: CS('DC-A', product_type='LanmanNT', lm=5, domain='a.example')},
        forbid=['XM-03'])
machine(F, 'DC-B', 'srv2019', SEL1, {1: CS('DC-B', product_type='lanmannt', lm=4, domain='b.example')},
        forbid=['XM-03'])
machine(F, 'CLI-A0', 'win10', SEL1, {1: CS('CLI-A0', lm=0, domain='A.EXAMPLE')}, expect=['XM-01'],
        note='Domain written in upper case: compared case-insensitively with DC-A.')
machine(F, 'CLI-A3', 'win10', SEL1, {1: CS('CLI-A3', lm=3, domain='a.example')}, forbid=['XM-01'])
machine(F, 'CLI-B1', 'win10', SEL1, {1: CS('CLI-B1', lm=1, domain='b.example')}, expect=['XM-04'],
        forbid=['XM-01'], note='Level 1 in b.example: DC-B is at 4 (XM-04); DC-A at 5 is in another domain.')
machine(F, 'WKG-0', 'win10', SEL1, {1: CS('WKG-0', lm=0, domain='')}, forbid=['XM-01', 'XM-04'],
        note='Workgroup machine: no domain, no cross-machine finding.')

# ---- fixtures/controlsets ------------------------------------------------------------------
F = 'fixtures/controlsets'
machine(F, 'CS010', 'win10', dict(Current=10, Default=10, Failed=0, LastKnownGood=9),
        {1: CS('CS-DECOY-001', lm=3), 9: CS('CS-DECOY-009', lm=3), 10: CS('CS010', lm=0)},
        note='Select\\Current=10 -> ControlSet010 (format %03d). "ControlSet00" + 10 does not exist; '
             'ControlSet001/009 are decoys.')
machine(F, 'NOSELECT', 'win10', None, {1: CS('NOSELECT', lm=1)},
        note='No Select key: fall back to ControlSet001 and emit a data-quality warning.')

# ---- fixtures/broken -----------------------------------------------------------------------
# Only the hives that are valid are defined here; build.sh makes the damaged files (see BROKEN).
machine('fixtures/broken', 'BROKEN01', 'win10', SEL1, {1: CS('BROKEN01')}, has_software=False,
        has_system=False,
        note='Damaged hives (see the table below). The scan must not crash, must report each file as an error '
             'or warning, exit non-zero (2), and still process the intact user hive.',
        users=[User('okuser', 'C/Users/okuser/NTUSER.DAT', sid=None,
                    settings=[ps('15.0', PFC, dword(1), 'REG_DWORD', 1)],
                    note='The only intact hive: scanning must go on past the broken files and still find OL-01 here.'),
               User('badsum', 'C/Users/badsum/NTUSER.DAT', sid=None, status='bad-checksum',
                    settings=[ps('15.0', PFC, dword(1), 'REG_DWORD', 1)],
                    note='Base-block checksum deliberately wrong (build.sh flips it). Must be reported; '
                         'whether its values are used is implementation-defined.')])
BROKEN = [
    dict(path='fixtures/broken/BROKEN01/C/Windows/System32/config/SYSTEM', condition='truncated',
         made_by='first 6000 bytes of fixtures/rules/R-DQ02-SW/C/Windows/System32/config/SYSTEM'),
    dict(path='fixtures/broken/BROKEN01/C/Windows/System32/config/SOFTWARE', condition='not-regf',
         made_by='20000 pseudo-random bytes, python random.seed(1)'),
    dict(path='fixtures/broken/BROKEN01/C/Users/empty/NTUSER.DAT', condition='empty', made_by='0 bytes'),
    dict(path='fixtures/broken/BROKEN01/C/Users/tiny/NTUSER.DAT', condition='too-short',
         made_by='"regf" followed by 96 zero bytes (100 bytes)'),
    dict(path='fixtures/broken/BROKEN01/C/Users/badsum/NTUSER.DAT', condition='bad-checksum',
         made_by='generated hive, then the checksum at offset 508 is XORed with 0xFFFFFFFF'),
]
UNPLACED = [dict(path='fixtures/layouts/flat/stray.ntuser', embedded='\\??\\C:\\Users\\mallory\\ntuser.dat',
                 note='belongs to no machine: must be reported as an unplaced user hive')]

# --------------------------------------------------------------------------------------------
# rendering


def default_profile_path(m, u):
    if u.profile_path:
        return u.profile_path
    if m.os_key in LEGACY_OS:
        return '%%SystemDrive%%\\Documents and Settings\\%s' % u.folder
    return '%%SystemDrive%%\\Users\\%s' % u.folder


def user_embedded(m, u):
    if u.embedded:
        return u.embedded
    if m.os_key in LEGACY_OS:
        return '\\??\\C:\\Documents and Settings\\%s\\NTUSER.DAT' % u.folder
    return '\\??\\C:\\Users\\%s\\ntuser.dat' % u.folder


def system_reg(m):
    r = Reg('HKEY_LOCAL_MACHINE\\SYSTEM')
    if m.select is not None:
        for k in ('Current', 'Default', 'Failed', 'LastKnownGood'):
            r.set('Select', k, dword(m.select[k]))
    r.set('Setup', 'SystemSetupInProgress', dword(0))
    r.set('Setup', 'CmdLine', sz('setup -newsetup'))
    r.key('MountedDevices')
    for n in sorted(m.controlsets):
        c = m.controlsets[n]
        cs = 'ControlSet%03d' % n
        r.set(cs + '\\Control\\ComputerName\\ComputerName', 'ComputerName', sz(c.computer_name))
        r.set(cs + '\\Control\\ComputerName\\ActiveComputerName', 'ComputerName', sz(c.computer_name))
        r.set(cs + '\\Control\\ProductOptions', 'ProductType', sz(c.product_type))
        r.set(cs + '\\Control\\ProductOptions', 'ProductSuite', multi(['Terminal Server']))
        lsa = cs + '\\Control\\Lsa'
        r.set(lsa, 'Authentication Packages', multi(['msv1_0']))
        r.set(lsa, 'Notification Packages', multi(['scecli']))
        r.set(lsa, 'Security Packages', multi(['""'] if m.os_key not in LEGACY_OS else ['kerberos', 'msv1_0', 'schannel', 'wdigest']))
        r.set(lsa, 'auditbaseobjects', dword(0))
        r.set(lsa, 'crashonauditfail', dword(0))
        r.set(lsa, 'forceguest', dword(1 if (m.os_key == 'xp' and not c.domain) else 0))
        r.set(lsa, 'LimitBlankPasswordUse', dword(1))
        r.set(lsa, 'NoLmHash', dword(1))
        if c.lm is not None:
            r.set(lsa, 'LmCompatibilityLevel', dword(c.lm))
        if c.disable_domain_creds is not None:
            r.set(lsa, 'DisableDomainCreds', dword(c.disable_domain_creds))
        r.set(lsa + '\\MSV1_0', 'NtlmMinClientSec', dword(0x20000000))
        r.set(lsa + '\\MSV1_0', 'NtlmMinServerSec', dword(0x20000000))
        if c.restrict_send is not None:
            r.set(lsa + '\\MSV1_0', 'RestrictSendingNTLMTraffic', dword(c.restrict_send))
        r.set(cs + '\\Control\\Session Manager\\Environment', 'PROCESSOR_ARCHITECTURE',
              sz('x86' if m.os_key == 'xp' else 'AMD64'))
        r.set(cs + '\\Control\\Session Manager\\Environment', 'Path',
              expand('%SystemRoot%\\system32;%SystemRoot%;%SystemRoot%\\System32\\Wbem'))
        r.set(cs + '\\Control\\TimeZoneInformation', 'TimeZoneKeyName', sz('W. Europe Standard Time'))
        tcp = cs + '\\Services\\Tcpip\\Parameters'
        r.set(tcp, 'Hostname', sz(c.hostname))
        r.set(tcp, 'NV Hostname', sz(c.hostname))
        r.set(tcp, 'Domain', sz(c.domain))
        r.set(tcp, 'NV Domain', sz(c.domain))
        r.set(tcp, 'SearchList', sz(''))
    return r


def software_reg(m):
    r = Reg('HKEY_LOCAL_MACHINE\\SOFTWARE')
    r.set('Classes\\.txt', '@', sz('txtfile'))
    r.set('Classes\\txtfile', '@', sz('Text Document'))
    cv = 'Microsoft\\Windows NT\\CurrentVersion'
    for name, lit in OS[m.os_key]['values']:
        r.set(cv, name, lit)
    r.set(cv, 'RegisteredOwner', sz('IT'))
    r.set(cv, 'RegisteredOrganization', sz('Example Corp'))
    r.set('Microsoft\\Windows\\CurrentVersion', 'ProgramFilesDir', sz('C:\\Program Files'))
    r.set('Microsoft\\Windows\\CurrentVersion', 'CommonFilesDir', sz('C:\\Program Files\\Common Files'))
    r.key('Policies\\Microsoft\\Windows')
    if m.office_c2r:
        c2r = 'Microsoft\\Office\\ClickToRun\\Configuration'
        r.set(c2r, 'VersionToReport', sz(m.office_c2r))
        r.set(c2r, 'Platform', sz('x64'))
        r.set(c2r, 'ProductReleaseIds', sz('O365ProPlusRetail'))
    for k, n, lit in m.sw_lines:
        r.set(k, n, lit)
    pl = cv + '\\ProfileList'
    legacy = m.os_key in LEGACY_OS
    r.set(pl, 'ProfilesDirectory', expand('%SystemDrive%\\Documents and Settings' if legacy else '%SystemDrive%\\Users'))
    r.set(pl, 'Default', expand('%SystemDrive%\\Documents and Settings\\Default User' if legacy else '%SystemDrive%\\Users\\Default'))
    if not legacy:
        r.set(pl, 'ProgramData', expand('%SystemDrive%\\ProgramData'))
        r.set(pl, 'Public', expand('%SystemDrive%\\Users\\Public'))
    well_known = [('S-1-5-18', '%systemroot%\\system32\\config\\systemprofile')]
    if legacy:
        well_known += [('S-1-5-19', '%SystemDrive%\\Documents and Settings\\LocalService'),
                       ('S-1-5-20', '%SystemDrive%\\Documents and Settings\\NetworkService')]
    else:
        well_known += [('S-1-5-19', '%systemroot%\\ServiceProfiles\\LocalService'),
                       ('S-1-5-20', '%systemroot%\\ServiceProfiles\\NetworkService')]
    for sid, path in well_known:
        r.set(pl + '\\' + sid, 'ProfileImagePath', expand(path))
        r.set(pl + '\\' + sid, 'Flags', dword(12))
        r.set(pl + '\\' + sid, 'State', dword(0))
    for u in m.users:
        if u.sid and u.in_profilelist and u.sid not in ('S-1-5-18', 'S-1-5-19', 'S-1-5-20'):
            k = pl + '\\' + u.sid
            r.set(k, 'ProfileImagePath', expand(default_profile_path(m, u)))
            r.set(k, 'Flags', dword(0))
            r.set(k, 'State', dword(0))
    return r


def ntuser_reg(m, u):
    r = Reg('HKEY_CURRENT_USER')
    legacy = m.os_key in LEGACY_OS
    # settings first, so a mangled-case key fixes the stored case of its parents
    for s in u.settings:
        r.set(s['key'], s['name'], s['literal'])
    for k, n, lit in u.reg_lines:
        r.set(k, n, lit)
    temp = '%USERPROFILE%\\Local Settings\\Temp' if legacy else '%USERPROFILE%\\AppData\\Local\\Temp'
    r.set('Environment', 'TEMP', expand(temp))
    r.set('Environment', 'TMP', expand(temp))
    r.set('Control Panel\\Desktop', 'ScreenSaveActive', sz('1'))
    r.set('Control Panel\\Desktop', 'Wallpaper', sz(''))
    r.set('Control Panel\\International', 'LocaleName' if not legacy else 'sLanguage', sz('en-US' if not legacy else 'ENU'))
    r.set('Keyboard Layout\\Preload', '1', sz('00000409'))
    ie = 'Software\\Microsoft\\Windows\\CurrentVersion\\Internet Settings'
    r.set(ie, 'ProxyEnable', dword(0))
    r.set(ie, 'MigrateProxy', dword(1))
    r.set(ie, 'User Agent', sz('Mozilla/4.0 (compatible; MSIE 8.0; Win32)'))
    r.set('Software\\Microsoft\\Windows\\CurrentVersion\\Explorer', 'ShellState', binary(bytes(36)))
    for p in u.profiles:
        write_profile(r, p)
    if u.outlook in ('16.0', '15.0'):
        base = 'Software\\Microsoft\\Office\\%s\\Outlook' % u.outlook
        r.set(base, 'DefaultProfile', sz('Outlook'))
        r.key(base + '\\Profiles\\Outlook\\9375CFF0413111d3B88A00104B2A6676')
        r.set(base + '\\Profiles\\Outlook\\9375CFF0413111d3B88A00104B2A6676', 'LastChangeVer', binary(b'\x01' + bytes(7)))
    elif u.outlook == 'wms':
        wms = 'Software\\Microsoft\\Windows NT\\CurrentVersion\\Windows Messaging Subsystem\\Profiles'
        r.set(wms, 'DefaultProfile', sz('Outlook'))
        r.key(wms + '\\Outlook\\9375CFF0413111d3B88A00104B2A6676')
        r.set(wms + '\\Outlook\\9375CFF0413111d3B88A00104B2A6676', 'LastChangeVer', binary(b'\x01' + bytes(7)))
    return r


def hdr(typ, name, minor, ts, flags=''):
    h = ['hivegen-type: ' + typ, 'hivegen-name: ' + name, 'hivegen-minor: %d' % minor, 'hivegen-timestamp: ' + ts]
    if flags:
        h.append('hivegen-flags: ' + flags)
    return h


def out_path(m, rel):
    return os.path.normpath(os.path.join(m.fixture, m.folder, rel)).replace(os.sep, '/')


def machine_rules(m):
    exp, forb = [], []
    if m.has_software:
        forb.append('DQ-02')
    else:
        exp.append('DQ-02')
    _, eff, _ = m.lm()
    (exp if (eff in (0, 1) and not m.is_dc()) else forb).append('NT-01')
    (exp if m.system_dirty else forb).append('DQ-01')
    return exp + m.expect, forb + m.forbid


def user_rules(u):
    ones = {s['version'] for s in u.settings
            if s['name'].lower() == PFC.lower() and s['valid'] and s['value'] == 1}
    exp, forb = [], []
    (exp if ones & {'11.0', '12.0', '14.0', '15.0'} else forb).append('OL-01')
    (exp if '16.0' in ones else forb).append('OL-01b')
    (exp if u.dirty else forb).append('DQ-01')
    exp += u.rules_expected or []
    forb += u.rules_forbidden or []
    if u.status == 'bad-checksum':
        # a damaged header may be refused or treated like a dirty hive: neither OL-01 nor DQ-01 is asserted
        exp = [r for r in exp if r != 'OL-01']
        forb.remove('DQ-01')
    return exp, forb


def main():
    regdir = os.path.join(HERE, 'reg')
    if os.path.isdir(regdir):
        shutil.rmtree(regdir)
    files = {}
    exp_machines, exp_users = [], []
    for m in MACHINES:
        seqsys = '--seq 17' + (' --dirty' if m.system_dirty else '')
        if m.has_system:
            files[out_path(m, m.system_path)] = system_reg(m).render(
                hdr('system', m.system_embedded, m.minor, m.timestamp, seqsys))
        if m.has_software:
            files[out_path(m, m.software_path)] = software_reg(m).render(
                hdr('software', m.software_embedded, m.minor, m.timestamp, '--seq 23'))
        for u in m.users:
            flags = '--seq 41 --dirty' if u.dirty else '--seq 40'
            files[out_path(m, u.hive)] = ntuser_reg(m, u).render(
                hdr('ntuser', user_embedded(m, u), 3, m.timestamp, flags))
        raw, eff, origin = m.lm()
        mexp, mforb = machine_rules(m)
        c = m.active()
        broken = m.fixture == 'fixtures/broken'
        if broken:   # SYSTEM truncated, SOFTWARE random: nothing about the machine is asserted
            mexp, mforb, raw, eff, origin = [], ['NT-01'], None, None, 'unknown'
        exp_machines.append(dict(
            fixture=m.fixture, machine=m.folder, computer_name=None if broken else c.computer_name,
            control_set=None if broken else m.current_cs(), select_present=m.select is not None,
            product_type=None if broken else c.product_type,
            role=None if broken else ('dc' if m.is_dc() else ('server' if c.product_type.lower() == 'servernt' else 'workstation')),
            domain=None if broken else c.domain, os=OS[m.os_key]['family'] if m.has_software else None,
            os_product_name=dict(OS[m.os_key]['values']).get('ProductName', '').strip('"') if m.has_software else None,
            lm_raw=raw, lm_effective=eff, lm_origin=origin,
            system_hive=out_path(m, m.system_path),
            software_hive=out_path(m, m.software_path) if m.has_software else None,
            system_dirty=m.system_dirty,
            decoy_control_sets={('ControlSet%03d' % n): dict(computer_name=cs.computer_name, lm_raw=cs.lm)
                                for n, cs in m.controlsets.items() if n != m.current_cs()},
            rules_expected=mexp, rules_forbidden=mforb, note=m.note))
        for u in m.users:
            uexp, uforb = user_rules(u)
            settings = {}
            for s in u.settings:
                key = '%s/%s' % (s['name'], s['version'])
                settings[key] = dict(value=s['value'], type=s['type'], valid=s['valid'],
                                     data=s['literal'], key=s['key'])
                if s['note']:
                    settings[key]['note'] = s['note']
            sid_known = bool(u.sid) and m.has_software and u.in_profilelist
            exp_users.append(dict(
                fixture=m.fixture, machine=m.folder, computer_name=c.computer_name if m.fixture != 'fixtures/broken' else None,
                user=u.folder, hive=out_path(m, u.hive), embedded_name=user_embedded(m, u)[-31:],
                sid=u.sid if sid_known else None,
                profile_path=default_profile_path(m, u) if sid_known else None,
                dirty=u.dirty, status=u.status or 'ok',
                outlook_profile_root={'16.0': 'Software\\Microsoft\\Office\\16.0\\Outlook\\Profiles',
                                      '15.0': 'Software\\Microsoft\\Office\\15.0\\Outlook\\Profiles',
                                      'wms': 'Software\\Microsoft\\Windows NT\\CurrentVersion\\Windows Messaging Subsystem\\Profiles',
                                      None: None}[u.outlook],
                default_profile='Outlook' if u.outlook else None,
                settings=settings, rules_expected=uexp, rules_forbidden=uforb, note=u.note))
    # stray hive in the flat layout
    stray = Reg('HKEY_CURRENT_USER')
    stray.set('Software\\Policies\\Microsoft\\Office\\15.0\\Outlook\\Security', PFC, dword(1))
    stray.set('Environment', 'TEMP', expand('%USERPROFILE%\\AppData\\Local\\Temp'))
    stray.set('Control Panel\\Desktop', 'ScreenSaveActive', sz('1'))
    stray.set('Software\\Microsoft\\Windows\\CurrentVersion\\Internet Settings', 'ProxyEnable', dword(0))
    files['fixtures/layouts/flat/stray.ntuser'] = stray.render(
        hdr('ntuser', UNPLACED[0]['embedded'], 3, TS_MODERN, '--seq 40'))
    exp_users.append(dict(
        fixture='fixtures/layouts/flat', machine=None, computer_name=None, user='mallory',
        hive='fixtures/layouts/flat/stray.ntuser', embedded_name=UNPLACED[0]['embedded'][-31:], sid=None,
        profile_path=None, dirty=False, status='unplaced', outlook_profile_root=None, default_profile=None,
        settings={'PromptForCredentials/15.0': dict(value=1, type='REG_DWORD', valid=True, data=dword(1),
                                                    key='Software\\Policies\\Microsoft\\Office\\15.0\\Outlook\\Security')},
        rules_expected=['OL-01'], rules_forbidden=['OL-01b', 'DQ-01'],
        note='Unplaced: reported as a user hive with no machine; its OL-01 is still reported (machine blank).'))

    for rel, text in sorted(files.items()):
        p = os.path.join(regdir, rel + '.reg')
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, 'w', encoding='utf-8', newline='\n') as f:
            f.write(text)
    fixtures = sorted({m['fixture'] for m in exp_machines})
    doc = dict(
        version=1,
        paths_relative_to='testdata/',
        rules_in_scope=RULES_IN_SCOPE,
        rules=RULE_INFO,
        notes=['Only rules in rules_in_scope are asserted; other rules from domain-rules.md may also fire '
               '(e.g. OL-03/OL-04 on AuthenticationService in fixtures/values, XM-01 in sample-fleet).',
               'settings keys are "<ValueName as stored>/<Office version>"; value is the decoded number or null '
               'when the stored data cannot be decoded (valid=false).',
               'Machine folder "." means the machine\'s hives sit directly in the fixture directory (flat layout).'],
        fixtures=fixtures,
        machines=exp_machines,
        users=exp_users,
        broken_files=BROKEN,
        unplaced=UNPLACED,
    )
    with open(os.path.join(HERE, 'expected.json'), 'w', encoding='utf-8') as f:
        json.dump(doc, f, indent=2, sort_keys=False)
        f.write('\n')
    render_readme(doc)
    print('wrote %d .reg files, expected.json (%d machines, %d users)' % (len(files), len(exp_machines), len(exp_users)))


def fmt_lm(m):
    raw = 'absent' if m['lm_raw'] is None else str(m['lm_raw'])
    eff = 'unknown' if m['lm_effective'] is None else str(m['lm_effective'])
    return raw, '%s (%s)' % (eff, m['lm_origin'])


def render_readme(doc):
    lines = []
    for fx in doc['fixtures']:
        lines.append('### `%s`' % fx)
        lines.append('')
        lines.append('| machine folder | computer name | CS | ProductType (role) | OS | LM raw | LM effective (origin) | must fire | must not fire |')
        lines.append('|---|---|---|---|---|---|---|---|---|')
        for m in doc['machines']:
            if m['fixture'] != fx:
                continue
            raw, eff = fmt_lm(m)
            cs = '–' if m['control_set'] is None else (
                str(m['control_set']) + ('' if m['select_present'] else ' (no Select)'))
            pt = '–' if m['product_type'] is None else '%s (%s)' % (m['product_type'], m['role'])
            lines.append('| `%s` | %s | %s | %s | %s | %s | %s | %s | %s |' % (
                m['machine'], m['computer_name'] or '–', cs, pt,
                m['os'] or 'unknown (no SOFTWARE)', raw, eff,
                ', '.join(m['rules_expected']) or '–', ', '.join(m['rules_forbidden']) or '–'))
        notes = [m for m in doc['machines'] if m['fixture'] == fx and m['note']]
        if notes:
            lines.append('')
            for m in notes:
                lines.append('- `%s`: %s' % (m['machine'], m['note']))
        users = [u for u in doc['users'] if u['fixture'] == fx]
        if users:
            lines.append('')
            lines.append('| user hive | SID (via ProfileList) | settings (value, stored type) | must fire | must not fire |')
            lines.append('|---|---|---|---|---|')
            for u in users:
                st = '; '.join('%s = %s (%s%s)' % (k, 'invalid' if v['value'] is None else v['value'], v['type'],
                                                   '' if v['valid'] else ', malformed: `%s`' % v['data'])
                               for k, v in u['settings'].items()) or 'none'
                hive = u['hive'][len(fx) + 1:]
                extra = ' (dirty)' if u['dirty'] else ''
                extra += '' if u['status'] == 'ok' else ' (%s)' % u['status']
                lines.append('| `%s`%s | %s | %s | %s | %s |' % (
                    hive, extra, u['sid'] or '–', st,
                    ', '.join(u['rules_expected']) or '–', ', '.join(u['rules_forbidden']) or '–'))
            for u in users:
                if u['note']:
                    lines.append('- `%s`: %s' % (u['user'], u['note']))
        lines.append('')
    lines.append('### `fixtures/broken` files (made by build.sh)')
    lines.append('')
    lines.append('| file | condition | how it is made |')
    lines.append('|---|---|---|')
    for b in doc['broken_files']:
        lines.append('| `%s` | %s | %s |' % (b['path'], b['condition'], b['made_by']))
    lines.append('')
    text = '\n'.join(lines)
    path = os.path.join(HERE, 'README.md')
    with open(path, encoding='utf-8') as f:
        readme = f.read()
    begin, end = '<!-- BEGIN GENERATED: gen_sources.py -->', '<!-- END GENERATED -->'
    new = re.sub(re.escape(begin) + '.*?' + re.escape(end), lambda _: begin + '\n' + text + '\n' + end, readme, flags=re.S)
    with open(path, 'w', encoding='utf-8') as f:
        f.write(new)


if __name__ == '__main__':
    sys.exit(main())
