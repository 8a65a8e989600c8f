// The compliance room of the central workspace (docs/COMPLIANCE.md; docs/USER-GUIDE.md
// "Compliance"): vetting, data-subject requests, the open issues and retention runs. Loaded on
// demand by the workspace (web/app/central/room.js) when its screen is first opened.
//
// Route: #/central/compliance.
import './words.js';

export { complianceView } from './view-compliance.js';
