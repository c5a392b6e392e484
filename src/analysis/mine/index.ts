/** Log template mining and stack-trace fingerprints. */
export { type MaskInfo, maskTokens, WILDCARD } from './mask.js';
export { type AddResult, type MinerLimits, type TemplateInfo, TemplateMiner } from './miner.js';
export {
  describeStack,
  FINGERPRINT_FRAMES,
  fingerprintStackTrace,
  fnv1a64,
  isFrameworkFrame,
  normalizeFrame,
  type ParsedStack,
  parseStackTrace,
  type StackLanguage,
  type StackSignature,
  stackFingerprint,
} from './stack.js';
