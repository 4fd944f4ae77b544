//! Baton's desktop shell: window, app state and `#[tauri::command]`s. Domain work
//! lives in the `baton-*` crates; commands here are a few lines each, always `async`.

mod commands;
mod state;

use tauri::{Emitter, Manager};

pub fn run() {
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .setup(|app| {
            let paths = app.path();
            let asked = std::env::var_os("BATON_WORKSPACE")
                .filter(|v| !v.is_empty())
                .map(std::path::PathBuf::from);
            let session = baton_service::Session::app(
                &paths.app_data_dir()?,
                &paths.app_config_dir()?,
                asked,
            );
            let service = baton_service::Service::new(session)
                .keeping_team_datasets_in(baton_service::team_datasets::default_dir());
            app.manage(forward_changes(app.handle().clone(), &service));
            app.manage(service);
            app.manage(baton_room::RoomHost::default());
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
            commands::team::team_connect,
            commands::team::team_keyring_available,
            commands::team::team_connection_string,
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
            commands::workshop::workshop_diagnostic_reveal,
            commands::workshop::workshop_diagnostic_trend,
            commands::workshop::workshop_sessions,
            commands::workshop::workshop_session_save,
            commands::workshop::workshop_session_delete,
            commands::workshop::workshop_decision_log,
            commands::workshop::workshop_park,
            commands::workshop::workshop_park_resolve,
            commands::workshop::workshop_park_to_decision,
            commands::workshop::workshop_park_to_action,
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
            commands::metrics::metrics_impact,
            commands::reports::report_preview,
            commands::reports::report_cancel,
            commands::reports::report_save,
            commands::reports::report_export_csv,
            commands::room::room_interfaces,
            commands::room::room_open,
            commands::room::room_close,
            commands::room::room_status,
            commands::room::room_lock,
            commands::room::room_remove,
            commands::room::room_step,
            commands::room::room_anonymous_parking,
        ])
        .build(tauri::generate_context!())
        .expect("error while building Baton")
        .run(|app, event| {
            // Quitting closes the room: participants are told, the server stops.
            if let tauri::RunEvent::Exit = event {
                let host = app.state::<baton_room::RoomHost>();
                let _ = tauri::async_runtime::block_on(host.close());
            }
        });
}

/// Every change the service publishes (this window's writes, and those of other
/// processes on the same workspace) reaches the UI as a `workspace-change` event; the
/// screens showing that area reload. The returned watch keeps the watcher running.
fn forward_changes(app: tauri::AppHandle, service: &baton_service::Service) -> ChangeWatch {
    let changes = service.feed().subscribe();
    std::thread::Builder::new()
        .name("baton-change-events".into())
        .spawn(move || {
            for change in changes {
                let _ = app.emit("workspace-change", change);
            }
        })
        .expect("starting the change forwarder");
    ChangeWatch {
        _watch: baton_service::ChangeFeed::watch(service, std::time::Duration::from_millis(400)),
    }
}

/// Keeps the watcher of other processes' writes alive as long as the app runs.
struct ChangeWatch {
    _watch: baton_service::feed::Watch,
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
