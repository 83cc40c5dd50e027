import { h, clear } from './dom.js';

// The Orthanc page: connection state and recent pushes (issue #6 fills it).
export function renderOrthanc(view) {
  clear(view, h('h1', {}, 'Orthanc'), h('p', { class: 'muted' }, 'The Orthanc bridge arrives with issue #6.'));
}
