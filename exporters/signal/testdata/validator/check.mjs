#!/usr/bin/env node
// check.mjs — checks Signal backups that chatferry's tests write, with
// Signal's own validator (@signalapp/libsignal-client, pinned in
// package.json). The Go tests run it once for a batch of jobs:
//
//   node check.mjs JOBS.json
//
// JOBS.json is an array of jobs; for each, one JSON line goes to standard
// output: {"id": ..., "ok": true|false, "errors": [...], "unknown": [...]}.
//
//   {"id", "kind": "local", "dir", "key"}
//       An on-device backup folder (SignalBackups or one snapshot in it) and
//       its recovery key: decrypts metadata to the backup id, runs
//       MessageBackup.validate on main, then decrypts main itself and checks
//       every attachment with a local key against files/xx/<mediaName> (HMAC,
//       AES-256-CBC, size, SHA-256) and the snapshot's files list.
//   {"id", "kind": "plain", "file"}
//       Unencrypted frames: ComparableBackup.fromUnencrypted (whole backup)
//       and OnlineBackupValidator frame by frame (names the first bad frame).
//   {"id", "kind": "same", "file", "dir", "key"}
//       The snapshot's frames compare equal to the unencrypted frames in file
//       (ComparableBackup.comparableString).
//
// Exit status: 0 when every job ran (valid or not), 2 on a usage error or
// when libsignal cannot be loaded.

import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';
import { pathToFileURL, fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

async function load() {
  const req = createRequire(path.join(here, 'package.json'));
  const dist = path.dirname(req.resolve('@signalapp/libsignal-client/dist/MessageBackup.js'));
  const imp = (f) => import(pathToFileURL(path.join(dist, f)).href);
  const [MB, AK, io] = await Promise.all([imp('MessageBackup.js'), imp('AccountKeys.js'), imp('io.js')]);
  return { MB, AK, io };
}

function varint(buf, pos) {
  let v = 0n, shift = 0n;
  for (;;) {
    if (pos >= buf.length) throw new Error('truncated varint');
    const b = buf[pos++];
    v |= BigInt(b & 0x7f) << shift;
    if (!(b & 0x80)) return [Number(v), pos];
    shift += 7n;
  }
}

// delimited splits varint-length-delimited messages.
function delimited(buf) {
  const out = [];
  for (let pos = 0; pos < buf.length;) {
    const [n, p] = varint(buf, pos);
    if (p + n > buf.length) throw new Error(`truncated message at ${pos}`);
    out.push(buf.subarray(p, p + n));
    pos = p + n;
  }
  return out;
}

// fields yields [number, wireType, value] of one protobuf message.
function* fields(buf) {
  for (let pos = 0; pos < buf.length;) {
    const [tag, p] = varint(buf, pos);
    const num = tag >>> 3, wt = tag & 7;
    if (wt === 0) { const [v, q] = varint(buf, p); yield [num, wt, v]; pos = q; }
    else if (wt === 2) { const [n, q] = varint(buf, p); yield [num, wt, buf.subarray(q, q + n)]; pos = q + n; }
    else if (wt === 1) { yield [num, wt, buf.subarray(p, p + 8)]; pos = p + 8; }
    else if (wt === 5) { yield [num, wt, buf.subarray(p, p + 4)]; pos = p + 4; }
    else throw new Error('unsupported wire type ' + wt);
  }
}

function makeStreams(io) {
  class FileStream extends io.InputStream {
    constructor(file) { super(); this.fd = fs.openSync(file, 'r'); this.size = fs.fstatSync(this.fd).size; this.pos = 0; }
    async read(n) {
      const b = Buffer.alloc(Math.min(n, this.size - this.pos));
      const got = b.length ? fs.readSync(this.fd, b, 0, b.length, this.pos) : 0;
      this.pos += got;
      return new Uint8Array(b.buffer, b.byteOffset, got);
    }
    async skip(n) { this.pos += n; }
    async close() { if (this.fd !== null) { fs.closeSync(this.fd); this.fd = null; } }
  }
  class BytesStream extends io.InputStream {
    constructor(b) { super(); this.b = b; }
    async read(n) { const r = this.b.subarray(0, n); this.b = this.b.subarray(r.length); return r; }
    async skip(n) { this.b = this.b.subarray(n); }
  }
  return { FileStream, BytesStream };
}

function normalizeKey(s) {
  return String(s).replace(/#/g, 'o').replace(/=/g, '0').replace(/[^0-9A-Za-z]/g, '').toLowerCase();
}

// snapshot finds the snapshot folder and the SignalBackups folder.
function snapshot(dir) {
  if (fs.existsSync(path.join(dir, 'main'))) return { snap: dir, root: path.dirname(dir) };
  const names = fs.readdirSync(dir).filter((n) => /^signal-backup-\d{4}(-\d\d){5}$/.test(n)).sort();
  if (!names.length) throw new Error(`no snapshot in ${dir}`);
  return { snap: path.join(dir, names[names.length - 1]), root: dir };
}

// keys derives the main file's keys from the recovery key and metadata.
function keys(lib, snap, recoveryKey) {
  const aep = normalizeKey(recoveryKey);
  if (!lib.AK.AccountEntropyPool.isValid(aep)) throw new Error('not a valid recovery key');
  const backupKey = lib.AK.AccountEntropyPool.deriveBackupKey(aep);
  let version = 0, iv = null, enc = null;
  for (const [num, wt, v] of fields(fs.readFileSync(path.join(snap, 'metadata')))) {
    if (num === 1 && wt === 0) version = v;
    if (num === 2 && wt === 2) for (const [n2, w2, v2] of fields(v)) {
      if (n2 === 1 && w2 === 2) iv = v2;
      if (n2 === 2 && w2 === 2) enc = v2;
    }
  }
  if (version !== 1 || !iv || iv.length !== 12 || !enc) throw new Error('metadata: want version 1 and a 12-byte iv');
  const ctr = crypto.createDecipheriv('aes-256-ctr', backupKey.deriveLocalBackupMetadataKey(), Buffer.concat([iv, Buffer.alloc(4)]));
  const backupId = new Uint8Array(Buffer.concat([ctr.update(enc), ctr.final()]));
  return new lib.MB.MessageBackupKey({ backupKey, backupId });
}

// decryptMain authenticates and decrypts main; returns the frames' bytes.
function decryptMain(file, key) {
  const data = fs.readFileSync(file);
  const body = data.subarray(0, data.length - 32);
  const mac = crypto.createHmac('sha256', key.hmacKey).update(body).digest();
  if (!crypto.timingSafeEqual(mac, data.subarray(data.length - 32))) throw new Error('main: HMAC does not match');
  const d = crypto.createDecipheriv('aes-256-cbc', key.aesKey, body.subarray(0, 16));
  const gz = Buffer.concat([d.update(body.subarray(16)), d.final()]);
  return new Uint8Array(zlib.gunzipSync(gz)); // zero padding after the gzip member is allowed
}

function paddedSize(n) {
  return Math.max(541, Math.floor(Math.pow(1.05, Math.ceil(Math.log(n) / Math.log(1.05)))));
}

// filePointers finds every FilePointer with a local key in libsignal's
// JSON rendering of a frame.
function* filePointers(obj, where) {
  if (obj === null || typeof obj !== 'object') return;
  if (obj.locatorInfo && typeof obj.locatorInfo === 'object') yield [where, obj.locatorInfo];
  for (const [k, v] of Object.entries(obj)) yield* filePointers(v, `${where}.${k}`);
}

function bytesOf(v) {
  if (typeof v !== 'string') return null;
  return /^[0-9a-f]+$/i.test(v) && v.length % 2 === 0 ? Buffer.from(v, 'hex') : Buffer.from(v, 'base64');
}

function checkAttachments(lib, plain, root, snap) {
  const errors = [];
  const listed = new Set();
  const listFile = path.join(snap, 'files');
  if (!fs.existsSync(listFile)) errors.push('the snapshot has no files list');
  else for (const entry of delimited(fs.readFileSync(listFile))) {
    for (const [num, wt, v] of fields(entry)) if (num === 1 && wt === 2) listed.add(Buffer.from(v).toString('utf8'));
  }
  const msgs = delimited(plain);
  const { exporter } = lib.MB.BackupJsonExporter.start(msgs[0].slice(), { validate: false });
  const rest = plain.slice(msgs[0].length + varint(plain, 0)[1]);
  let checked = 0, i = 0;
  for (const r of exporter.exportFrames(rest)) {
    i++;
    if (!r.line) continue;
    for (const [where, li] of filePointers(JSON.parse(r.line), `frame ${i}`)) {
      if (!li.localKey) continue;
      checked++;
      const localKey = bytesOf(li.localKey), hash = bytesOf(li.plaintextHash);
      const size = Number(li.size || 0);
      if (!localKey || localKey.length !== 64 || !hash || hash.length !== 32) { errors.push(`${where}: bad localKey or plaintextHash`); continue; }
      const name = crypto.createHash('sha256').update(hash).update(localKey).digest('hex');
      if (!listed.has(name)) errors.push(`${where}: ${name} is not in the files list`);
      const file = path.join(root, 'files', name.slice(0, 2), name);
      if (!fs.existsSync(file)) { errors.push(`${where}: ${file} is missing`); continue; }
      const data = fs.readFileSync(file);
      const mac = crypto.createHmac('sha256', localKey.subarray(32)).update(data.subarray(0, data.length - 32)).digest();
      if (!crypto.timingSafeEqual(mac, data.subarray(data.length - 32))) { errors.push(`${where}: attachment HMAC does not match`); continue; }
      const d = crypto.createDecipheriv('aes-256-cbc', localKey.subarray(0, 32), data.subarray(0, 16));
      const padded = Buffer.concat([d.update(data.subarray(16, data.length - 32)), d.final()]);
      if (padded.length !== paddedSize(size)) errors.push(`${where}: padded to ${padded.length}, Signal pads ${size} bytes to ${paddedSize(size)}`);
      if (!crypto.createHash('sha256').update(padded.subarray(0, size)).digest().equals(hash)) errors.push(`${where}: plaintext hash does not match`);
    }
  }
  return { checked, errors };
}

async function comparable(lib, S, bytes) {
  const cb = await lib.MB.ComparableBackup.fromUnencrypted(lib.MB.Purpose.RemoteBackup, new S.BytesStream(bytes), BigInt(bytes.length));
  return cb.comparableString();
}

async function run(lib, S, job) {
  const res = { id: job.id, ok: false, errors: [], unknown: [] };
  try {
    if (job.kind === 'plain') {
      const plain = new Uint8Array(fs.readFileSync(job.file));
      try { await comparable(lib, S, plain); } catch (e) { res.errors.push('ComparableBackup: ' + e.message); }
      const frames = delimited(plain);
      const v = new lib.MB.OnlineBackupValidator(frames[0].slice(), lib.MB.Purpose.RemoteBackup);
      try {
        for (let i = 1; i < frames.length; i++) {
          try { v.addFrame(frames[i].slice()); } catch (e) { throw new Error(`frame ${i}: ${e.message}`); }
        }
        v.finalize();
      } catch (e) { res.errors.push('OnlineBackupValidator: ' + e.message); }
    } else if (job.kind === 'local' || job.kind === 'same') {
      const { snap, root } = snapshot(job.dir);
      const key = keys(lib, snap, job.key);
      const main = path.join(snap, 'main');
      if (job.kind === 'local') {
        const out = await lib.MB.validate(key, lib.MB.Purpose.RemoteBackup, () => new S.FileStream(main), BigInt(fs.statSync(main).size));
        if (!out.ok) res.errors.push('MessageBackup.validate: ' + out.errorMessage);
        res.unknown = out.unknownFieldMessages;
        const plain = decryptMain(main, key);
        const att = checkAttachments(lib, plain, root, snap);
        res.attachments = att.checked;
        res.errors.push(...att.errors);
      } else {
        const [a, b] = await Promise.all([comparable(lib, S, new Uint8Array(fs.readFileSync(job.file))), comparable(lib, S, decryptMain(main, key))]);
        if (a !== b) res.errors.push('the snapshot does not compare equal to ' + job.file);
      }
    } else {
      res.errors.push('unknown job kind ' + job.kind);
    }
  } catch (e) {
    res.errors.push(e.message);
  }
  res.ok = res.errors.length === 0 && res.unknown.length === 0;
  return res;
}

async function main() {
  if (process.argv.length !== 3) {
    console.error('usage: node check.mjs JOBS.json');
    process.exit(2);
  }
  let lib;
  try { lib = await load(); } catch (e) {
    console.error(`cannot load @signalapp/libsignal-client (run npm ci in ${here}): ${e.message}`);
    process.exit(2);
  }
  const S = makeStreams(lib.io);
  const jobs = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  for (const job of jobs) process.stdout.write(JSON.stringify(await run(lib, S, job)) + '\n');
}

main().catch((e) => { console.error(e.stack || e.message); process.exit(2); });
