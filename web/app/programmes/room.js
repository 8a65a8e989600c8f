// The programmes room of the central workspace (docs/PROGRAMMES.md; docs/USER-GUIDE.md
// "Programmes"): programmes, their campaigns, each campaign's board of collaborations, and a
// collaboration's page with its pipeline, content and tracked link. Loaded on demand by the
// workspace (web/app/central/room.js) when one of its screens is first opened.
//
// Routes: #/central/programmes, #/central/programme/<id>, #/central/campaign/<id>,
// #/central/collaboration/<id>.
import './words.js';

export { programmesView, programmeView } from './view-programmes.js';
export { campaignView } from './view-campaign.js';
export { collaborationView } from './view-collaboration.js';
