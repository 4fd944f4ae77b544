/** The participant page (participant.html): served by the room to participants' browsers. */
import { mount } from 'svelte';
import '../app.css';
import './page.css';
import Participant from './Participant.svelte';
import { pageApi } from './api';

const target = document.getElementById('app');
if (!target) throw new Error('participant.html has no #app element');

mount(Participant, { target, props: { api: pageApi() } });
