/*
 * Log reading: bytes of one source in, LogEvents out. Pure code: the caller
 * opens files, decompresses and hands over bytes.
 */
export { type Detection, detectFormat, FORMATS, type LogFormat } from './detect.js';
export { extraFields, type FieldValue, fieldsOf } from './extra-fields.js';
export { hostFromSource } from './host.js';
export {
  createReader,
  type LogReader,
  type ReaderOptions,
  type ReaderStats,
  readAll,
  readEvents,
  type UnparseableSample,
} from './reader.js';
