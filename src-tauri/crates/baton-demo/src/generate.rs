//! Deterministic generator of the demo company's CRM exports.
//!
//! Larkspur Analytics (fictional) sells a B2B analytics platform in Europe and the US.
//! Marketing runs HubSpot (contacts export); sales works deals in Pipedrive (deals
//! export). The generator models 18 months of leads with source-, segment- and
//! owner-dependent conversion, delays between stages, deals won and lost, records
//! still in flight at export time, a few skipped stages and a few data errors, so
//! every screen has something true to show. `cargo run -p baton-demo --bin
//! generate-demo-data` rewrites the committed files; a test checks they are current.

use crate::rng::Rng;
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Weekday};

pub const SEED: u64 = 0x0BA7_0D3E_2025;
/// First and last day leads were created, and the moment the exports were taken.
pub const FIRST_DAY: (i32, u32, u32) = (2025, 5, 1);
pub const LAST_DAY: (i32, u32, u32) = (2026, 10, 31);
pub const EXPORTED_AT: (i32, u32, u32, u32, u32) = (2026, 11, 2, 9, 30);

pub const HUBSPOT_FILE: &str = "hubspot-contacts-export-2026-11-02.csv";
pub const PIPEDRIVE_FILE: &str = "deals-8841207-17.csv";

pub const HUBSPOT_HEADER: [&str; 20] = [
    "Record ID",
    "First Name",
    "Last Name",
    "Email",
    "Company Name",
    "Job Title",
    "Lifecycle Stage",
    "Lead Status",
    "Contact owner",
    "Original Source",
    "Industry",
    "Number of Employees",
    "Segment",
    "Country/Region",
    "Create Date",
    "Became a Lead Date",
    "Became a Marketing Qualified Lead Date",
    "Became a Sales Qualified Lead Date",
    "Became an Opportunity Date",
    "Became a Customer Date",
];

pub const PIPEDRIVE_HEADER: [&str; 17] = [
    "Deal - ID",
    "Deal - Title",
    "Deal - Value",
    "Deal - Currency of value",
    "Deal - Pipeline",
    "Deal - Stage",
    "Deal - Status",
    "Deal - Owner",
    "Deal - Lead source",
    "Deal - Deal created",
    "Deal - Expected close date",
    "Deal - Won time",
    "Deal - Lost time",
    "Deal - Lost reason",
    "Deal - Last stage change",
    "Organization",
    "Contact person",
];

/// The generated files, as CSV bytes.
pub struct DemoFiles {
    pub hubspot_contacts: Vec<u8>,
    pub pipedrive_deals: Vec<u8>,
}

struct Source {
    name: &'static str,
    weight: f64,
    /// Multiplier on the lead → MQL rate (lead quality).
    quality: f64,
}

const SOURCES: [Source; 7] = [
    Source {
        name: "Organic Search",
        weight: 0.27,
        quality: 1.0,
    },
    Source {
        name: "Paid Search",
        weight: 0.18,
        quality: 0.9,
    },
    Source {
        name: "Paid Social",
        weight: 0.17,
        quality: 0.55,
    },
    Source {
        name: "Email Marketing",
        weight: 0.12,
        quality: 1.1,
    },
    Source {
        name: "Referrals",
        weight: 0.08,
        quality: 1.7,
    },
    Source {
        name: "Direct Traffic",
        weight: 0.10,
        quality: 1.05,
    },
    Source {
        name: "Offline Sources",
        weight: 0.08,
        quality: 1.3,
    },
];

struct Owner {
    name: &'static str,
    /// Median hours from MQL to sales qualification (follow-up speed).
    follow_up_hours: f64,
    /// Multiplier on the opportunity win rate.
    closing: f64,
}

const OWNERS: [Owner; 5] = [
    Owner {
        name: "Maya Okafor",
        follow_up_hours: 6.0,
        closing: 1.25,
    },
    Owner {
        name: "Daniel Reyes",
        follow_up_hours: 30.0,
        closing: 0.9,
    },
    Owner {
        name: "Priya Nair",
        follow_up_hours: 12.0,
        closing: 1.1,
    },
    Owner {
        name: "Tom Becker",
        follow_up_hours: 52.0,
        closing: 0.75,
    },
    Owner {
        name: "Sofia Lindqvist",
        follow_up_hours: 18.0,
        closing: 1.0,
    },
];

const INDUSTRIES: [(&str, f64); 6] = [
    ("Manufacturing", 0.24),
    ("Logistics and Supply Chain", 0.18),
    ("Retail", 0.17),
    ("Financial Services", 0.14),
    ("Hospital & Health Care", 0.12),
    ("Computer Software", 0.15),
];

const COUNTRIES: [(&str, f64); 6] = [
    ("Germany", 0.27),
    ("United Kingdom", 0.2),
    ("France", 0.15),
    ("Netherlands", 0.12),
    ("Spain", 0.08),
    ("United States", 0.18),
];

const FIRST_NAMES: [&str; 40] = [
    "Anna", "Ben", "Clara", "David", "Elena", "Felix", "Grace", "Hugo", "Ines", "Jonas", "Katrin",
    "Liam", "Marta", "Nils", "Olivia", "Pablo", "Quentin", "Rosa", "Samir", "Tara", "Uwe", "Vera",
    "William", "Yasmin", "Zoe", "Aaron", "Birgit", "Carlos", "Dana", "Emil", "Fatima", "Georg",
    "Hannah", "Igor", "Julia", "Karl", "Lucia", "Marco", "Nadia", "Oscar",
];

const LAST_NAMES: [&str; 40] = [
    "Adler",
    "Brandt",
    "Castillo",
    "Dubois",
    "Eriksen",
    "Fischer",
    "Garcia",
    "Hansen",
    "Ivanova",
    "Jansen",
    "Keller",
    "Laurent",
    "Meyer",
    "Novak",
    "Olsen",
    "Petit",
    "Quinn",
    "Rossi",
    "Schmidt",
    "Torres",
    "Ullmann",
    "Visser",
    "Walsh",
    "Young",
    "Zimmermann",
    "Bauer",
    "Clarke",
    "De Vries",
    "Evans",
    "Fontaine",
    "Gruber",
    "Hughes",
    "Jensen",
    "Kowalski",
    "Lopez",
    "Moreau",
    "Nowak",
    "O'Brien",
    "Schulz",
    "Weber",
];

const COMPANY_STEMS: [&str; 30] = [
    "Nordhafen",
    "Bluecrest",
    "Alder",
    "Vantage",
    "Ironbridge",
    "Solvik",
    "Meridian",
    "Hawthorn",
    "Quayside",
    "Brightwater",
    "Kestrel",
    "Lumen",
    "Oakridge",
    "Pioneer",
    "Riverstone",
    "Silverline",
    "Trident",
    "Westmark",
    "Copperfield",
    "Evergreen",
    "Falkenberg",
    "Granite",
    "Harbor",
    "Juniper",
    "Kingsway",
    "Larchmont",
    "Monarch",
    "Northgate",
    "Orchard",
    "Redwood",
];

const COMPANY_SUFFIXES: [&str; 8] = [
    "GmbH",
    "Ltd",
    "SAS",
    "B.V.",
    "S.L.",
    "Inc.",
    "Group",
    "Logistics",
];

const JOB_TITLES: [&str; 10] = [
    "Head of Operations",
    "Operations Manager",
    "Data Analyst",
    "CFO",
    "Head of Finance",
    "IT Director",
    "Supply Chain Manager",
    "Business Intelligence Lead",
    "COO",
    "Controller",
];

const DEAL_STAGES: [&str; 4] = [
    "Qualified",
    "Demo scheduled",
    "Proposal made",
    "Negotiations started",
];

const LOST_REASONS: [(&str, f64); 5] = [
    ("Price too high", 0.3),
    ("Chose a competitor", 0.25),
    ("No budget this year", 0.2),
    ("No decision / went silent", 0.18),
    ("Missing integration", 0.07),
];

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Stage {
    Lead,
    Mql,
    Sql,
    Opportunity,
    Customer,
}

impl Stage {
    fn hubspot_name(self) -> &'static str {
        match self {
            Stage::Lead => "Lead",
            Stage::Mql => "Marketing Qualified Lead",
            Stage::Sql => "Sales Qualified Lead",
            Stage::Opportunity => "Opportunity",
            Stage::Customer => "Customer",
        }
    }
}

enum DealOutcome {
    Open,
    Won(NaiveDateTime),
    Lost(NaiveDateTime, &'static str),
}

struct Contact {
    id: u64,
    first: &'static str,
    last: &'static str,
    company: String,
    domain: String,
    title: &'static str,
    owner: &'static Owner,
    source: &'static str,
    industry: &'static str,
    employees: i64,
    country: &'static str,
    created: NaiveDateTime,
    /// Dates the contact entered MQL, SQL, opportunity, customer (None = not reached or skipped).
    dates: [Option<NaiveDateTime>; 4],
    stage: Stage,
    lead_status: &'static str,
    deal: Option<DealOutcome>,
    deal_value: i64,
}

fn day(d: (i32, u32, u32)) -> NaiveDate {
    NaiveDate::from_ymd_opt(d.0, d.1, d.2).expect("valid constant date")
}

pub fn exported_at() -> NaiveDateTime {
    let (y, m, d, h, min) = EXPORTED_AT;
    day((y, m, d))
        .and_hms_opt(h, min, 0)
        .expect("valid constant time")
}

fn fmt(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%d %H:%M").to_string()
}

fn fmt_secs(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%d %H:%M:%S").to_string()
}

/// Leads per day: grows from about 5 to 8 a day, fewer at weekends and in August/December.
fn leads_on(rng: &mut Rng, date: NaiveDate, index: i64, total_days: i64) -> i64 {
    let trend = 5.0 + 3.5 * index as f64 / total_days as f64;
    let weekday = match date.weekday() {
        Weekday::Sat | Weekday::Sun => 0.3,
        _ => 1.0,
    };
    let season = match date.month() {
        8 | 12 => 0.7,
        _ => 1.0,
    };
    let mean = trend * weekday * season;
    // Round the mean stochastically, then add a little noise.
    let base = mean.floor() as i64 + i64::from(rng.chance(mean.fract()));
    (base + rng.range(-1, 1)).max(0)
}

fn business_time(rng: &mut Rng, date: NaiveDate) -> NaiveDateTime {
    date.and_hms_opt(rng.range(7, 18) as u32, rng.range(0, 59) as u32, 0)
        .expect("valid time")
}

fn make_contact(rng: &mut Rng, id: u64, created: NaiveDateTime, now: NaiveDateTime) -> Contact {
    let source = {
        let weighted: Vec<(usize, f64)> = SOURCES
            .iter()
            .enumerate()
            .map(|(i, s)| (i, s.weight))
            .collect();
        &SOURCES[*rng.weighted(&weighted)]
    };
    let owner = rng.pick(&OWNERS);
    let industry = *rng.weighted(&INDUSTRIES);
    let country = *rng.weighted(&COUNTRIES);
    let (lo, hi) = *rng.weighted(&[((10, 199), 0.55), ((200, 999), 0.3), ((1000, 8000), 0.15)]);
    let employees = rng.range(lo, hi);
    let first = *rng.pick(&FIRST_NAMES);
    let last = *rng.pick(&LAST_NAMES);
    let stem = *rng.pick(&COMPANY_STEMS);
    let suffix = *rng.pick(&COMPANY_SUFFIXES);
    let company = format!("{stem} {suffix}");
    let domain = format!("{}.example", stem.to_lowercase());
    let title = *rng.pick(&JOB_TITLES);

    // Conversion: larger companies and better sources qualify more often.
    let size_factor = if employees >= 1000 {
        1.2
    } else if employees >= 200 {
        1.1
    } else {
        0.9
    };
    let p_mql = (0.36 * source.quality * size_factor).min(0.9);
    let p_sql = 0.5;
    let p_opp = 0.62;
    let p_win = (0.3 * owner.closing * if employees >= 1000 { 0.8 } else { 1.0 }).min(0.8);

    let mut dates: [Option<NaiveDateTime>; 4] = [None; 4];
    let mut stage = Stage::Lead;
    let mut lead_status = *rng.pick(&["New", "Open", "Attempted to Contact"]);
    let mut deal = None;
    let mut t = created;

    let reached = |t: NaiveDateTime| t <= now;
    'funnel: {
        // Referrals and offline contacts sometimes go straight to sales (MQL skipped).
        let skip_mql = matches!(source.name, "Referrals" | "Offline Sources") && rng.chance(0.18);
        if !rng.chance(if skip_mql { p_mql * p_sql } else { p_mql }) {
            if rng.chance(0.25) {
                lead_status = "Unqualified";
            }
            break 'funnel;
        }
        if !skip_mql {
            t += Duration::minutes(rng.delay_minutes(24.0 * 6.0, 0.9));
            if !reached(t) {
                break 'funnel;
            }
            dates[0] = Some(t);
            stage = Stage::Mql;
            lead_status = "Open";
            if !rng.chance(p_sql) {
                lead_status = *rng.pick(&["Unqualified", "Bad Timing", "Attempted to Contact"]);
                break 'funnel;
            }
        }
        t += Duration::minutes(rng.delay_minutes(owner.follow_up_hours, 0.9));
        if !reached(t) {
            break 'funnel;
        }
        dates[1] = Some(t);
        stage = Stage::Sql;
        lead_status = "Connected";
        if !rng.chance(p_opp) {
            lead_status = *rng.pick(&["Unqualified", "Bad Timing"]);
            break 'funnel;
        }
        t += Duration::minutes(rng.delay_minutes(24.0 * 9.0, 0.7));
        if !reached(t) {
            break 'funnel;
        }
        dates[2] = Some(t);
        stage = Stage::Opportunity;
        lead_status = "Open Deal";
        let decided = t + Duration::minutes(rng.delay_minutes(24.0 * 38.0, 0.6));
        if decided > now {
            deal = Some(DealOutcome::Open);
        } else if rng.chance(p_win) {
            dates[3] = Some(decided);
            stage = Stage::Customer;
            lead_status = "Connected";
            deal = Some(DealOutcome::Won(decided));
        } else {
            lead_status = "Unqualified";
            let reason = rng.weighted::<&'static str>(&LOST_REASONS);
            deal = Some(DealOutcome::Lost(decided, reason));
        }
    }

    let deal_value = match employees {
        e if e >= 1000 => rng.range(60, 180) * 1000,
        e if e >= 200 => rng.range(24, 70) * 1000,
        _ => rng.range(6, 22) * 1000,
    };
    Contact {
        id,
        first,
        last,
        company,
        domain,
        title,
        owner,
        source: source.name,
        industry,
        employees,
        country,
        created,
        dates,
        stage,
        lead_status,
        deal,
        deal_value,
    }
}

fn contacts() -> Vec<Contact> {
    let mut rng = Rng::new(SEED);
    let (first, last) = (day(FIRST_DAY), day(LAST_DAY));
    let total_days = (last - first).num_days();
    let now = exported_at();
    let mut out = Vec::new();
    let mut next_id = 51_200_001u64;
    for i in 0..=total_days {
        let date = first + Duration::days(i);
        for _ in 0..leads_on(&mut rng, date, i, total_days) {
            let created = business_time(&mut rng, date);
            out.push(make_contact(&mut rng, next_id, created, now));
            next_id += rng.range(1, 40) as u64;
        }
    }
    inject_data_errors(&mut rng, &mut out);
    out
}

/// The flaws real exports have, in small numbers: a customer date before the
/// record was created, contacts nobody owns, and a hand-typed source variant.
fn inject_data_errors(rng: &mut Rng, contacts: &mut [Contact]) {
    let n = contacts.len();
    for _ in 0..3 {
        let c = &mut contacts[rng.range(0, n as i64 - 1) as usize];
        if c.stage == Stage::Customer {
            c.dates[3] = Some(c.created - Duration::days(rng.range(3, 30)));
        }
    }
    for _ in 0..12 {
        let i = rng.range(0, n as i64 - 1) as usize;
        contacts[i].lead_status = "New";
        contacts[i].owner = &NO_OWNER;
    }
    for c in contacts
        .iter_mut()
        .filter(|c| c.source == "Paid Search")
        .skip(40)
        .step_by(120)
    {
        c.source = "paid search";
    }
}

static NO_OWNER: Owner = Owner {
    name: "",
    follow_up_hours: 0.0,
    closing: 0.0,
};

fn write_csv(header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::Necessary)
        .from_writer(Vec::new());
    w.write_record(header).expect("writing to memory");
    for row in rows {
        w.write_record(&row).expect("writing to memory");
    }
    w.into_inner().expect("flushing to memory")
}

/// The sales team's segments, by company size (a custom HubSpot property).
fn segment(employees: i64) -> &'static str {
    match employees {
        e if e >= 1000 => "Enterprise",
        e if e >= 200 => "Mid-market",
        _ => "SMB",
    }
}

fn opt(t: Option<NaiveDateTime>) -> String {
    t.map(fmt).unwrap_or_default()
}

fn hubspot_row(c: &Contact) -> Vec<String> {
    vec![
        c.id.to_string(),
        c.first.to_string(),
        c.last.to_string(),
        format!(
            "{}.{}@{}",
            c.first.to_lowercase(),
            c.last.to_lowercase().replace([' ', '\''], ""),
            c.domain
        ),
        c.company.clone(),
        c.title.to_string(),
        c.stage.hubspot_name().to_string(),
        c.lead_status.to_string(),
        c.owner.name.to_string(),
        c.source.to_string(),
        c.industry.to_string(),
        c.employees.to_string(),
        segment(c.employees).to_string(),
        c.country.to_string(),
        fmt(c.created),
        fmt(c.created),
        opt(c.dates[0]),
        opt(c.dates[1]),
        opt(c.dates[2]),
        opt(c.dates[3]),
    ]
}

fn pipedrive_row(rng: &mut Rng, deal_id: u64, c: &Contact, now: NaiveDateTime) -> Vec<String> {
    let created = c.dates[2].expect("deals exist for opportunities");
    let (status, stage, won, lost, reason, last_change) = match c.deal.as_ref() {
        Some(DealOutcome::Won(t)) => ("won", "Negotiations started", Some(*t), None, "", *t),
        Some(DealOutcome::Lost(t, r)) => {
            ("lost", *rng.pick(&DEAL_STAGES[1..]), None, Some(*t), *r, *t)
        }
        _ => {
            let stage = *rng.pick(&DEAL_STAGES);
            let since = created + Duration::minutes(((now - created).num_minutes() / 2).max(1));
            ("open", stage, None, None, "", since)
        }
    };
    let expected = created.date() + Duration::days(rng.range(30, 75));
    vec![
        deal_id.to_string(),
        format!("{} – Larkspur platform", c.company),
        c.deal_value.to_string(),
        "EUR".to_string(),
        "Sales pipeline".to_string(),
        stage.to_string(),
        status.to_string(),
        c.owner.name.to_string(),
        c.source.to_string(),
        fmt_secs(created),
        expected.format("%Y-%m-%d").to_string(),
        won.map(fmt_secs).unwrap_or_default(),
        lost.map(fmt_secs).unwrap_or_default(),
        reason.to_string(),
        fmt_secs(last_change),
        c.company.clone(),
        format!("{} {}", c.first, c.last),
    ]
}

/// Generate both export files. Same output on every run and platform.
pub fn generate() -> DemoFiles {
    let contacts = contacts();
    let now = exported_at();
    let hubspot_contacts = write_csv(&HUBSPOT_HEADER, contacts.iter().map(hubspot_row));
    let mut rng = Rng::new(SEED ^ 0xDEA1);
    let mut deal_id = 4100u64;
    let deals: Vec<Vec<String>> = contacts
        .iter()
        .filter(|c| c.deal.is_some())
        .map(|c| {
            deal_id += 1;
            pipedrive_row(&mut rng, deal_id, c, now)
        })
        .collect();
    let pipedrive_deals = write_csv(&PIPEDRIVE_HEADER, deals.into_iter());
    DemoFiles {
        hubspot_contacts,
        pipedrive_deals,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(bytes: &[u8]) -> (Vec<String>, Vec<csv::StringRecord>) {
        let mut r = csv::Reader::from_reader(bytes);
        let h = r.headers().unwrap().iter().map(str::to_string).collect();
        (h, r.records().map(Result::unwrap).collect())
    }

    #[test]
    fn generation_is_deterministic() {
        let (a, b) = (generate(), generate());
        assert_eq!(a.hubspot_contacts, b.hubspot_contacts);
        assert_eq!(a.pipedrive_deals, b.pipedrive_deals);
    }

    #[test]
    fn hubspot_export_looks_like_a_real_funnel() {
        let files = generate();
        let (header, recs) = rows(&files.hubspot_contacts);
        assert_eq!(header, HUBSPOT_HEADER);
        assert!(
            (2500..4500).contains(&recs.len()),
            "{} contacts",
            recs.len()
        );
        let col = |name: &str| header.iter().position(|h| h == name).unwrap();
        let count_stage = |stage: &str| {
            recs.iter()
                .filter(|r| &r[col("Lifecycle Stage")] == stage)
                .count()
        };
        let reached = |c: &str| recs.iter().filter(|r| !r[col(c)].is_empty()).count() as f64;
        let leads = recs.len() as f64;
        let mql = reached("Became a Marketing Qualified Lead Date");
        let sql = reached("Became a Sales Qualified Lead Date");
        let opp = reached("Became an Opportunity Date");
        let won = reached("Became a Customer Date");
        // Plausible B2B conversions, each step narrower than the one before.
        assert!(
            (0.2..0.5).contains(&(mql / leads)),
            "lead→MQL {}",
            mql / leads
        );
        assert!((0.3..0.7).contains(&(sql / mql)), "MQL→SQL {}", sql / mql);
        assert!((0.4..0.8).contains(&(opp / sql)), "SQL→opp {}", opp / sql);
        assert!((0.12..0.4).contains(&(won / opp)), "opp→won {}", won / opp);
        assert!(count_stage("Customer") > 50);
        // Several sources, owners and months are represented.
        let distinct = |c: &str| {
            let mut v: Vec<&str> = recs.iter().map(|r| r.get(col(c)).unwrap()).collect();
            v.sort();
            v.dedup();
            v.len()
        };
        assert!(distinct("Original Source") >= 7);
        assert!(distinct("Contact owner") >= 5);
        let months = {
            let mut v: Vec<&str> = recs.iter().map(|r| &r[col("Create Date")][..7]).collect();
            v.sort();
            v.dedup();
            v.len()
        };
        assert_eq!(months, 18);
        // A few records skip MQL, and a few flaws are present for the quality checks.
        let skipped = recs
            .iter()
            .filter(|r| {
                r[col("Became a Marketing Qualified Lead Date")].is_empty()
                    && !r[col("Became a Sales Qualified Lead Date")].is_empty()
            })
            .count();
        assert!((5..200).contains(&skipped), "{skipped} skipped MQL");
        let unowned = recs
            .iter()
            .filter(|r| r[col("Contact owner")].is_empty())
            .count();
        assert!((1..=12).contains(&unowned));
    }

    #[test]
    fn every_deal_has_a_consistent_status() {
        let files = generate();
        let (header, recs) = rows(&files.pipedrive_deals);
        assert_eq!(header, PIPEDRIVE_HEADER);
        let col = |name: &str| header.iter().position(|h| h == name).unwrap();
        let (status, won_at, lost_at, reason) = (
            col("Deal - Status"),
            col("Deal - Won time"),
            col("Deal - Lost time"),
            col("Deal - Lost reason"),
        );
        let (mut won, mut lost, mut open) = (0, 0, 0);
        for r in &recs {
            match &r[status] {
                "won" => {
                    won += 1;
                    assert!(!r[won_at].is_empty() && r[lost_at].is_empty());
                }
                "lost" => {
                    lost += 1;
                    assert!(!r[lost_at].is_empty() && !r[reason].is_empty());
                }
                "open" => {
                    open += 1;
                    assert!(r[won_at].is_empty() && r[lost_at].is_empty());
                }
                other => panic!("unexpected status {other}"),
            }
        }
        assert!(
            won > 50 && lost > won && open > 10,
            "{won} won, {lost} lost, {open} open"
        );
    }
}
