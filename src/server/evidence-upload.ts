/**
 * Evidence files uploaded as a form (multipart/form-data), written to a
 * folder of their own as they arrive, so an upload of any size holds one
 * chunk in memory at a time; the analysis then reads them as `calm analyze`
 * reads files. The whole upload has a size limit, checked from
 * Content-Length before anything is read and again as bytes arrive.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Busboy, type BusboyFileStream } from '@fastify/busboy';
import type { FastifyRequest } from 'fastify';
import { UserError } from '../core/errors.js';

export interface UploadLimits {
  bytes: number;
  files: number;
}

/** A file of the form: its field, and its name in the folder (unique, plain characters). */
export interface SpooledFile {
  field: string;
  name: string;
  size: number;
}

/** The form's file fields and text fields; any other field is refused. */
export interface FormFields {
  files: readonly string[];
  fields: readonly string[];
}

export interface SpooledUpload {
  dir: string;
  files: SpooledFile[];
  /** The form's text fields (only those in `fields`). */
  fields: Record<string, string>;
  remove(): Promise<void>;
}

const MIB = 1024 * 1024;
export const formatBytes = (n: number) =>
  n >= MIB ? `${Math.round(n / MIB)} MiB` : `${Math.round(n / 1024)} KiB`;

const tooLarge = (limit: number) =>
  new UserError(
    `the upload is larger than this server takes (${formatBytes(limit)}); analyze fewer or smaller files, or run calm analyze --format json on them and upload the report`,
    'too_large',
  );

/** A file's name as the report cites it: its base name, in plain characters, unique. */
function nameFor(given: string, taken: Set<string>): string {
  const plain =
    basename(given.replace(/\\/g, '/'))
      .replace(/[^\w.+-]+/g, '_')
      .replace(/^\.+/, '')
      .slice(-100) || 'upload.log';
  let name = plain;
  for (let n = 2; taken.has(name); n++) name = `${n}-${plain}`;
  taken.add(name);
  return name;
}

/**
 * Reads the request's form into a new folder: the files of the file fields,
 * the values of the text fields. Anything else, or more than the limits, is
 * refused and nothing is kept.
 */
export async function spoolUpload(
  request: FastifyRequest,
  limits: UploadLimits,
  form: FormFields,
): Promise<SpooledUpload> {
  const type = request.headers['content-type'] ?? '';
  if (!/^multipart\/form-data\s*;/i.test(type))
    throw new UserError(
      `send the files as multipart/form-data (file fields ${form.files.join(', ')}), not ${type.split(';')[0] || 'no Content-Type'}`,
    );
  const length = Number(request.headers['content-length']);
  if (Number.isFinite(length) && length > limits.bytes) throw tooLarge(limits.bytes);

  const dir = await mkdtemp(join(tmpdir(), 'calm-evidence-'));
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
    const upload = await readForm(request, dir, limits, form);
    return { dir, ...upload, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}

function readForm(
  request: FastifyRequest,
  dir: string,
  limits: UploadLimits,
  form: FormFields,
): Promise<Omit<SpooledUpload, 'dir' | 'remove'>> {
  const allowed = form.fields;
  return new Promise((resolve, reject) => {
    const files: SpooledFile[] = [];
    const fields: Record<string, string> = {};
    const taken = new Set<string>();
    const writes: Promise<void>[] = [];
    let total = 0;
    let failed = false;
    const open = new Set<BusboyFileStream>();
    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      request.raw.unpipe(parser);
      // the rest of the body is not read: the connection ends with the answer
      request.raw.resume();
      // files being written stop and close now, or they would wait for bytes forever
      for (const stream of open) stream.destroy();
      reject(error);
    };
    const parser = Busboy({
      headers: request.headers as { 'content-type': string },
      limits: { files: limits.files, fields: allowed.length, fieldSize: 200, parts: 200 },
    });
    parser.on('file', (field: string, stream: BusboyFileStream, filename: string) => {
      if (failed) return void stream.resume();
      if (!form.files.includes(field)) {
        stream.resume();
        return fail(
          new UserError(
            `unknown form field ${field.slice(0, 40)}; name each file for its kind: ${form.files.join(', ')}`,
          ),
        );
      }
      // a form's file input left empty is sent as a part without a name or bytes
      if (!filename) return void stream.resume();
      const name = nameFor(filename, taken);
      const file: SpooledFile = { field, name, size: 0 };
      files.push(file);
      const count = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          total += chunk.byteLength;
          file.size += chunk.byteLength;
          if (total > limits.bytes) return done(tooLarge(limits.bytes));
          done(null, chunk);
        },
      });
      open.add(stream);
      writes.push(
        pipeline(stream, count, createWriteStream(join(dir, name)))
          .catch(fail)
          .finally(() => open.delete(stream)),
      );
    });
    parser.on('field', (name: string, value: string, _n: boolean, truncated: boolean) => {
      if (!allowed.includes(name))
        return fail(new UserError(`unknown form field ${name.slice(0, 40)}`));
      if (truncated) return fail(new UserError(`the form field ${name} is too long`));
      fields[name] = value;
    });
    parser.on('filesLimit', () =>
      fail(new UserError(`more than ${limits.files} files; analyze fewer at once`, 'too_large')),
    );
    parser.on('error', (error: unknown) =>
      fail(new UserError(`the upload is not a readable form: ${(error as Error).message}`)),
    );
    parser.on('finish', async () => {
      await Promise.all(writes);
      if (!failed) resolve({ files, fields });
    });
    // a client that goes away mid-upload ends the request with an error ('aborted')
    request.raw.on('error', fail);
    request.raw.pipe(parser);
  });
}
