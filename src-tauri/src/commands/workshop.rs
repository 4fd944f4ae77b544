//! Workshop: people, personas, vocabulary and agreements, diagnostic, sessions,
//! action items, dot votes and campaigns. Each command delegates to `baton_store`.
use crate::state::{with_workspace, Svc};
use baton_core::agreement::{Agreement, BlindRound, DefinitionContent, Subject, VocabularyView};
use baton_core::diagnostic::{DiagnosticRun, DiagnosticStatement, TrendPoint, STATEMENTS};
use baton_core::persona::{Criteria, Persona, PersonaInput, PersonaMatch, ValueCount};
use baton_core::workshop::{
    ActionInput, ActionItem, ActionStatus, Campaign, DotVote, FeedbackSummary, LeadQuality, Person,
    Session, SessionInput, Team,
};
use baton_core::Result;

type S<'a> = Svc<'a>;

// ---- people

#[tauri::command]
pub async fn workshop_people(state: S<'_>) -> Result<Vec<Person>> {
    with_workspace(&state, |ws| ws.people()).await
}

#[tauri::command]
pub async fn workshop_person_save(
    state: S<'_>,
    id: Option<i64>,
    name: String,
    team: Team,
    title: String,
) -> Result<Person> {
    with_workspace(&state, move |ws| match id {
        Some(id) => ws.update_person(id, &name, team, &title),
        None => ws.add_person(&name, team, &title),
    })
    .await
}

#[tauri::command]
pub async fn workshop_person_delete(state: S<'_>, id: i64) -> Result<()> {
    with_workspace(&state, move |ws| ws.delete_person(id)).await
}

// ---- personas

#[tauri::command]
pub async fn workshop_personas(state: S<'_>) -> Result<Vec<Persona>> {
    with_workspace(&state, |ws| ws.personas()).await
}

#[tauri::command]
pub async fn workshop_persona_matches(state: S<'_>) -> Result<Vec<PersonaMatch>> {
    with_workspace(&state, |ws| ws.persona_matches()).await
}

/// Live preview while criteria are edited (nothing is saved).
#[tauri::command]
pub async fn workshop_match_criteria(state: S<'_>, criteria: Criteria) -> Result<PersonaMatch> {
    with_workspace(&state, move |ws| ws.match_criteria(0, &criteria)).await
}

#[tauri::command]
pub async fn workshop_persona_save(
    state: S<'_>,
    id: Option<i64>,
    input: PersonaInput,
) -> Result<Persona> {
    with_workspace(&state, move |ws| match id {
        Some(id) => ws.update_persona(id, &input),
        None => ws.add_persona(&input),
    })
    .await
}

#[tauri::command]
pub async fn workshop_persona_delete(state: S<'_>, id: i64) -> Result<()> {
    with_workspace(&state, move |ws| ws.delete_persona(id)).await
}

/// The sign-off state of every persona that has been signed at least once.
#[tauri::command]
pub async fn workshop_persona_agreements(state: S<'_>) -> Result<Vec<Agreement>> {
    with_workspace(&state, |ws| ws.persona_agreements()).await
}

/// Sign a persona as it stands, as a sales or marketing participant.
#[tauri::command]
pub async fn workshop_persona_sign(
    state: S<'_>,
    persona_id: i64,
    person_id: i64,
) -> Result<Agreement> {
    with_workspace(&state, move |ws| ws.sign_persona(persona_id, person_id)).await
}

#[tauri::command]
pub async fn workshop_field_values(state: S<'_>, field: String) -> Result<Vec<ValueCount>> {
    with_workspace(&state, move |ws| ws.field_values(&field, 50)).await
}
/// Custom fields found in the imported records, for the criteria field list.
#[tauri::command]
pub async fn workshop_custom_fields(state: S<'_>) -> Result<Vec<String>> {
    with_workspace(&state, |ws| ws.custom_field_names()).await
}

// ---- vocabulary and agreements

#[tauri::command]
pub async fn workshop_vocabulary(state: S<'_>) -> Result<VocabularyView> {
    with_workspace(&state, |ws| ws.vocabulary_view()).await
}

#[tauri::command]
pub async fn workshop_stage_rename(state: S<'_>, id: String, name: String) -> Result<()> {
    with_workspace(&state, move |ws| ws.rename_stage(&id, name.trim())).await
}

#[tauri::command]
pub async fn workshop_stage_add(
    state: S<'_>,
    id: String,
    name: String,
    after: String,
) -> Result<()> {
    with_workspace(&state, move |ws| {
        ws.add_stage(&id, name.trim(), Some(&after))
    })
    .await
}

#[tauri::command]
pub async fn workshop_stage_map(state: S<'_>, crm_value: String, stage_id: String) -> Result<()> {
    with_workspace(&state, move |ws| ws.set_stage_value(&crm_value, &stage_id)).await
}

#[tauri::command]
pub async fn workshop_stage_unmap(state: S<'_>, crm_value: String) -> Result<()> {
    with_workspace(&state, move |ws| ws.remove_stage_value(&crm_value)).await
}

/// The agreement for a stage, SLA clause or goal, created empty on first use.
#[tauri::command]
pub async fn workshop_agreement_open(
    state: S<'_>,
    subject: Subject,
    title: String,
) -> Result<Agreement> {
    with_workspace(&state, move |ws| {
        let id = ws.ensure_agreement(&subject, &title)?;
        ws.agreement(id)
    })
    .await
}

#[tauri::command]
pub async fn workshop_definition_edit(
    state: S<'_>,
    agreement_id: i64,
    content: DefinitionContent,
    author: Option<String>,
) -> Result<Agreement> {
    with_workspace(&state, move |ws| {
        ws.edit_definition(agreement_id, content, author.as_deref())
    })
    .await
}

/// Sign `version`, the one on the signer's screen (refused if it is no longer the latest).
#[tauri::command]
pub async fn workshop_sign_off(
    state: S<'_>,
    agreement_id: i64,
    person_id: i64,
    version: u32,
) -> Result<Agreement> {
    with_workspace(&state, move |ws| {
        ws.sign_off(agreement_id, person_id, version)
    })
    .await
}

#[tauri::command]
pub async fn workshop_withdraw_sign_off(
    state: S<'_>,
    agreement_id: i64,
    person_id: i64,
) -> Result<Agreement> {
    with_workspace(&state, move |ws| {
        ws.withdraw_sign_off(agreement_id, person_id)
    })
    .await
}

#[tauri::command]
pub async fn workshop_blind_round(state: S<'_>, agreement_id: i64) -> Result<BlindRound> {
    with_workspace(&state, move |ws| ws.blind_round(agreement_id)).await
}

#[tauri::command]
pub async fn workshop_blind_submit(
    state: S<'_>,
    agreement_id: i64,
    team: Team,
    content: DefinitionContent,
) -> Result<BlindRound> {
    with_workspace(&state, move |ws| {
        ws.submit_blind_draft(agreement_id, team, content)
    })
    .await
}

#[tauri::command]
pub async fn workshop_blind_reveal(state: S<'_>, agreement_id: i64) -> Result<BlindRound> {
    with_workspace(&state, move |ws| ws.reveal_blind_drafts(agreement_id)).await
}

#[tauri::command]
pub async fn workshop_blind_merge(
    state: S<'_>,
    agreement_id: i64,
    merged: DefinitionContent,
) -> Result<Agreement> {
    with_workspace(&state, move |ws| {
        ws.merge_blind_drafts(agreement_id, merged, None)
    })
    .await
}

// ---- diagnostic

#[tauri::command]
pub async fn workshop_diagnostic_statements() -> Result<Vec<DiagnosticStatement>> {
    Ok(STATEMENTS.to_vec())
}

#[tauri::command]
pub async fn workshop_diagnostic_runs(state: S<'_>) -> Result<Vec<DiagnosticRun>> {
    with_workspace(&state, |ws| ws.diagnostic_runs()).await
}

#[tauri::command]
pub async fn workshop_diagnostic_start(
    state: S<'_>,
    name: String,
    date: String,
) -> Result<DiagnosticRun> {
    with_workspace(&state, move |ws| {
        let id = ws.create_diagnostic_run(&name, &date)?;
        ws.diagnostic_run(id)
    })
    .await
}

#[tauri::command]
pub async fn workshop_diagnostic_answer(
    state: S<'_>,
    run_id: i64,
    person_id: i64,
    ratings: Vec<u8>,
) -> Result<DiagnosticRun> {
    with_workspace(&state, move |ws| {
        ws.answer_diagnostic(run_id, person_id, &ratings)?;
        ws.diagnostic_run(run_id)
    })
    .await
}

#[tauri::command]
pub async fn workshop_diagnostic_close(state: S<'_>, run_id: i64) -> Result<DiagnosticRun> {
    with_workspace(&state, move |ws| {
        ws.close_diagnostic_run(run_id)?;
        ws.diagnostic_run(run_id)
    })
    .await
}

#[tauri::command]
pub async fn workshop_diagnostic_trend(state: S<'_>) -> Result<Vec<TrendPoint>> {
    with_workspace(&state, |ws| ws.diagnostic_trend()).await
}

// ---- sessions and action items

#[tauri::command]
pub async fn workshop_sessions(state: S<'_>) -> Result<Vec<Session>> {
    with_workspace(&state, |ws| ws.sessions()).await
}

#[tauri::command]
pub async fn workshop_session_save(
    state: S<'_>,
    id: Option<i64>,
    input: SessionInput,
) -> Result<Session> {
    with_workspace(&state, move |ws| match id {
        Some(id) => ws.update_session(id, &input),
        None => ws.create_session(&input),
    })
    .await
}

#[tauri::command]
pub async fn workshop_session_delete(state: S<'_>, id: i64) -> Result<()> {
    with_workspace(&state, move |ws| ws.delete_session(id)).await
}

#[tauri::command]
pub async fn workshop_decision_log(state: S<'_>, session_id: i64, text: String) -> Result<Session> {
    with_workspace(&state, move |ws| ws.log_decision(session_id, &text)).await
}

#[tauri::command]
pub async fn workshop_park(state: S<'_>, session_id: i64, text: String) -> Result<Session> {
    with_workspace(&state, move |ws| ws.park_topic(session_id, &text)).await
}

#[tauri::command]
pub async fn workshop_park_resolve(state: S<'_>, item_id: i64, resolved: bool) -> Result<()> {
    with_workspace(&state, move |ws| ws.resolve_parked(item_id, resolved)).await
}

#[tauri::command]
pub async fn workshop_actions(state: S<'_>) -> Result<Vec<ActionItem>> {
    with_workspace(&state, |ws| ws.actions()).await
}

#[tauri::command]
pub async fn workshop_action_add(state: S<'_>, input: ActionInput) -> Result<ActionItem> {
    with_workspace(&state, move |ws| ws.add_action(&input)).await
}

#[tauri::command]
pub async fn workshop_action_status(
    state: S<'_>,
    id: i64,
    status: ActionStatus,
) -> Result<ActionItem> {
    with_workspace(&state, move |ws| ws.set_action_status(id, status)).await
}

#[tauri::command]
pub async fn workshop_action_update(
    state: S<'_>,
    id: i64,
    input: ActionInput,
    status: ActionStatus,
) -> Result<ActionItem> {
    with_workspace(&state, move |ws| ws.update_action(id, &input, status)).await
}

#[tauri::command]
pub async fn workshop_action_delete(state: S<'_>, id: i64) -> Result<()> {
    with_workspace(&state, move |ws| ws.delete_action(id)).await
}

// ---- dot voting

#[tauri::command]
pub async fn workshop_dot_votes(state: S<'_>, session_id: Option<i64>) -> Result<Vec<DotVote>> {
    with_workspace(&state, move |ws| ws.dot_votes(session_id)).await
}

#[tauri::command]
pub async fn workshop_dot_vote_create(
    state: S<'_>,
    session_id: Option<i64>,
    topic: String,
    items: Vec<String>,
    votes_per_person: u32,
) -> Result<DotVote> {
    with_workspace(&state, move |ws| {
        ws.create_dot_vote(session_id, &topic, &items, votes_per_person)
    })
    .await
}

#[tauri::command]
pub async fn workshop_dot_cast(
    state: S<'_>,
    vote_id: i64,
    person_id: i64,
    dots: Vec<u32>,
) -> Result<DotVote> {
    with_workspace(&state, move |ws| ws.cast_dots(vote_id, person_id, &dots)).await
}

#[tauri::command]
pub async fn workshop_dot_reveal(state: S<'_>, vote_id: i64) -> Result<DotVote> {
    with_workspace(&state, move |ws| ws.reveal_dot_vote(vote_id)).await
}

// ---- campaigns

#[tauri::command]
pub async fn workshop_campaigns(state: S<'_>) -> Result<Vec<Campaign>> {
    with_workspace(&state, |ws| ws.campaigns()).await
}

#[tauri::command]
pub async fn workshop_campaign_save(
    state: S<'_>,
    id: Option<i64>,
    name: String,
    persona_id: Option<i64>,
    channel: String,
    sales_input: String,
) -> Result<Campaign> {
    with_workspace(&state, move |ws| match id {
        Some(id) => ws.update_campaign(id, &name, persona_id, &channel, &sales_input),
        None => ws.save_campaign(&name, persona_id, &channel, &sales_input),
    })
    .await
}

#[tauri::command]
pub async fn workshop_campaign_delete(state: S<'_>, id: i64) -> Result<()> {
    with_workspace(&state, move |ws| ws.delete_campaign(id)).await
}

#[tauri::command]
pub async fn workshop_feedback_summary(state: S<'_>) -> Result<FeedbackSummary> {
    with_workspace(&state, |ws| ws.feedback_summary()).await
}

#[tauri::command]
pub async fn workshop_feedback_add(
    state: S<'_>,
    campaign_id: i64,
    person_id: Option<i64>,
    quality: LeadQuality,
    about: String,
    note: String,
) -> Result<()> {
    with_workspace(&state, move |ws| {
        ws.add_lead_feedback(campaign_id, person_id, quality, &about, &note)
    })
    .await
}
