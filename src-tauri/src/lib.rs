//! Baton's desktop shell: window, app state and `#[tauri::command]`s. Domain work
//! lives in the `baton-*` crates; commands here are a few lines each, always `async`.

mod commands;
mod state;

use tauri::Manager;

pub fn run() {
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .manage(commands::reports::ReportState::default())
        .manage(commands::metrics::MetricsState::default())
        .manage(commands::imports::ImportState::default())
        .setup(|app| {
            let paths = app.path();
            let state = state::AppState::new(&paths.app_data_dir()?, &paths.app_config_dir()?);
            app.manage(state);
            open_start_screen(app)?;
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::workspace::workspace_current,
            commands::workspace::workspace_overview,
            commands::workspace::workspace_set_company,
            commands::workspace::workspace_new,
            commands::workspace::workspace_open,
            commands::workspace::workspace_save_as,
            commands::workspace::workspace_recent,
            commands::workspace::workspace_open_demo,
            commands::workshop::workshop_people,
            commands::workshop::workshop_person_save,
            commands::workshop::workshop_person_delete,
            commands::workshop::workshop_personas,
            commands::workshop::workshop_persona_matches,
            commands::workshop::workshop_match_criteria,
            commands::workshop::workshop_persona_save,
            commands::workshop::workshop_persona_delete,
            commands::workshop::workshop_persona_agreements,
            commands::workshop::workshop_persona_sign,
            commands::workshop::workshop_field_values,
            commands::workshop::workshop_custom_fields,
            commands::workshop::workshop_vocabulary,
            commands::workshop::workshop_stage_rename,
            commands::workshop::workshop_stage_add,
            commands::workshop::workshop_stage_map,
            commands::workshop::workshop_stage_unmap,
            commands::workshop::workshop_agreement_open,
            commands::workshop::workshop_definition_edit,
            commands::workshop::workshop_sign_off,
            commands::workshop::workshop_withdraw_sign_off,
            commands::workshop::workshop_blind_round,
            commands::workshop::workshop_blind_submit,
            commands::workshop::workshop_blind_reveal,
            commands::workshop::workshop_blind_merge,
            commands::workshop::workshop_diagnostic_statements,
            commands::workshop::workshop_diagnostic_runs,
            commands::workshop::workshop_diagnostic_start,
            commands::workshop::workshop_diagnostic_answer,
            commands::workshop::workshop_diagnostic_close,
            commands::workshop::workshop_diagnostic_trend,
            commands::workshop::workshop_sessions,
            commands::workshop::workshop_session_save,
            commands::workshop::workshop_session_delete,
            commands::workshop::workshop_decision_log,
            commands::workshop::workshop_park,
            commands::workshop::workshop_park_resolve,
            commands::workshop::workshop_actions,
            commands::workshop::workshop_action_add,
            commands::workshop::workshop_action_status,
            commands::workshop::workshop_action_delete,
            commands::workshop::workshop_action_update,
            commands::workshop::workshop_dot_votes,
            commands::workshop::workshop_dot_vote_create,
            commands::workshop::workshop_dot_cast,
            commands::workshop::workshop_dot_reveal,
            commands::workshop::workshop_campaigns,
            commands::workshop::workshop_campaign_save,
            commands::workshop::workshop_feedback_add,
            commands::workshop::workshop_campaign_delete,
            commands::workshop::workshop_feedback_summary,
            commands::timer::timer_get,
            commands::timer::timer_select,
            commands::timer::timer_start,
            commands::timer::timer_pause,
            commands::imports::imports_presets,
            commands::imports::imports_preview,
            commands::imports::imports_run,
            commands::imports::imports_cancel,
            commands::imports::imports_history,
            commands::imports::imports_undo,
            commands::imports::imports_export_rejects,
            commands::imports::imports_save_profile,
            commands::imports::imports_load_profile,
            commands::metrics::metrics_info,
            commands::metrics::metrics_field_values,
            commands::metrics::metrics_funnel,
            commands::metrics::metrics_definition_check,
            commands::metrics::metrics_velocity,
            commands::metrics::metrics_velocity_steps,
            commands::metrics::metrics_quality,
            commands::metrics::metrics_drill,
            commands::metrics::metrics_sla,
            commands::metrics::metrics_sla_add,
            commands::metrics::metrics_sla_duration,
            commands::metrics::metrics_sla_remove,
            commands::metrics::metrics_business_hours,
            commands::metrics::metrics_business_hours_set,
            commands::metrics::metrics_goals,
            commands::metrics::metrics_goal_add,
            commands::metrics::metrics_goal_remove,
            commands::metrics::metrics_calculator,
            commands::reports::report_preview,
            commands::reports::report_cancel,
            commands::reports::report_save,
            commands::reports::report_export_csv,
        ])
        .run(tauri::generate_context!())
        .expect("error while running Baton");
}

/// `BATON_START_SCREEN=funnel` opens that screen first (screenshots, demos).
fn open_start_screen(app: &tauri::App) -> tauri::Result<()> {
    let Ok(screen) = std::env::var("BATON_START_SCREEN") else {
        return Ok(());
    };
    if let Some(window) = app.get_webview_window("main") {
        let mut url = window.url()?;
        url.set_fragment(Some(&format!("/{screen}")));
        window.navigate(url)?;
    }
    Ok(())
}
