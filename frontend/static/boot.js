// Loads the wasm app. A file of its own (not inline) so the Content-Security-Policy can
// forbid inline scripts.
import init from './frontend.js';
init();
