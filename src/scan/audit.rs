//! Auditing one machine: load and read its hives, evaluate the rules, build its report rows.

use std::borrow::Cow;
use std::io;
use std::sync::Arc;

use indicatif::ProgressBar;

use crate::discovery::{DiscoveredHive, MachineInputs, OtherFile, OtherStatus, UserHive};
use crate::hive::{BaseBlock, HiveKind, HiveView, PagedHive, filetime, guarded};
use crate::load::{self, HiveState};
use crate::report::{
    AccountRow, EncodedRows, FindingRow, HiveRow, LastWrite, MachineRow, OutputFormat, Reports,
    SettingRow, SharedCells,
};
use crate::rules::fleet::{FleetFinding, MachineSummary};
use crate::rules::{self, Finding, HiveSubject};
use crate::settings::catalogue::{
    DISABLE_DOMAIN_CREDS, DISPLAY_VERSION, NTLM_MIN_CLIENT_SEC, RESTRICT_SENDING_NTLM,
    TCPIP_HOSTNAME,
};
use crate::settings::decode::{self, Decoded, type_name};
use crate::settings::{
    Account, Extraction, Lookup, MachineFacts, Observation, Profile, Setting, UserFacts, extract,
};

/// Who the rows of a report are about.
#[derive(Clone, Debug, Default)]
struct Identity {
    machine: Arc<str>,
    computer_name: Arc<str>,
}

/// Everything one machine (or the group of unplaced hives) contributes to the reports.
#[derive(Debug)]
pub struct MachineReport {
    /// The `machines.csv` row; `None` for unplaced hives.
    pub machine: Option<MachineRow>,
    /// Number of user hives audited.
    pub users: usize,
    /// `hives.csv` rows.
    pub hives: Vec<HiveRow>,
    /// `settings.csv` rows, encoded as they are made: they are most of the output.
    pub settings: EncodedRows,
    /// Findings, in rule order.
    pub findings: Vec<Finding>,
    /// `accounts.csv` rows.
    pub accounts: Vec<AccountRow>,
    /// What the fleet rules need of this machine; `None` for unplaced hives.
    pub fleet: Option<MachineSummary>,
    identity: Identity,
}

impl MachineReport {
    /// Writes the rows to the reports.
    pub fn write(&mut self, reports: &mut Reports) -> io::Result<()> {
        if let Some(row) = &self.machine {
            reports.machines.write(row)?;
        }
        for row in &self.hives {
            reports.hives.write(row)?;
        }
        reports.settings.write_encoded(&mut self.settings)?;
        for finding in &self.findings {
            reports
                .findings
                .write(&finding_row(finding, &self.identity))?;
        }
        for row in &self.accounts {
            reports.accounts.write(row)?;
        }
        Ok(())
    }
}

/// How hives are audited.
#[derive(Clone, Copy, Debug)]
pub struct AuditOptions {
    /// Replay the transaction logs of dirty hives.
    pub recover: bool,
    /// The format reports are written in (rows are encoded by the threads that make them).
    pub format: OutputFormat,
}

/// A hive after loading and reading.
struct AuditedHive<'d> {
    hive: &'d DiscoveredHive,
    state: HiveState,
    /// Whether the settings could be read; then the hive has settings rows.
    read: bool,
    /// Settings as the primary file alone holds them, when logs were replayed.
    before_logs: Option<Extraction>,
}

/// Loads `hive`, replays its logs if it is dirty and `options` say so, and reads its settings
/// (as the hive holds them, after log replay when it was recovered); a hive that cannot be
/// opened gets an error state and no settings. The settings are returned apart, to be moved
/// into the machine's or user's facts rather than copied.
fn audit_hive<'d>(
    hive: &'d DiscoveredHive,
    options: AuditOptions,
    progress: &ProgressBar,
) -> (AuditedHive<'d>, Option<Extraction>) {
    let (mut state, (extraction, before_logs)) = load::load(hive, options.recover, |views| {
        let extraction = views
            .current
            .map(|current| read_settings(current, views.current_header, hive.kind));
        let before_logs = views
            .before_logs
            .and_then(|primary| read_settings(primary, hive.header.as_ref(), hive.kind).ok());
        (extraction, before_logs)
    });
    let extraction =
        extraction.and_then(|read| read.map_err(|error| state = HiveState::Error(error)).ok());
    progress.inc(1);
    let audited = AuditedHive {
        hive,
        state,
        read: extraction.is_some(),
        before_logs,
    };
    (audited, extraction)
}

/// Extracts the settings of `hive`, whose base block is `header` when it is known already.
fn read_settings(
    hive: &PagedHive<'_>,
    header: Option<&BaseBlock>,
    kind: HiveKind,
) -> Result<Extraction, String> {
    guarded(|| {
        let view = match header {
            Some(header) => HiveView::paged_with_header(hive, header)?,
            None => HiveView::paged(hive)?,
        };
        Ok(extract(&view, kind))
    })
    .map_err(|error| error.0)
}

/// Audits one machine's hives.
pub fn audit_machine(
    machine: &MachineInputs,
    options: AuditOptions,
    progress: &ProgressBar,
) -> MachineReport {
    let (system, system_settings) = audit_optional(machine.system.as_ref(), options, progress);
    let (software, software_settings) =
        audit_optional(machine.software.as_ref(), options, progress);
    let facts = MachineFacts {
        system: system_settings,
        software: software_settings,
    };
    let identity = Identity {
        machine: Arc::clone(&machine.id),
        computer_name: facts.computer_name().unwrap_or_default().into(),
    };
    let machine_hives: Vec<MachineHive<'_, '_>> = system
        .map(|hive| (hive, facts.system.as_ref()))
        .into_iter()
        .chain(software.map(|hive| (hive, facts.software.as_ref())))
        .collect();
    let mut report = audit_users(
        &facts,
        &machine_hives,
        &machine.users,
        &identity,
        options,
        progress,
    );
    report.machine = Some(machine_row(machine, &facts, &machine_hives, report.users));
    report.hives.extend(
        machine
            .others
            .iter()
            .map(|h| listed_hive_row(h, &identity, options)),
    );
    report
}

/// A SYSTEM or SOFTWARE hive with its settings (kept in the machine's facts).
type MachineHive<'d, 'f> = (AuditedHive<'d>, Option<&'f Extraction>);

/// [`audit_hive`] for a hive that may be missing.
fn audit_optional<'d>(
    hive: Option<&'d DiscoveredHive>,
    options: AuditOptions,
    progress: &ProgressBar,
) -> (Option<AuditedHive<'d>>, Option<Extraction>) {
    match hive.map(|hive| audit_hive(hive, options, progress)) {
        Some((audited, settings)) => (Some(audited), settings),
        None => (None, None),
    }
}

/// Audits hives that belong to no identified machine: user hives are read and their user
/// rules evaluated without machine facts; other hives are listed.
pub fn audit_unplaced(
    unplaced: &[UserHive],
    options: AuditOptions,
    progress: &ProgressBar,
) -> MachineReport {
    let (users, others): (Vec<UserHive>, Vec<UserHive>) = unplaced
        .iter()
        .cloned()
        .partition(|u| u.hive.kind.is_audited());
    let identity = Identity::default();
    let mut report = audit_users(
        &MachineFacts::default(),
        &[],
        &users,
        &identity,
        options,
        progress,
    );
    report.hives.extend(
        others
            .iter()
            .map(|u| listed_hive_row(&u.hive, &identity, options)),
    );
    report.fleet = None;
    report
}

/// Reads the user hives, evaluates the rules and builds the rows of machine and user hives.
fn audit_users(
    facts: &MachineFacts,
    machine_hives: &[MachineHive<'_, '_>],
    users: &[UserHive],
    identity: &Identity,
    options: AuditOptions,
    progress: &ProgressBar,
) -> MachineReport {
    let (user_hives, user_facts): (Vec<AuditedHive<'_>>, Vec<UserFacts>) = users
        .iter()
        .map(|user| {
            let (audited, settings) = audit_hive(&user.hive, options, progress);
            let name = user.user.as_deref().map(String::from);
            let facts = UserFacts {
                sid: name.as_deref().and_then(|n| facts.sid_for_user(n)),
                user: name,
                extraction: settings.unwrap_or_default(),
            };
            (audited, facts)
        })
        .unzip();
    let mut subjects: Vec<HiveSubject<'_>> = machine_hives
        .iter()
        .map(|(hive, _)| subject(hive, None))
        .collect();
    let users_audited = user_hives.iter().zip(&user_facts);
    subjects.extend(
        users_audited
            .clone()
            .map(|(hive, user)| subject(hive, Some(user))),
    );

    let mut report = MachineReport {
        machine: None,
        users: user_hives.len(),
        hives: Vec::new(),
        settings: EncodedRows::new(options.format),
        findings: rules::evaluate(facts, &user_facts, &subjects),
        accounts: Vec::new(),
        fleet: Some(MachineSummary::of(
            Arc::clone(&identity.machine),
            Arc::clone(&identity.computer_name),
            facts,
            &user_facts,
        )),
        identity: identity.clone(),
    };
    for (hive, settings) in machine_hives {
        report.push_hive(hive, *settings, None);
    }
    for (hive, user) in users_audited {
        let settings = hive.read.then_some(&user.extraction);
        report.push_hive(hive, settings, Some(user));
        report.accounts.extend(account_rows(user, identity));
    }
    report
}

/// The `accounts.csv` rows of a user: one per account, or one per profile without accounts.
fn account_rows(user: &UserFacts, identity: &Identity) -> Vec<AccountRow> {
    let mut rows = Vec::new();
    for profile in user.profiles() {
        let base = AccountRow {
            machine: identity.machine.to_string(),
            computer_name: identity.computer_name.to_string(),
            user: user.user.clone().unwrap_or_default(),
            sid: user.sid.clone().unwrap_or_default(),
            profile_root: profile.root.key_path(),
            outlook_version: profile.outlook_version.clone().unwrap_or_default(),
            profile: profile.name.clone(),
            is_default: profile.is_default,
            note: profile.error.clone().unwrap_or_default(),
            ..AccountRow::default()
        };
        if profile.accounts.is_empty() {
            rows.push(base);
            continue;
        }
        rows.extend(
            profile
                .accounts
                .iter()
                .map(|account| account_row(base.clone(), profile, account)),
        );
    }
    rows
}

fn account_row(base: AccountRow, profile: &Profile, account: &Account) -> AccountRow {
    let props = account.properties();
    let hex = |n: Option<u32>| n.map(|n| format!("0x{n:08x}")).unwrap_or_default();
    let section = account.section.as_ref();
    let written = section
        .and_then(|s| s.last_written)
        .or(account.last_written);
    AccountRow {
        account: account.name.clone(),
        service_name: account.service_name.clone(),
        service_uid: account.service_uid.clone(),
        section_key: section.map(|s| s.key.clone()).unwrap_or_default(),
        section_found_by: section
            .map(|s| s.found_by.label().to_string())
            .unwrap_or_default(),
        config_flags: hex(props.config_flags),
        prompt_bit: props.config_flags.map(|f| f & 0x8 != 0),
        auth_package: hex(props.auth_package),
        roh_flags: hex(props.roh_flags),
        roh_auth_scheme: props.roh_auth_scheme,
        roh_server: props.roh_server.clone().unwrap_or_default(),
        roh_principal: props.roh_principal.clone().unwrap_or_default(),
        is_exo: account.is_exo(),
        last_write: written.map(filetime::to_iso8601).unwrap_or_default(),
        note: profile.error.clone().unwrap_or_default(),
        ..base
    }
}

fn subject<'a>(hive: &'a AuditedHive<'_>, user: Option<&'a UserFacts>) -> HiveSubject<'a> {
    HiveSubject {
        path: hive.hive.evidence.path().to_str().unwrap_or_default(),
        state: &hive.state,
        user,
    }
}

impl MachineReport {
    fn push_hive(
        &mut self,
        hive: &AuditedHive<'_>,
        settings: Option<&Extraction>,
        user: Option<&UserFacts>,
    ) {
        let user_name = user.and_then(|u| u.user.as_deref()).unwrap_or_default();
        self.hives
            .push(hive_row(hive.hive, &hive.state, &self.identity, user_name));
        let Some(extraction) = settings else {
            return;
        };
        let sid = user.and_then(|u| u.sid.as_deref()).unwrap_or_default();
        let hive_path = hive.hive.evidence.display_path();
        let labels = HiveLabels {
            machine: &self.identity.machine,
            computer_name: &self.identity.computer_name,
            user: user_name,
            sid,
            hive_path: &hive_path,
            hive_type: hive.hive.kind.label(),
            hive_status: hive.state.label(),
        };
        let mut shared = SharedCells::new(SettingRow::HIVE_COLUMNS);
        for observation in &extraction.observations {
            let mut row = setting_row(observation, &labels);
            if let Some(before) = &hive.before_logs {
                mark_log_changes(&mut row, observation, before);
            }
            self.settings.push_sharing(&row, &mut shared);
        }
    }
}

/// The columns every `settings.csv` row of one hive shares.
struct HiveLabels<'a> {
    machine: &'a str,
    computer_name: &'a str,
    user: &'a str,
    sid: &'a str,
    hive_path: &'a str,
    hive_type: &'static str,
    hive_status: &'static str,
}

fn hive_row(hive: &DiscoveredHive, state: &HiveState, identity: &Identity, user: &str) -> HiveRow {
    let header = hive.header.as_ref();
    HiveRow {
        path: hive.evidence.display_path(),
        machine: identity.machine.to_string(),
        computer_name: identity.computer_name.to_string(),
        user: user.to_string(),
        hive_type: hive.kind.label().to_string(),
        detected_by: hive.detected_by.label().to_string(),
        size: Some(hive.size),
        status: state.label().to_string(),
        detail: state.detail().to_string(),
        logs: hive
            .logs
            .iter()
            .map(|log| log.display_path())
            .collect::<Vec<_>>()
            .join(" | "),
        primary_sequence: header.map(|h| h.primary_sequence),
        secondary_sequence: header.map(|h| h.secondary_sequence),
        version: header.map(|h| h.version()).unwrap_or_default(),
        last_written: header
            .filter(|h| h.last_written != 0)
            .map(|h| filetime::to_iso8601(h.last_written))
            .unwrap_or_default(),
        embedded_name: header.map(|h| h.embedded_name.clone()).unwrap_or_default(),
        sha256: String::new(),
    }
}

/// A hive that is listed, not audited: its state comes from its header and, when dirty, from
/// planning the replay of its logs.
fn listed_hive_row(hive: &DiscoveredHive, identity: &Identity, options: AuditOptions) -> HiveRow {
    hive_row(hive, &load::assess(hive, options.recover), identity, "")
}

fn setting_row<'a>(observation: &'a Observation, labels: &HiveLabels<'a>) -> SettingRow<'a> {
    let (value_type, note) = match &observation.lookup {
        Lookup::Present {
            raw_type, decoded, ..
        } => match decoded {
            Decoded::Malformed(reason) => (type_name(*raw_type), format!("malformed: {reason}")),
            _ => (type_name(*raw_type), String::new()),
        },
        Lookup::Error(error) => (Cow::Borrowed(""), format!("unreadable: {error}")),
        _ => Default::default(),
    };
    SettingRow {
        machine: labels.machine,
        computer_name: labels.computer_name,
        user: labels.user,
        sid: labels.sid,
        hive_path: labels.hive_path,
        hive_type: labels.hive_type,
        hive_status: labels.hive_status,
        setting: observation.setting.id,
        key_path: &observation.key_path,
        value_name: observation.setting.value,
        value_type,
        value_data: value_data(&observation.lookup),
        present: observation.is_present(),
        last_write: LastWrite(observation.last_written()),
        changed_by_logs: false,
        value_before_logs: String::new(),
        note,
    }
}

/// The data column: the decoded value, subkey names, or hex when the data is malformed.
fn value_data(lookup: &Lookup) -> String {
    match lookup {
        Lookup::Present {
            data,
            decoded: Decoded::Malformed(_),
            ..
        } => decode::hex(data),
        Lookup::Present { decoded, .. } => decoded.to_string(),
        Lookup::Subkeys { names, .. } => names.join("; "),
        _ => String::new(),
    }
}

/// Marks `row` when the value differs from what the primary file alone holds.
fn mark_log_changes(row: &mut SettingRow, observation: &Observation, before: &Extraction) {
    let earlier = before
        .of(observation.setting)
        .find(|o| o.key_path == observation.key_path);
    let unchanged = earlier.is_some_and(|o| same_value(&o.lookup, &observation.lookup));
    if !unchanged {
        row.changed_by_logs = true;
        row.value_before_logs = earlier
            .filter(|o| o.is_present())
            .map(|o| value_data(&o.lookup))
            .unwrap_or_else(|| "(not set)".to_string());
    }
}

/// Whether two lookups hold the same value, whatever their key times.
fn same_value(a: &Lookup, b: &Lookup) -> bool {
    match (a, b) {
        (
            Lookup::Present {
                raw_type: type_a,
                data: data_a,
                ..
            },
            Lookup::Present {
                raw_type: type_b,
                data: data_b,
                ..
            },
        ) => type_a == type_b && data_a == data_b,
        (Lookup::Subkeys { names: a, .. }, Lookup::Subkeys { names: b, .. }) => a == b,
        (Lookup::Present { .. } | Lookup::Subkeys { .. }, _)
        | (_, Lookup::Present { .. } | Lookup::Subkeys { .. }) => false,
        _ => true,
    }
}

fn machine_row(
    machine: &MachineInputs,
    facts: &MachineFacts,
    hives: &[MachineHive<'_, '_>],
    users: usize,
) -> MachineRow {
    let system_value = |setting: &'static Setting| raw_value(facts.system.as_ref(), setting);
    let (lm_effective, lm_origin) = facts.lm_effective();
    let hive_path = |kind| {
        hives
            .iter()
            .find(|(h, _)| h.hive.kind == kind)
            .map(|(h, _)| h.hive.evidence.display_path())
            .unwrap_or_default()
    };
    MachineRow {
        machine: machine.id.to_string(),
        computer_name: facts.computer_name().unwrap_or_default().to_string(),
        domain: facts.domain().unwrap_or_default().to_string(),
        hostname: system_value(&TCPIP_HOSTNAME),
        product_type: facts.product_type().unwrap_or_default().to_string(),
        role: facts.role().label().to_string(),
        os: facts.os_name().unwrap_or_default(),
        build: facts.build().unwrap_or_default().to_string(),
        display_version: raw_value(facts.software.as_ref(), &DISPLAY_VERSION),
        control_set: facts
            .control_set()
            .map(|cs| cs.key_name())
            .unwrap_or_default(),
        control_set_source: facts
            .control_set()
            .map(|cs| if cs.from_select { "select" } else { "assumed" })
            .unwrap_or_default()
            .to_string(),
        lm_compatibility_level: facts.lm_observation().map(display).unwrap_or_default(),
        lm_compatibility_effective: lm_effective,
        lm_compatibility_origin: lm_origin.label().to_string(),
        disable_domain_creds: system_value(&DISABLE_DOMAIN_CREDS),
        ntlm_min_client_sec: system_value(&NTLM_MIN_CLIENT_SEC),
        restrict_sending_ntlm_traffic: system_value(&RESTRICT_SENDING_NTLM),
        office_versions: facts.office_versions().join("; "),
        system_hive: hive_path(crate::hive::HiveKind::System),
        software_hive: hive_path(crate::hive::HiveKind::Software),
        users,
    }
}

/// A setting's value as set (empty when absent or the hive was not read).
fn raw_value(extraction: Option<&Extraction>, setting: &'static Setting) -> String {
    extraction
        .and_then(|e| e.first(setting))
        .map(display)
        .unwrap_or_default()
}

fn display(observation: &Observation) -> String {
    observation
        .decoded()
        .map(ToString::to_string)
        .unwrap_or_default()
}

/// The `findings.csv` row of a fleet finding, reported on its client-side machine.
pub fn fleet_finding_row(found: &FleetFinding) -> FindingRow {
    let identity = Identity {
        machine: found.machine.as_str().into(),
        computer_name: found.computer_name.as_str().into(),
    };
    finding_row(&found.finding, &identity)
}

fn finding_row(finding: &Finding, identity: &Identity) -> FindingRow {
    let rule = finding.rule;
    FindingRow {
        machine: identity.machine.to_string(),
        computer_name: identity.computer_name.to_string(),
        user: finding.user.clone().unwrap_or_default(),
        sid: finding.sid.clone().unwrap_or_default(),
        rule_id: rule.id.to_string(),
        severity: finding.severity.label().to_string(),
        confidence: finding.confidence.label().to_string(),
        title: rule.title.to_string(),
        evidence: finding.evidence.join(" | "),
        explanation: rule.explanation.to_string(),
        remediation: rule.remediation.to_string(),
        reference: rule.source.to_string(),
    }
}

/// The `hives.csv` row of a file that is not a hive.
pub fn other_file_row(file: &OtherFile) -> HiveRow {
    let (hive_type, status, detail) = match &file.status {
        OtherStatus::Log { hive } => (
            "LOG",
            "log",
            hive.as_ref()
                .map(|h| format!("transaction log of {}", h.display_path()))
                .unwrap_or_else(|| "transaction log with no hive beside it".into()),
        ),
        OtherStatus::NotHive => ("", "not-hive", String::new()),
        OtherStatus::Skipped(reason) => ("", "skipped", reason.clone()),
        OtherStatus::Unreadable(error) => ("", "unreadable", error.clone()),
    };
    HiveRow {
        path: file.evidence.display_path(),
        hive_type: hive_type.to_string(),
        size: file.size,
        status: status.to_string(),
        detail,
        ..HiveRow::default()
    }
}
