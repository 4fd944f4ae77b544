//! Presets for the CRM exports Baton knows (see `../shared/docs/crm-exports.md`): each is
//! recognised from the header and turned into a [`Profile`] naming this file's columns.

use crate::options::Profile;
use crate::table::normalise;
use std::collections::BTreeMap;

/// Header names a role may have (English first, then translations).
type Names = &'static [&'static str];

pub struct Preset {
    pub name: &'static str,
    pub label: &'static str,
    kind: &'static str,
    /// Each group must match at least one column for the preset to apply...
    required: &'static [Names],
    /// ...or any one of these columns does (Salesforce API field names: `StageName`,
    /// `IsConverted`, as Data Loader, Workbench or the API export them).
    also_detected_by: Names,
    record_id: Names,
    /// Fallback record key when there is no id column (Salesforce reports often have none).
    record_key: &'static [Names],
    stage_column: Names,
    stage_values: &'static [(&'static str, &'static str)],
    stage_default: Option<&'static str>,
    converted_column: Names,
    /// A yes/no column telling the record is closed (Salesforce's `IsClosed`): closed and
    /// not won is lost.
    closed_column: Names,
    outcome_column: Names,
    outcome_values: &'static [(&'static str, &'static str)],
    created_date: Names,
    close_date: Names,
    won_date: Names,
    lost_date: Names,
    stage_dates: &'static [(&'static str, Names)],
    /// Columns like `Became a Lead Date` / `Date entered "Lead (…)"` read through a function.
    dynamic_stage_dates: Option<fn(&str) -> Option<&'static str>>,
    dynamic_lost_date: Option<fn(&str) -> bool>,
    /// The stage a record enters when it is created (a deal is an opportunity from the
    /// day it is opened), dated by the created-date column when no column dates it.
    created_stage: Option<&'static str>,
    fields: &'static [(&'static str, Names)],
    personal: &'static [(&'static str, Names)],
}

/// Every preset, in detection tie-break order.
pub fn all() -> &'static [Preset] {
    PRESETS
}

/// Every header name some preset reads as a personal column (names, e-mail, phone), in
/// any language: such columns are treated as personal whatever the file.
pub fn personal_header_names() -> impl Iterator<Item = &'static str> {
    PRESETS.iter().flat_map(|p| {
        p.personal
            .iter()
            .flat_map(|(_, names)| names.iter().copied())
    })
}

pub fn by_name(name: &str) -> Option<&'static Preset> {
    let n = name.trim().to_ascii_lowercase().replace('_', "-");
    PRESETS.iter().find(|p| p.name == n)
}

/// The preset matching the header best, if any matches.
pub fn detect(header: &[String]) -> Option<&'static Preset> {
    let norm: Vec<String> = header.iter().map(|h| normalise(h)).collect();
    PRESETS
        .iter()
        .filter_map(|p| p.score(&norm).map(|s| (s, p)))
        .fold(None, |best: Option<(usize, &Preset)>, (s, p)| match best {
            Some((bs, _)) if bs >= s => best,
            _ => Some((s, p)),
        })
        .map(|(_, p)| p)
}

fn find<'h>(norm: &[String], header: &'h [String], names: Names) -> Option<&'h str> {
    names.iter().find_map(|n| {
        let n = normalise(n);
        norm.iter()
            .position(|h| *h == n)
            .map(|i| header[i].as_str())
    })
}

impl Preset {
    /// Number of columns this preset would read, or `None` if a required column is missing.
    fn score(&self, norm: &[String]) -> Option<usize> {
        let has = |names: Names| names.iter().any(|n| norm.contains(&normalise(n)));
        if !self.required.iter().all(|g| has(g)) && !has(self.also_detected_by) {
            return None;
        }
        let mut score = 0;
        let groups = [
            self.record_id,
            self.stage_column,
            self.converted_column,
            self.closed_column,
            self.outcome_column,
            self.created_date,
            self.close_date,
            self.won_date,
            self.lost_date,
        ];
        score += groups.iter().filter(|g| has(g)).count();
        score += self.fields.iter().filter(|(_, g)| has(g)).count();
        score += self.personal.iter().filter(|(_, g)| has(g)).count();
        score += self.stage_dates.iter().filter(|(_, g)| has(g)).count();
        if let Some(f) = self.dynamic_stage_dates {
            score += norm.iter().filter(|h| f(h).is_some()).count();
        }
        Some(score)
    }

    /// The profile reading `header` with this preset.
    pub fn profile(&self, header: &[String]) -> Profile {
        let norm: Vec<String> = header.iter().map(|h| normalise(h)).collect();
        let col = |names: Names| find(&norm, header, names).map(str::to_string);
        let mut stage_dates: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (stage, names) in self.stage_dates {
            if let Some(c) = col(names) {
                stage_dates.entry(stage.to_string()).or_default().push(c);
            }
        }
        if let Some(f) = self.dynamic_stage_dates {
            for (h, n) in header.iter().zip(&norm) {
                if let Some(stage) = f(n) {
                    stage_dates
                        .entry(stage.to_string())
                        .or_default()
                        .push(h.clone());
                }
            }
        }
        if let (Some(stage), Some(created)) = (self.created_stage, col(self.created_date)) {
            stage_dates
                .entry(stage.to_string())
                .or_insert_with(|| vec![created]);
        }
        let mut lost_date = col(self.lost_date);
        if let (None, Some(f)) = (&lost_date, self.dynamic_lost_date) {
            lost_date = header
                .iter()
                .zip(&norm)
                .find(|(_, n)| f(n))
                .map(|(h, _)| h.clone());
        }
        let record_id = col(self.record_id);
        let record_key = if record_id.is_none() {
            self.record_key.iter().filter_map(|n| col(n)).collect()
        } else {
            Vec::new()
        };
        let map_of = |pairs: &[(&str, Names)]| -> BTreeMap<String, String> {
            pairs
                .iter()
                .filter_map(|(field, names)| col(names).map(|c| (field.to_string(), c)))
                .collect()
        };
        let stage_column = col(self.stage_column);
        Profile {
            name: Some(self.name.to_string()),
            kind: Some(self.kind.to_string()),
            record_id,
            record_key,
            stage_dates,
            stage_values: if stage_column.is_some() {
                pairs(self.stage_values)
            } else {
                BTreeMap::new()
            },
            stage_default: stage_column
                .as_ref()
                .and(self.stage_default.map(str::to_string)),
            stage_column,
            converted_column: col(self.converted_column),
            closed_column: col(self.closed_column),
            converted_stage: None,
            outcome_values: if col(self.outcome_column).is_some() {
                pairs(self.outcome_values)
            } else {
                BTreeMap::new()
            },
            outcome_column: col(self.outcome_column),
            created_date: col(self.created_date),
            close_date: col(self.close_date),
            won_date: col(self.won_date),
            lost_date,
            fields: map_of(self.fields),
            personal: map_of(self.personal),
            date_format: None,
            date_formats: BTreeMap::new(),
        }
    }
}

fn pairs(p: &[(&str, &str)]) -> BTreeMap<String, String> {
    p.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

// ---- HubSpot ------------------------------------------------------------------------

const HUBSPOT_LIFECYCLE: &[(&str, &str)] = &[
    ("Subscriber", "lead"),
    ("subscriber", "lead"),
    ("Lead", "lead"),
    ("Marketing Qualified Lead", "mql"),
    ("marketingqualifiedlead", "mql"),
    ("Sales Qualified Lead", "sql"),
    ("salesqualifiedlead", "sql"),
    ("Opportunity", "opportunity"),
    ("Customer", "customer"),
    ("Evangelist", "customer"),
];

const HUBSPOT_DEAL_STAGES: &[(&str, &str)] = &[
    ("Appointment Scheduled", "opportunity"),
    ("appointmentscheduled", "opportunity"),
    ("Qualified To Buy", "opportunity"),
    ("qualifiedtobuy", "opportunity"),
    ("Presentation Scheduled", "opportunity"),
    ("presentationscheduled", "opportunity"),
    ("Decision Maker Bought-In", "opportunity"),
    ("decisionmakerboughtin", "opportunity"),
    ("Contract Sent", "opportunity"),
    ("contractsent", "opportunity"),
    ("Closed Won", "customer"),
    ("closedwon", "customer"),
    ("Closed Lost", "lost"),
    ("closedlost", "lost"),
];

/// Lifecycle stage named in a HubSpot stage-date header. Subscriber and Evangelist dates are
/// not the dates of entering `lead`/`customer`, so they are not read.
fn hubspot_lifecycle_stage(name: &str) -> Option<&'static str> {
    match name.trim() {
        "lead" => Some("lead"),
        "marketing qualified lead" | "mql" => Some("mql"),
        "sales qualified lead" | "sql" => Some("sql"),
        "opportunity" => Some("opportunity"),
        "customer" => Some("customer"),
        _ => None,
    }
}

/// `Became a Lead Date`, `Became an Opportunity Date`, `Date entered "Lead (Lifecycle Stage Pipeline)"`.
fn hubspot_contact_stage_date(h: &str) -> Option<&'static str> {
    if let Some(rest) = h.strip_prefix("became a") {
        let rest = rest.strip_prefix('n').unwrap_or(rest);
        return hubspot_lifecycle_stage(rest.strip_suffix(" date")?);
    }
    let stage = date_entered_stage(h)?;
    hubspot_lifecycle_stage(stage)
}

/// The stage inside `date entered "stage (pipeline)"` (normalised header).
fn date_entered_stage(h: &str) -> Option<&str> {
    let inner = h.strip_prefix("date entered \"")?.strip_suffix('"')?;
    Some(match inner.rfind(" (") {
        Some(i) if inner.ends_with(')') => &inner[..i],
        _ => inner,
    })
}

fn hubspot_deal_stage_date(h: &str) -> Option<&'static str> {
    let stage = date_entered_stage(h)?;
    match stage {
        "closed won" => Some("customer"),
        "closed lost" => None,
        s if HUBSPOT_DEAL_STAGES
            .iter()
            .any(|(v, id)| normalise(v) == s && *id == "opportunity") =>
        {
            Some("opportunity")
        }
        _ => None,
    }
}

fn hubspot_deal_lost_date(h: &str) -> bool {
    date_entered_stage(h) == Some("closed lost")
}

// ---- Salesforce ---------------------------------------------------------------------

const SF_LEAD_STATUS: &[(&str, &str)] = &[
    ("Open - Not Contacted", "lead"),
    ("Working - Contacted", "lead"),
    ("Closed - Converted", "sql"),
    ("Closed - Not Converted", "lost"),
    ("Ouvert - Non contacté", "lead"),
    ("En cours - Contacté", "lead"),
    ("Fermé - Converti", "sql"),
    ("Fermé - Non converti", "lost"),
    ("Offen - Nicht kontaktiert", "lead"),
    ("In Bearbeitung - Kontaktiert", "lead"),
    ("Geschlossen - Konvertiert", "sql"),
    ("Geschlossen - Nicht konvertiert", "lost"),
    ("Open", "lead"),
    ("Working", "lead"),
    ("Nurturing", "lead"),
    ("MQL", "mql"),
    ("Marketing Qualified", "mql"),
    ("SQL", "sql"),
    ("Sales Qualified", "sql"),
    ("Qualified", "sql"),
    ("Converted", "sql"),
    ("Unqualified", "lost"),
    ("Disqualified", "lost"),
];

const SF_OPP_STAGES: &[(&str, &str)] = &[
    ("Closed Won", "customer"),
    ("Closed Lost", "lost"),
    ("Fermée gagnée", "customer"),
    ("Fermée/Gagnée", "customer"),
    ("Gagnée", "customer"),
    ("Fermée perdue", "lost"),
    ("Fermée/Perdue", "lost"),
    ("Perdue", "lost"),
    ("Geschlossen und gewonnen", "customer"),
    ("Geschlossen/Gewonnen", "customer"),
    ("Gewonnen", "customer"),
    ("Geschlossen und verloren", "lost"),
    ("Geschlossen/Verloren", "lost"),
    ("Verloren", "lost"),
];

// ---- Pipedrive / Zoho ---------------------------------------------------------------

const PIPEDRIVE_STATUS: &[(&str, &str)] = &[
    ("open", "opportunity"),
    ("won", "customer"),
    ("lost", "lost"),
    ("deleted", "lost"),
    ("otevřený", "opportunity"),
    ("otevřeno", "opportunity"),
    ("vyhráno", "customer"),
    ("vyhraný", "customer"),
    ("prohráno", "lost"),
    ("prohraný", "lost"),
    ("offen", "opportunity"),
    ("gewonnen", "customer"),
    ("verloren", "lost"),
    ("ouvert", "opportunity"),
    ("gagné", "customer"),
    ("perdu", "lost"),
];

const ZOHO_LEAD_STATUS: &[(&str, &str)] = &[
    ("Not Contacted", "lead"),
    ("Attempted to Contact", "lead"),
    ("Contact in Future", "lead"),
    ("Contacted", "lead"),
    ("Pre-Qualified", "mql"),
    ("Pre Qualified", "mql"),
    ("Qualified", "sql"),
    ("Not Qualified", "lost"),
    ("Junk Lead", "lost"),
    ("Lost Lead", "lost"),
];

const ZOHO_DEAL_STAGES: &[(&str, &str)] = &[
    ("Closed Won", "customer"),
    ("Closed (Won)", "customer"),
    ("Closed Lost", "lost"),
    ("Closed (Lost)", "lost"),
    ("Closed-Lost to Competition", "lost"),
    ("Closed Lost to Competition", "lost"),
];

static PRESETS: &[Preset] = &[
    Preset {
        name: "hubspot-contacts",
        label: "HubSpot contacts",
        kind: "contact",
        required: &[
            &["Record ID", "Contact ID"],
            &[
                "Lifecycle Stage",
                "Lead Status",
                "Contact owner",
                "Create Date",
                "Original Source",
                "Became a Lead Date",
                "Became a Marketing Qualified Lead Date",
            ],
        ],
        record_id: &["Record ID", "Contact ID"],
        also_detected_by: &[],
        record_key: &[],
        stage_column: &["Lifecycle Stage"],
        stage_values: HUBSPOT_LIFECYCLE,
        stage_default: None,
        converted_column: &[],
        closed_column: &[],
        outcome_column: &[],
        outcome_values: &[],
        created_date: &["Create Date", "Created Date"],
        close_date: &[],
        won_date: &[],
        lost_date: &[],
        stage_dates: &[],
        dynamic_stage_dates: Some(hubspot_contact_stage_date),
        dynamic_lost_date: None,
        created_stage: None,
        fields: &[
            (
                "source",
                &["Original Source", "Original Source Type", "Latest Source"],
            ),
            (
                "campaign",
                &["Original Source Drill-Down 1", "First Campaign", "Campaign"],
            ),
            (
                "owner",
                &["Contact owner", "Contact Owner", "HubSpot Owner"],
            ),
            ("segment", &["Segment", "Customer Segment"]),
            ("industry", &["Industry"]),
            ("country", &["Country/Region", "Country"]),
            (
                "company_size",
                &["Number of Employees", "Company size", "Company Size"],
            ),
            ("amount", &["Total Revenue"]),
            ("lead_status", &["Lead Status"]),
            ("persona", &["Persona"]),
            ("company", &["Company Name", "Associated Company"]),
        ],
        personal: &[
            ("first_name", &["First Name"]),
            ("last_name", &["Last Name"]),
            ("email", &["Email"]),
            ("phone", &["Phone Number"]),
            ("mobile", &["Mobile Phone Number"]),
        ],
    },
    Preset {
        name: "hubspot-deals",
        label: "HubSpot deals",
        kind: "deal",
        required: &[&["Record ID", "Deal ID"], &["Deal Stage"]],
        record_id: &["Record ID", "Deal ID"],
        also_detected_by: &[],
        record_key: &[],
        stage_column: &["Deal Stage"],
        stage_values: HUBSPOT_DEAL_STAGES,
        stage_default: Some("opportunity"),
        converted_column: &[],
        closed_column: &[],
        outcome_column: &[],
        outcome_values: &[],
        created_date: &["Create Date", "Created Date"],
        close_date: &["Close Date"],
        won_date: &[],
        lost_date: &[],
        stage_dates: &[],
        dynamic_stage_dates: Some(hubspot_deal_stage_date),
        dynamic_lost_date: Some(hubspot_deal_lost_date),
        created_stage: Some("opportunity"),
        fields: &[
            ("owner", &["Deal owner", "Deal Owner"]),
            ("amount", &["Amount", "Amount in company currency"]),
            (
                "source",
                &["Original Source Type", "Original Source", "Source"],
            ),
            ("campaign", &["Campaign"]),
            ("lost_reason", &["Closed Lost Reason", "Lost Reason"]),
            ("segment", &["Deal Type"]),
            ("pipeline", &["Pipeline"]),
            ("deal_name", &["Deal Name"]),
        ],
        personal: &[],
    },
    Preset {
        name: "salesforce-leads",
        label: "Salesforce leads",
        kind: "lead",
        required: &[
            &[
                "Lead Owner",
                "Propriétaire du prospect",
                "Propriétaire de la piste",
                "Lead-Inhaber",
                "Lead-Besitzer",
            ],
            &[
                "Lead Status",
                "Statut du prospect",
                "Statut de la piste",
                "Lead-Status",
            ],
        ],
        record_id: &[
            "Lead ID",
            "ID du prospect",
            "ID de la piste",
            "Lead-ID",
            "Id",
        ],
        also_detected_by: &[
            "IsConverted",
            "ConvertedDate",
            "ConvertedOpportunityId",
            "ConvertedAccountId",
            "ConvertedContactId",
        ],
        record_key: &[
            &["First Name", "Prénom", "Vorname"],
            &["Last Name", "Nom", "Nachname"],
            &[
                "Company / Account",
                "Company",
                "Société / Compte",
                "Société",
                "Firma / Account",
                "Firma",
            ],
            &[
                "Created Date",
                "Date de création",
                "Erstelldatum",
                "Erstellt am",
            ],
        ],
        stage_column: &[
            "Lead Status",
            "Statut du prospect",
            "Statut de la piste",
            "Lead-Status",
            "Status",
        ],
        stage_values: SF_LEAD_STATUS,
        stage_default: Some("lead"),
        converted_column: &["Converted", "Converti", "Konvertiert", "IsConverted"],
        closed_column: &[],
        outcome_column: &[],
        outcome_values: &[],
        created_date: &[
            "Created Date",
            "Date de création",
            "Erstelldatum",
            "Erstellt am",
            "CreatedDate",
        ],
        close_date: &[],
        won_date: &[],
        lost_date: &[],
        stage_dates: &[(
            "sql",
            &[
                "Converted Date",
                "Date de conversion",
                "Konvertierungsdatum",
                "Umwandlungsdatum",
                "ConvertedDate",
            ],
        )],
        dynamic_stage_dates: None,
        dynamic_lost_date: None,
        created_stage: None,
        fields: &[
            (
                "owner",
                &[
                    "Lead Owner",
                    "Propriétaire du prospect",
                    "Propriétaire de la piste",
                    "Lead-Inhaber",
                    "Lead-Besitzer",
                    "OwnerId",
                ],
            ),
            (
                "source",
                &[
                    "Lead Source",
                    "Origine du prospect",
                    "Origine de la piste",
                    "Lead-Quelle",
                    "LeadSource",
                ],
            ),
            (
                "campaign",
                &["Campaign", "Campaign Name", "Campagne", "Kampagne"],
            ),
            ("industry", &["Industry", "Secteur d'activité", "Branche"]),
            ("country", &["Country", "Pays", "Land"]),
            (
                "company_size",
                &[
                    "No. of Employees",
                    "Employees",
                    "Nombre d'employés",
                    "Anzahl der Mitarbeiter",
                    "Mitarbeiter",
                    "NumberOfEmployees",
                ],
            ),
            ("segment", &["Rating", "Évaluation", "Bewertung"]),
            ("converted_opportunity_id", &["ConvertedOpportunityId"]),
            (
                "company",
                &[
                    "Company / Account",
                    "Company",
                    "Société / Compte",
                    "Société",
                    "Firma / Account",
                    "Firma",
                ],
            ),
        ],
        personal: &[
            (
                "first_name",
                &["First Name", "Prénom", "Vorname", "FirstName"],
            ),
            ("last_name", &["Last Name", "Nom", "Nachname", "LastName"]),
            ("email", &["Email", "E-mail", "Adresse e-mail", "E-Mail"]),
            ("phone", &["Phone", "Téléphone", "Telefon"]),
            (
                "mobile",
                &["Mobile", "Mobile Phone", "Portable", "Mobil", "MobilePhone"],
            ),
        ],
    },
    Preset {
        name: "salesforce-opportunities",
        label: "Salesforce opportunities",
        kind: "deal",
        required: &[
            &[
                "Opportunity Name",
                "Nom de l'opportunité",
                "Opportunity-Name",
                "Opportunityname",
            ],
            &["Stage", "Étape", "Phase"],
        ],
        record_id: &[
            "Opportunity ID",
            "ID de l'opportunité",
            "Opportunity-ID",
            "Id",
        ],
        also_detected_by: &["StageName", "IsWon", "ForecastCategoryName"],
        record_key: &[
            &[
                "Account Name",
                "Nom du compte",
                "Accountname",
                "Account-Name",
            ],
            &[
                "Opportunity Name",
                "Nom de l'opportunité",
                "Opportunity-Name",
                "Opportunityname",
            ],
            &[
                "Created Date",
                "Date de création",
                "Erstelldatum",
                "Erstellt am",
            ],
        ],
        stage_column: &["Stage", "Étape", "Phase", "StageName"],
        stage_values: SF_OPP_STAGES,
        stage_default: Some("opportunity"),
        converted_column: &[],
        closed_column: &["IsClosed"],
        outcome_column: &["IsWon"],
        outcome_values: &[("true", "won")],
        created_date: &[
            "Created Date",
            "Date de création",
            "Erstelldatum",
            "Erstellt am",
            "CreatedDate",
        ],
        close_date: &[
            "Close Date",
            "Date de clôture",
            "Schlusstermin",
            "Abschlussdatum",
            "CloseDate",
        ],
        won_date: &[],
        lost_date: &[],
        stage_dates: &[],
        dynamic_stage_dates: None,
        dynamic_lost_date: None,
        created_stage: Some("opportunity"),
        fields: &[
            (
                "owner",
                &[
                    "Opportunity Owner",
                    "Propriétaire de l'opportunité",
                    "Opportunity-Inhaber",
                    "Opportunity-Besitzer",
                    "OwnerId",
                ],
            ),
            ("amount", &["Amount", "Montant", "Betrag"]),
            (
                "source",
                &[
                    "Lead Source",
                    "Origine de la piste",
                    "Origine du prospect",
                    "Lead-Quelle",
                    "LeadSource",
                ],
            ),
            (
                "campaign",
                &[
                    "Primary Campaign Source",
                    "Source de la campagne principale",
                    "Primäre Kampagnenquelle",
                    "CampaignId",
                ],
            ),
            ("segment", &["Type", "Typ"]),
            (
                "lost_reason",
                &[
                    "Loss Reason",
                    "Lost Reason",
                    "Raison de la perte",
                    "Verlustgrund",
                ],
            ),
            ("industry", &["Industry", "Secteur d'activité", "Branche"]),
            (
                "account",
                &[
                    "Account Name",
                    "Nom du compte",
                    "Accountname",
                    "Account-Name",
                    "AccountId",
                ],
            ),
            (
                "probability",
                &[
                    "Probability (%)",
                    "Probabilité (%)",
                    "Wahrscheinlichkeit (%)",
                    "Probability",
                ],
            ),
        ],
        personal: &[],
    },
    Preset {
        name: "pipedrive-deals",
        label: "Pipedrive deals",
        kind: "deal",
        required: &[
            &["Deal - ID", "Obchod - ID"],
            &[
                "Deal - Status",
                "Obchod - Stav",
                "Deal - Stage",
                "Obchod - Fáze",
            ],
        ],
        record_id: &["Deal - ID", "Obchod - ID"],
        also_detected_by: &[],
        record_key: &[],
        stage_column: &["Deal - Status", "Obchod - Stav"],
        stage_values: PIPEDRIVE_STATUS,
        stage_default: Some("opportunity"),
        converted_column: &[],
        closed_column: &[],
        outcome_column: &[],
        outcome_values: &[],
        created_date: &[
            "Deal - Deal created",
            "Obchod - Obchod vytvořen",
            "Deal - Created",
        ],
        close_date: &["Deal - Closed on", "Obchod - Uzavřeno"],
        won_date: &["Deal - Won time", "Obchod - Datum výhry"],
        lost_date: &["Deal - Lost time", "Obchod - Datum prohry"],
        stage_dates: &[],
        dynamic_stage_dates: None,
        dynamic_lost_date: None,
        created_stage: Some("opportunity"),
        fields: &[
            ("owner", &["Deal - Owner", "Obchod - Vlastník"]),
            ("amount", &["Deal - Value", "Obchod - Hodnota"]),
            (
                "lost_reason",
                &["Deal - Lost reason", "Obchod - Důvod prohry"],
            ),
            (
                "source",
                &["Deal - Source", "Deal - Lead source", "Obchod - Zdroj"],
            ),
            ("pipeline", &["Deal - Pipeline", "Obchod - Pipeline"]),
            ("crm_stage", &["Deal - Stage", "Obchod - Fáze"]),
            (
                "currency",
                &[
                    "Deal - Currency of value",
                    "Deal - Currency",
                    "Obchod - Měna hodnoty",
                ],
            ),
            (
                "organization",
                &["Organization", "Deal - Organization", "Organizace"],
            ),
        ],
        personal: &[(
            "contact_person",
            &["Contact person", "Deal - Contact person", "Kontaktní osoba"],
        )],
    },
    Preset {
        name: "zoho-leads",
        label: "Zoho CRM leads",
        kind: "lead",
        required: &[
            &["Record Id"],
            &["Lead Status"],
            &[
                "Is Converted",
                "Lead Owner.id",
                "Lead Owner",
                "Created Time",
            ],
        ],
        record_id: &["Record Id"],
        also_detected_by: &[],
        record_key: &[],
        stage_column: &["Lead Status"],
        stage_values: ZOHO_LEAD_STATUS,
        stage_default: Some("lead"),
        converted_column: &["Is Converted"],
        closed_column: &[],
        outcome_column: &[],
        outcome_values: &[],
        created_date: &["Created Time"],
        close_date: &[],
        won_date: &[],
        lost_date: &[],
        stage_dates: &[],
        dynamic_stage_dates: None,
        dynamic_lost_date: None,
        created_stage: None,
        fields: &[
            ("source", &["Lead Source"]),
            ("owner", &["Lead Owner", "Lead Owner.id"]),
            ("industry", &["Industry"]),
            ("country", &["Country"]),
            ("company_size", &["No. of Employees"]),
            ("campaign", &["Campaign Source"]),
            ("company", &["Company"]),
        ],
        personal: &[
            ("first_name", &["First Name"]),
            ("last_name", &["Last Name"]),
            ("email", &["Email"]),
            ("phone", &["Phone"]),
            ("mobile", &["Mobile"]),
        ],
    },
    Preset {
        name: "zoho-deals",
        label: "Zoho CRM deals",
        kind: "deal",
        required: &[&["Record Id"], &["Stage"], &["Deal Name", "Closing Date"]],
        record_id: &["Record Id"],
        also_detected_by: &[],
        record_key: &[],
        stage_column: &["Stage"],
        stage_values: ZOHO_DEAL_STAGES,
        stage_default: Some("opportunity"),
        converted_column: &[],
        closed_column: &[],
        outcome_column: &[],
        outcome_values: &[],
        created_date: &["Created Time"],
        close_date: &["Closing Date"],
        won_date: &[],
        lost_date: &[],
        stage_dates: &[],
        dynamic_stage_dates: None,
        dynamic_lost_date: None,
        created_stage: Some("opportunity"),
        fields: &[
            ("owner", &["Deal Owner", "Deal Owner.id"]),
            ("amount", &["Amount"]),
            ("source", &["Lead Source"]),
            ("campaign", &["Campaign Source"]),
            ("lost_reason", &["Reason For Loss", "Reason for Loss"]),
            ("segment", &["Type"]),
            ("account", &["Account Name"]),
            ("deal_name", &["Deal Name"]),
        ],
        personal: &[("contact_name", &["Contact Name"])],
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    fn h(cols: &[&str]) -> Vec<String> {
        cols.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn hubspot_stage_date_shapes() {
        assert_eq!(
            hubspot_contact_stage_date("became a marketing qualified lead date"),
            Some("mql")
        );
        assert_eq!(
            hubspot_contact_stage_date("became an opportunity date"),
            Some("opportunity")
        );
        assert_eq!(hubspot_contact_stage_date("became a subscriber date"), None);
        assert_eq!(
            hubspot_contact_stage_date(
                "date entered \"sales qualified lead (lifecycle stage pipeline)\""
            ),
            Some("sql")
        );
        assert_eq!(
            hubspot_contact_stage_date("date exited \"lead (lifecycle stage pipeline)\""),
            None
        );
        assert_eq!(
            hubspot_deal_stage_date("date entered \"closed won (sales pipeline)\""),
            Some("customer")
        );
        assert!(hubspot_deal_lost_date(
            "date entered \"closed lost (sales pipeline)\""
        ));
    }

    #[test]
    fn detection_picks_the_right_crm() {
        let cases: &[(&[&str], &str)] = &[
            (
                &[
                    "Record ID",
                    "First Name",
                    "Last Name",
                    "Email",
                    "Phone Number",
                    "Lead Status",
                    "Create Date",
                ],
                "hubspot-contacts",
            ),
            (
                &[
                    "Record ID",
                    "Deal Name",
                    "Last Activity Date",
                    "State",
                    "Deal Stage",
                    "Close Date",
                    "Deal owner",
                    "Amount",
                    "Pipeline",
                ],
                "hubspot-deals",
            ),
            (
                &[
                    "Lead Owner",
                    "First Name",
                    "Last Name",
                    "Company / Account",
                    "Lead Source",
                    "Lead Status",
                    "Created Date",
                ],
                "salesforce-leads",
            ),
            (
                &[
                    "Propriétaire de l'opportunité",
                    "Nom du compte",
                    "Nom de l'opportunité",
                    "Étape",
                    "Montant",
                    "Date de création",
                    "Date de clôture",
                ],
                "salesforce-opportunities",
            ),
            (
                &[
                    "Opportunity-Inhaber",
                    "Accountname",
                    "Opportunity-Name",
                    "Phase",
                    "Betrag",
                    "Erstelldatum",
                    "Schlusstermin",
                ],
                "salesforce-opportunities",
            ),
            (
                &[
                    "Deal - ID",
                    "Deal - Title",
                    "Deal - Value",
                    "Deal - Stage",
                    "Deal - Status",
                    "Deal - Won time",
                ],
                "pipedrive-deals",
            ),
            (
                &[
                    "Record Id",
                    "Lead Source",
                    "Lead Status",
                    "First Name",
                    "Last Name",
                    "Company",
                    "Email",
                    "Phone",
                    "Mobile",
                    "Is Converted",
                    "Lead Owner.id",
                    "Created Time",
                ],
                "zoho-leads",
            ),
            (
                &[
                    "Record Id",
                    "Deal Name",
                    "Account Name",
                    "Account Name.id",
                    "Contact Name",
                    "Stage",
                    "Closing Date",
                    "Amount",
                ],
                "zoho-deals",
            ),
        ];
        for (header, want) in cases {
            let got = detect(&h(header)).map(|p| p.name);
            assert_eq!(got, Some(*want), "{header:?}");
        }
        assert!(detect(&h(&["a", "b", "c"])).is_none());
    }

    #[test]
    fn salesforce_without_id_uses_a_composite_key() {
        let header = h(&[
            "Lead Owner",
            "First Name",
            "Last Name",
            "Company / Account",
            "Lead Source",
            "Lead Status",
            "Created Date",
        ]);
        let p = by_name("salesforce-leads").unwrap().profile(&header);
        assert_eq!(p.record_id, None);
        assert_eq!(
            p.record_key,
            [
                "First Name",
                "Last Name",
                "Company / Account",
                "Created Date"
            ]
        );
        assert_eq!(p.fields["source"], "Lead Source");
    }
}
