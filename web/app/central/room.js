// The central workspace (docs/WORKSPACE.md): the screens of the central team, regional managers
// and administrators, laid out for a laptop. Loaded on demand (web/tools/bundle-app.mjs): a
// store tablet never downloads it unless someone opens it there.
import './words.js';

export { directoryView } from './view-directory.js';
