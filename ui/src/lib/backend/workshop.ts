/** Workshop commands: people, personas, vocabulary & agreements, diagnostic, sessions. Rust side: src-tauri/src/commands/workshop.rs. */
import { call } from './core';
import type { ActionInput } from '../bindings/ActionInput';
import type { ActionItem } from '../bindings/ActionItem';
import type { ActionStatus } from '../bindings/ActionStatus';
import type { Agreement } from '../bindings/Agreement';
import type { BlindRound } from '../bindings/BlindRound';
import type { Campaign } from '../bindings/Campaign';
import type { Criteria } from '../bindings/Criteria';
import type { DefinitionContent } from '../bindings/DefinitionContent';
import type { DiagnosticRun } from '../bindings/DiagnosticRun';
import type { DiagnosticStatement } from '../bindings/DiagnosticStatement';
import type { DotVote } from '../bindings/DotVote';
import type { FeedbackSummary } from '../bindings/FeedbackSummary';
import type { LeadQuality } from '../bindings/LeadQuality';
import type { Person } from '../bindings/Person';
import type { Persona } from '../bindings/Persona';
import type { PersonaInput } from '../bindings/PersonaInput';
import type { PersonaMatch } from '../bindings/PersonaMatch';
import type { Session } from '../bindings/Session';
import type { SessionInput } from '../bindings/SessionInput';
import type { Subject } from '../bindings/Subject';
import type { Team } from '../bindings/Team';
import type { TrendPoint } from '../bindings/TrendPoint';
import type { ValueCount } from '../bindings/ValueCount';
import type { VocabularyView } from '../bindings/VocabularyView';

// People
export const people = () => call<Person[]>('workshop_people');
/** `seenVersion`: the person's `row_version` on screen; refused with `conflict` if someone changed them since. */
export const savePerson = (id: number | null, name: string, team: Team, title: string, seenVersion: number | null = null) =>
  call<Person>('workshop_person_save', { id, name, team, title, seenVersion });
export const deletePerson = (id: number, seenVersion: number | null) =>
  call<void>('workshop_person_delete', { id, seenVersion });

// Personas
export const personas = () => call<Persona[]>('workshop_personas');
export const personaMatches = () => call<PersonaMatch[]>('workshop_persona_matches');
export const matchCriteria = (criteria: Criteria) => call<PersonaMatch>('workshop_match_criteria', { criteria });
/** `seenVersion`: the persona's `row_version` on screen; refused with `conflict` if someone changed it since. */
export const savePersona = (id: number | null, input: PersonaInput, seenVersion: number | null) =>
  call<Persona>('workshop_persona_save', { id, input, seenVersion });
export const deletePersona = (id: number, seenVersion: number | null) =>
  call<void>('workshop_persona_delete', { id, seenVersion });
export const personaAgreements = () => call<Agreement[]>('workshop_persona_agreements');
/** Sign the persona as it stands (a new version is written first if it changed). */
export const signPersona = (personaId: number, personId: number) =>
  call<Agreement>('workshop_persona_sign', { personaId, personId });
export const fieldValues = (field: string) => call<ValueCount[]>('workshop_field_values', { field });
export const customFields = () => call<string[]>('workshop_custom_fields');

// Vocabulary, agreements and sign-off
export const vocabulary = () => call<VocabularyView>('workshop_vocabulary');
/** `seenVersion`: the `stages_version` the screen showed (refused with `conflict` when the stages changed since). */
export const renameStage = (id: string, name: string, seenVersion: number | null = null) =>
  call<void>('workshop_stage_rename', { id, name, seenVersion });
export const addStage = (id: string, name: string, after: string, seenVersion: number | null = null) =>
  call<void>('workshop_stage_add', { id, name, after, seenVersion });
/** `seenVersion`: the `value_map_version` the screen showed. */
export const mapStageValue = (crmValue: string, stageId: string, seenVersion: number | null = null) =>
  call<void>('workshop_stage_map', { crmValue, stageId, seenVersion });
export const unmapStageValue = (crmValue: string, seenVersion: number | null = null) =>
  call<void>('workshop_stage_unmap', { crmValue, seenVersion });
export const openAgreement = (subject: Subject, title: string) =>
  call<Agreement>('workshop_agreement_open', { subject, title });
/**
 * Save a new version of a definition, based on `seenVersion`, the version the editor
 * showed (0: none yet): refused with `conflict` when someone saved another one since.
 */
export const editDefinition = (agreementId: number, content: DefinitionContent, author: string | null, seenVersion: number) =>
  call<Agreement>('workshop_definition_edit', { agreementId, content, author, seenVersion });
/** Sign `version`, the one on screen; refused if a newer version exists or the terms changed. */
export const signOff = (agreementId: number, personId: number, version: number) =>
  call<Agreement>('workshop_sign_off', { agreementId, personId, version });
export const withdrawSignOff = (agreementId: number, personId: number) =>
  call<Agreement>('workshop_withdraw_sign_off', { agreementId, personId });
export const blindRound = (agreementId: number) => call<BlindRound>('workshop_blind_round', { agreementId });
export const submitBlindDraft = (agreementId: number, team: Team, content: DefinitionContent) =>
  call<BlindRound>('workshop_blind_submit', { agreementId, team, content });
export const revealBlindDrafts = (agreementId: number) => call<BlindRound>('workshop_blind_reveal', { agreementId });
export const mergeBlindDrafts = (agreementId: number, merged: DefinitionContent) =>
  call<Agreement>('workshop_blind_merge', { agreementId, merged });

// Diagnostic
export const diagnosticStatements = () => call<DiagnosticStatement[]>('workshop_diagnostic_statements');
export const diagnosticRuns = () => call<DiagnosticRun[]>('workshop_diagnostic_runs');
/** A run is anonymous unless `named`: then each person's score shows by name once it closes. */
export const startDiagnostic = (name: string, date: string, named: boolean) =>
  call<DiagnosticRun>('workshop_diagnostic_start', { name, date, named });
export const answerDiagnostic = (runId: number, personId: number, ratings: number[]) =>
  call<DiagnosticRun>('workshop_diagnostic_answer', { runId, personId, ratings });
export const closeDiagnostic = (runId: number) => call<DiagnosticRun>('workshop_diagnostic_close', { runId });
/** Show (or hide again) an open run's anonymous results before it closes; stored on the run. */
export const revealDiagnostic = (runId: number, revealed: boolean) =>
  call<DiagnosticRun>('workshop_diagnostic_reveal', { runId, revealed });
export const diagnosticTrend = () => call<TrendPoint[]>('workshop_diagnostic_trend');

// Sessions, decisions, parking lot, action items
export const sessions = () => call<Session[]>('workshop_sessions');
/** `seenVersion`: the session's `row_version` on screen; refused with `conflict` if someone changed it since. */
export const saveSession = (id: number | null, input: SessionInput, seenVersion: number | null) =>
  call<Session>('workshop_session_save', { id, input, seenVersion });
export const deleteSession = (id: number, seenVersion: number | null) =>
  call<void>('workshop_session_delete', { id, seenVersion });
export const logDecision = (sessionId: number, text: string) =>
  call<Session>('workshop_decision_log', { sessionId, text });
export const parkTopic = (sessionId: number, text: string) => call<Session>('workshop_park', { sessionId, text });
/** Resolve or reopen a parked topic based on `seenVersion`, its `row_version` on screen. */
export const resolveParked = (itemId: number, resolved: boolean, seenVersion: number) =>
  call<void>('workshop_park_resolve', { itemId, resolved, seenVersion });
export const parkToDecision = (itemId: number) => call<Session>('workshop_park_to_decision', { itemId });
export const parkToAction = (itemId: number) => call<ActionItem>('workshop_park_to_action', { itemId });
export const actions = () => call<ActionItem[]>('workshop_actions');
export const addAction = (input: ActionInput) => call<ActionItem>('workshop_action_add', { input });
/** `seenVersion` (here and below): the item's `row_version` on screen; refused with `conflict` if someone changed it since. */
export const setActionStatus = (id: number, status: ActionStatus, seenVersion: number | null) =>
  call<ActionItem>('workshop_action_status', { id, status, seenVersion });
export const updateAction = (id: number, input: ActionInput, status: ActionStatus, seenVersion: number | null) =>
  call<ActionItem>('workshop_action_update', { id, input, status, seenVersion });
export const deleteAction = (id: number, seenVersion: number | null) =>
  call<void>('workshop_action_delete', { id, seenVersion });

// Dot voting
export const dotVotes = (sessionId: number | null) => call<DotVote[]>('workshop_dot_votes', { sessionId });
export const createDotVote = (sessionId: number | null, topic: string, items: string[], votesPerPerson: number) =>
  call<DotVote>('workshop_dot_vote_create', { sessionId, topic, items, votesPerPerson });
export const castDots = (voteId: number, personId: number, dots: number[]) =>
  call<DotVote>('workshop_dot_cast', { voteId, personId, dots });
export const revealDotVote = (voteId: number) => call<DotVote>('workshop_dot_reveal', { voteId });

// Campaigns
export const campaigns = () => call<Campaign[]>('workshop_campaigns');
export const saveCampaign = (
  id: number | null,
  name: string,
  personaId: number | null,
  channel: string,
  salesInput: string,
  /** The campaign's `row_version` on screen (null: a new one): refused with `conflict` when stale. */
  seenVersion: number | null,
) => call<Campaign>('workshop_campaign_save', { id, name, personaId, channel, salesInput, seenVersion });
export const deleteCampaign = (id: number, seenVersion: number) => call<void>('workshop_campaign_delete', { id, seenVersion });
export const feedbackSummary = () => call<FeedbackSummary>('workshop_feedback_summary');
export const addLeadFeedback = (
  campaignId: number,
  personId: number | null,
  quality: LeadQuality,
  about: string,
  note: string,
) => call<void>('workshop_feedback_add', { campaignId, personId, quality, about, note });
