export { detect, type DetectOptions } from './detect.js';
export { redact } from './redact.js';
export { fingerprint } from './fingerprint.js';
export { mayContainKey, needlesFor } from './prefilter.js';
export { OwnKeyIndex, type OwnKey } from './own-keys.js';
export { FAMILY_LABELS, RULES, MARKER } from './rules.js';
