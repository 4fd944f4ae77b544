//! Workshop: people, personas, vocabulary and agreements, diagnostic, sessions,
//! action items, dot votes and campaigns. Each command forwards to one
//! `baton_service` function.
use crate::state::{call, Svc};
use baton_core::agreement::{Agreement, BlindRound, DefinitionContent, Subject, VocabularyView};
use baton_core::diagnostic::{DiagnosticRun, DiagnosticStatement, TrendPoint};
use baton_core::persona::{Criteria, Persona, PersonaInput, PersonaMatch, ValueCount};
use baton_core::workshop::{
    ActionInput, ActionItem, ActionStatus, Campaign, DotVote, FeedbackSummary, LeadQuality, Person,
    Session, SessionInput, Team,
};
use baton_core::Result;
use baton_service::workshop::campaigns::{CampaignDraft, FeedbackDraft};

// ---- people

#[tauri::command]
pub async fn workshop_people(svc: Svc<'_>) -> Result<Vec<Person>> {
    call(&svc, |s| s.people()).await
}

/// `seen_version`: the person's `row_version` on screen (refused with `conflict` when
/// someone changed them since).
#[tauri::command]
pub async fn workshop_person_save(
    svc: Svc<'_>,
    id: Option<i64>,
    name: String,
    team: Team,
    title: String,
    seen_version: Option<i64>,
) -> Result<Person> {
    call(&svc, move |s| {
        s.person_save(id, &name, team, &title, seen_version)
    })
    .await
}

#[tauri::command]
pub async fn workshop_person_delete(
    svc: Svc<'_>,
    id: i64,
    seen_version: Option<i64>,
) -> Result<()> {
    call(&svc, move |s| s.person_delete(id, seen_version)).await
}

// ---- personas

#[tauri::command]
pub async fn workshop_personas(svc: Svc<'_>) -> Result<Vec<Persona>> {
    call(&svc, |s| s.personas()).await
}

#[tauri::command]
pub async fn workshop_persona_matches(svc: Svc<'_>) -> Result<Vec<PersonaMatch>> {
    call(&svc, |s| s.persona_matches()).await
}

/// Live preview while criteria are edited (nothing is saved).
#[tauri::command]
pub async fn workshop_match_criteria(svc: Svc<'_>, criteria: Criteria) -> Result<PersonaMatch> {
    call(&svc, move |s| s.match_criteria(&criteria)).await
}

/// `seen_version`: the persona's `row_version` on screen (refused with `conflict` when
/// someone changed it since).
#[tauri::command]
pub async fn workshop_persona_save(
    svc: Svc<'_>,
    id: Option<i64>,
    input: PersonaInput,
    seen_version: Option<i64>,
) -> Result<Persona> {
    call(&svc, move |s| s.persona_save(id, &input, seen_version)).await
}

#[tauri::command]
pub async fn workshop_persona_delete(
    svc: Svc<'_>,
    id: i64,
    seen_version: Option<i64>,
) -> Result<()> {
    call(&svc, move |s| s.persona_delete(id, seen_version)).await
}

/// The sign-off state of every persona that has been signed at least once.
#[tauri::command]
pub async fn workshop_persona_agreements(svc: Svc<'_>) -> Result<Vec<Agreement>> {
    call(&svc, |s| s.persona_agreements()).await
}

/// Sign a persona as it stands, as a sales or marketing participant.
#[tauri::command]
pub async fn workshop_persona_sign(
    svc: Svc<'_>,
    persona_id: i64,
    person_id: i64,
) -> Result<Agreement> {
    call(&svc, move |s| s.persona_sign(persona_id, person_id)).await
}

#[tauri::command]
pub async fn workshop_field_values(svc: Svc<'_>, field: String) -> Result<Vec<ValueCount>> {
    call(&svc, move |s| s.criteria_field_values(&field)).await
}

/// Custom fields found in the imported records, for the criteria field list.
#[tauri::command]
pub async fn workshop_custom_fields(svc: Svc<'_>) -> Result<Vec<String>> {
    call(&svc, |s| s.custom_fields()).await
}

// ---- vocabulary and agreements

#[tauri::command]
pub async fn workshop_vocabulary(svc: Svc<'_>) -> Result<VocabularyView> {
    call(&svc, |s| s.vocabulary()).await
}

/// `seen_version`: the stages' version the screen showed (`stages_version`); refused
/// with `conflict` when they changed since.
#[tauri::command]
pub async fn workshop_stage_rename(
    svc: Svc<'_>,
    id: String,
    name: String,
    seen_version: Option<i64>,
) -> Result<()> {
    call(&svc, move |s| s.stage_rename(&id, &name, seen_version)).await
}

#[tauri::command]
pub async fn workshop_stage_add(
    svc: Svc<'_>,
    id: String,
    name: String,
    after: String,
    seen_version: Option<i64>,
) -> Result<()> {
    call(&svc, move |s| s.stage_add(&id, &name, &after, seen_version)).await
}

/// `seen_version`: the map's version the screen showed (`value_map_version`).
#[tauri::command]
pub async fn workshop_stage_map(
    svc: Svc<'_>,
    crm_value: String,
    stage_id: String,
    seen_version: Option<i64>,
) -> Result<()> {
    call(&svc, move |s| {
        s.stage_map(&crm_value, &stage_id, seen_version)
    })
    .await
}

#[tauri::command]
pub async fn workshop_stage_unmap(
    svc: Svc<'_>,
    crm_value: String,
    seen_version: Option<i64>,
) -> Result<()> {
    call(&svc, move |s| s.stage_unmap(&crm_value, seen_version)).await
}

/// The agreement for a stage, SLA clause or goal, created empty on first use.
#[tauri::command]
pub async fn workshop_agreement_open(
    svc: Svc<'_>,
    subject: Subject,
    title: String,
) -> Result<Agreement> {
    call(&svc, move |s| s.agreement_open(&subject, &title)).await
}

#[tauri::command]
pub async fn workshop_definition_edit(
    svc: Svc<'_>,
    agreement_id: i64,
    content: DefinitionContent,
    author: Option<String>,
    seen_version: Option<u32>,
) -> Result<Agreement> {
    call(&svc, move |s| {
        s.definition_edit(agreement_id, content, author.as_deref(), seen_version)
    })
    .await
}

/// Sign `version`, the one on the signer's screen (refused if it is no longer the latest).
#[tauri::command]
pub async fn workshop_sign_off(
    svc: Svc<'_>,
    agreement_id: i64,
    person_id: i64,
    version: u32,
) -> Result<Agreement> {
    call(&svc, move |s| {
        s.sign_off(agreement_id, person_id, Some(version))
    })
    .await
}

#[tauri::command]
pub async fn workshop_withdraw_sign_off(
    svc: Svc<'_>,
    agreement_id: i64,
    person_id: i64,
) -> Result<Agreement> {
    call(&svc, move |s| s.withdraw_sign_off(agreement_id, person_id)).await
}

#[tauri::command]
pub async fn workshop_blind_round(svc: Svc<'_>, agreement_id: i64) -> Result<BlindRound> {
    call(&svc, move |s| s.blind_round(agreement_id)).await
}

#[tauri::command]
pub async fn workshop_blind_submit(
    svc: Svc<'_>,
    agreement_id: i64,
    team: Team,
    content: DefinitionContent,
) -> Result<BlindRound> {
    call(&svc, move |s| s.blind_submit(agreement_id, team, content)).await
}

#[tauri::command]
pub async fn workshop_blind_reveal(svc: Svc<'_>, agreement_id: i64) -> Result<BlindRound> {
    call(&svc, move |s| s.blind_reveal(agreement_id)).await
}

#[tauri::command]
pub async fn workshop_blind_merge(
    svc: Svc<'_>,
    agreement_id: i64,
    merged: DefinitionContent,
) -> Result<Agreement> {
    call(&svc, move |s| s.blind_merge(agreement_id, merged)).await
}

// ---- diagnostic

#[tauri::command]
pub async fn workshop_diagnostic_statements(svc: Svc<'_>) -> Result<Vec<DiagnosticStatement>> {
    Ok(svc.diagnostic_statements())
}

#[tauri::command]
pub async fn workshop_diagnostic_runs(svc: Svc<'_>) -> Result<Vec<DiagnosticRun>> {
    call(&svc, |s| s.diagnostic_runs()).await
}

/// Start a run; anonymous unless `named`.
#[tauri::command]
pub async fn workshop_diagnostic_start(
    svc: Svc<'_>,
    name: String,
    date: String,
    named: bool,
) -> Result<DiagnosticRun> {
    call(&svc, move |s| s.diagnostic_start(&name, &date, named)).await
}

#[tauri::command]
pub async fn workshop_diagnostic_answer(
    svc: Svc<'_>,
    run_id: i64,
    person_id: i64,
    ratings: Vec<u8>,
) -> Result<DiagnosticRun> {
    call(&svc, move |s| {
        s.diagnostic_answer(run_id, person_id, &ratings)
    })
    .await
}

#[tauri::command]
pub async fn workshop_diagnostic_close(svc: Svc<'_>, run_id: i64) -> Result<DiagnosticRun> {
    call(&svc, move |s| s.diagnostic_close(run_id)).await
}

/// Show (or hide again) an open run's anonymous results before it closes.
#[tauri::command]
pub async fn workshop_diagnostic_reveal(
    svc: Svc<'_>,
    run_id: i64,
    revealed: bool,
) -> Result<DiagnosticRun> {
    call(&svc, move |s| s.diagnostic_reveal(run_id, revealed)).await
}

#[tauri::command]
pub async fn workshop_diagnostic_trend(svc: Svc<'_>) -> Result<Vec<TrendPoint>> {
    call(&svc, |s| s.diagnostic_trend()).await
}

// ---- sessions and action items

#[tauri::command]
pub async fn workshop_sessions(svc: Svc<'_>) -> Result<Vec<Session>> {
    call(&svc, |s| s.sessions()).await
}

/// `seen_version`: the session's `row_version` on screen (refused with `conflict` when
/// someone changed it since).
#[tauri::command]
pub async fn workshop_session_save(
    svc: Svc<'_>,
    id: Option<i64>,
    input: SessionInput,
    seen_version: Option<i64>,
) -> Result<Session> {
    call(&svc, move |s| s.session_save(id, &input, seen_version)).await
}

#[tauri::command]
pub async fn workshop_session_delete(
    svc: Svc<'_>,
    id: i64,
    seen_version: Option<i64>,
) -> Result<()> {
    call(&svc, move |s| s.session_delete(id, seen_version)).await
}

#[tauri::command]
pub async fn workshop_decision_log(svc: Svc<'_>, session_id: i64, text: String) -> Result<Session> {
    call(&svc, move |s| s.log_decision(session_id, &text)).await
}

#[tauri::command]
pub async fn workshop_park(svc: Svc<'_>, session_id: i64, text: String) -> Result<Session> {
    call(&svc, move |s| s.park(session_id, &text)).await
}

#[tauri::command]
pub async fn workshop_park_resolve(
    svc: Svc<'_>,
    item_id: i64,
    resolved: bool,
    seen_version: Option<i64>,
) -> Result<()> {
    call(&svc, move |s| {
        s.park_resolve(item_id, resolved, seen_version)
    })
    .await
}

#[tauri::command]
pub async fn workshop_park_to_decision(svc: Svc<'_>, item_id: i64) -> Result<Session> {
    call(&svc, move |s| s.park_to_decision(item_id)).await
}

#[tauri::command]
pub async fn workshop_park_to_action(svc: Svc<'_>, item_id: i64) -> Result<ActionItem> {
    call(&svc, move |s| s.park_to_action(item_id)).await
}

#[tauri::command]
pub async fn workshop_actions(svc: Svc<'_>) -> Result<Vec<ActionItem>> {
    call(&svc, |s| s.actions()).await
}

#[tauri::command]
pub async fn workshop_action_add(svc: Svc<'_>, input: ActionInput) -> Result<ActionItem> {
    call(&svc, move |s| s.action_add(&input)).await
}

/// `seen_version` (here and below): the item's `row_version` on screen.
#[tauri::command]
pub async fn workshop_action_status(
    svc: Svc<'_>,
    id: i64,
    status: ActionStatus,
    seen_version: Option<i64>,
) -> Result<ActionItem> {
    call(&svc, move |s| s.action_status(id, status, seen_version)).await
}

#[tauri::command]
pub async fn workshop_action_update(
    svc: Svc<'_>,
    id: i64,
    input: ActionInput,
    status: ActionStatus,
    seen_version: Option<i64>,
) -> Result<ActionItem> {
    call(&svc, move |s| {
        s.action_update(id, &input, status, seen_version)
    })
    .await
}

#[tauri::command]
pub async fn workshop_action_delete(
    svc: Svc<'_>,
    id: i64,
    seen_version: Option<i64>,
) -> Result<()> {
    call(&svc, move |s| s.action_delete(id, seen_version)).await
}

// ---- dot voting

#[tauri::command]
pub async fn workshop_dot_votes(svc: Svc<'_>, session_id: Option<i64>) -> Result<Vec<DotVote>> {
    call(&svc, move |s| s.dot_votes(session_id)).await
}

#[tauri::command]
pub async fn workshop_dot_vote_create(
    svc: Svc<'_>,
    session_id: Option<i64>,
    topic: String,
    items: Vec<String>,
    votes_per_person: u32,
) -> Result<DotVote> {
    call(&svc, move |s| {
        s.dot_vote_create(session_id, &topic, &items, votes_per_person)
    })
    .await
}

#[tauri::command]
pub async fn workshop_dot_cast(
    svc: Svc<'_>,
    vote_id: i64,
    person_id: i64,
    dots: Vec<u32>,
) -> Result<DotVote> {
    call(&svc, move |s| s.dot_cast(vote_id, person_id, &dots)).await
}

#[tauri::command]
pub async fn workshop_dot_reveal(svc: Svc<'_>, vote_id: i64) -> Result<DotVote> {
    call(&svc, move |s| s.dot_reveal(vote_id)).await
}

// ---- campaigns

#[tauri::command]
pub async fn workshop_campaigns(svc: Svc<'_>) -> Result<Vec<Campaign>> {
    call(&svc, |s| s.campaigns()).await
}

#[tauri::command]
pub async fn workshop_campaign_save(
    svc: Svc<'_>,
    id: Option<i64>,
    name: String,
    persona_id: Option<i64>,
    channel: String,
    sales_input: String,
    seen_version: Option<i64>,
) -> Result<Campaign> {
    let draft = CampaignDraft {
        name,
        persona_id,
        channel,
        sales_input,
    };
    call(&svc, move |s| s.campaign_save(id, &draft, seen_version)).await
}

/// `seen_version`: the campaign's `row_version` on screen (refused when stale).
#[tauri::command]
pub async fn workshop_campaign_delete(
    svc: Svc<'_>,
    id: i64,
    seen_version: Option<i64>,
) -> Result<()> {
    call(&svc, move |s| s.campaign_delete(id, seen_version)).await
}

#[tauri::command]
pub async fn workshop_feedback_summary(svc: Svc<'_>) -> Result<FeedbackSummary> {
    call(&svc, |s| s.feedback_summary()).await
}

#[tauri::command]
pub async fn workshop_feedback_add(
    svc: Svc<'_>,
    campaign_id: i64,
    person_id: Option<i64>,
    quality: LeadQuality,
    about: String,
    note: String,
) -> Result<()> {
    let draft = FeedbackDraft {
        campaign_id,
        person_id,
        quality,
        about,
        note,
    };
    call(&svc, move |s| s.feedback_add(&draft)).await
}
