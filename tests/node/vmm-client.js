// SPDX-License-Identifier: LGPL-2.1-or-later
//
// An independent client of the vmm wire protocol: protobufjs (not
// protobuf-c) loads the schemas/*.proto files, and the framing is written
// here from the layout documented in schemas/vmm-rpc.proto. Used by
// tests/node/run.sh against vmm-proxyd and vmm-qemud.
//
//   node vmm-client.js --socket PATH [--define FILE.xml] [--expect NAME]
//                      [--whoami] [--unknown-program]
//
// Lists the domains (after defining FILE.xml, if given) and prints one name
// per line; --expect fails unless NAME is listed. --whoami asks the
// vmm-echo-test daemon who is calling and fails unless it is this process.
// --unknown-program checks that an unknown program gets an error reply.
'use strict';

const net = require('net');
const path = require('path');
const protobuf = require('protobufjs');

const HEADER = 28;
const PROGRAM = { control: 0x564d4d01, domain: 0x564d4d02, test: 0x564d4dfe };
const TYPE = { call: 0, reply: 1, event: 2, stream: 3 };
const STATUS = { ok: 0, error: 1, continue: 2 };
// Procedure numbers (libvmm/rpc/programs.h).
const DOMAIN = { listAll: 4, defineXml: 5 };
const TEST = { whoami: 5 };

function parseArgs(argv) {
  const opts = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--socket' || a === '--define' || a === '--expect') opts[a.slice(2)] = argv[++i];
    else if (a === '--whoami') opts.whoami = true;
    else if (a === '--unknown-program') opts.unknownProgram = true;
    else throw new Error(`unknown argument "${a}" (expected --socket, --define, --expect, ` +
                         '--whoami or --unknown-program)');
  }
  if (!opts.socket) throw new Error('--socket PATH is required');
  return opts;
}

class Connection {
  constructor(socketPath, root) {
    this.root = root;
    this.serial = 1;
    this.waiting = new Map();
    this.buf = Buffer.alloc(0);
    this.sock = net.createConnection(socketPath);
    this.ready = new Promise((resolve, reject) => {
      this.sock.once('connect', resolve);
      this.sock.once('error', reject);
    });
    this.sock.on('data', (d) => this.onData(d));
    this.sock.on('close', () => {
      for (const w of this.waiting.values()) w.reject(new Error('connection closed'));
      this.waiting.clear();
    });
  }

  onData(data) {
    this.buf = Buffer.concat([this.buf, data]);
    while (this.buf.length >= HEADER) {
      const length = this.buf.readUInt32BE(0);
      if (length < HEADER) throw new Error(`bad frame length ${length}`);
      if (this.buf.length < length) break;
      const h = {
        program: this.buf.readUInt32BE(4), version: this.buf.readUInt32BE(8),
        procedure: this.buf.readUInt32BE(12), type: this.buf.readUInt32BE(16),
        serial: this.buf.readUInt32BE(20), status: this.buf.readUInt32BE(24),
      };
      const body = this.buf.subarray(HEADER, length);
      this.buf = this.buf.subarray(length);
      const w = h.type === TYPE.reply ? this.waiting.get(h.serial) : undefined;
      if (!w) continue; // events and keepalives are not this script's business
      this.waiting.delete(h.serial);
      if (h.status === STATUS.error) {
        const e = this.root.lookupType('vmm.RpcError').decode(body);
        const err = new Error(e.message);
        err.code = e.code;
        err.kind = e.kind;
        w.reject(err);
      } else {
        w.resolve(w.replyType ? w.replyType.decode(body) : null);
      }
    }
  }

  call(program, procedure, requestType, request, replyType) {
    const type = this.root.lookupType(requestType);
    const problem = type.verify(request);
    if (problem) throw new Error(`${requestType}: ${problem}`);
    const body = type.encode(type.create(request)).finish();
    const serial = this.serial++;
    const head = Buffer.alloc(HEADER);
    head.writeUInt32BE(HEADER + body.length, 0);
    head.writeUInt32BE(program, 4);
    head.writeUInt32BE(1, 8);
    head.writeUInt32BE(procedure, 12);
    head.writeUInt32BE(TYPE.call, 16);
    head.writeUInt32BE(serial, 20);
    head.writeUInt32BE(STATUS.ok, 24);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(serial);
        reject(new Error(`call ${procedure} of program 0x${program.toString(16)} timed out`));
      }, 10000);
      this.waiting.set(serial, {
        replyType: replyType ? this.root.lookupType(replyType) : null,
        resolve: (v) => { clearTimeout(timer); resolve(v); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      });
      this.sock.write(Buffer.concat([head, Buffer.from(body)]));
    });
  }

  close() { this.sock.end(); }
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const schemas = path.resolve(__dirname, '../../schemas');
  const root = new protobuf.Root();
  root.resolvePath = (origin, target) => path.resolve(schemas, path.basename(target));
  await root.load(['vmm-rpc.proto', 'vmm-domain.proto', 'vmm-test.proto'], { keepCase: true });

  const conn = new Connection(opts.socket, root);
  await conn.ready;
  if (opts.unknownProgram) {
    try {
      await conn.call(0x12345678, 1, 'vmm.RpcEmpty', {}, 'vmm.RpcEmpty');
      throw new Error('an unknown program was answered without an error');
    } catch (e) {
      if (!/unknown program 0x12345678/.test(e.message)) throw e;
      console.log(`unknown program refused: ${e.message}`);
    }
  }
  if (opts.whoami) {
    const who = await conn.call(PROGRAM.test, TEST.whoami, 'vmm.RpcEmpty', {},
                                'vmm.TestWhoamiReply');
    if (who.pid !== process.pid || who.uid !== process.getuid())
      throw new Error(`the daemon sees pid ${who.pid} uid ${who.uid}, ` +
                      `expected pid ${process.pid} uid ${process.getuid()}`);
    console.log(`whoami: pid ${who.pid} uid ${who.uid} read-only ${who.read_only}`);
  }
  if (opts.define) {
    const xml = require('fs').readFileSync(opts.define, 'utf8');
    const r = await conn.call(PROGRAM.domain, DOMAIN.defineXml, 'vmm.DomainDefineXmlRequest',
                              { xml }, 'vmm.DomainDefineXmlReply');
    console.log(`defined: ${r.dom.name}`);
  }
  const list = await conn.call(PROGRAM.domain, DOMAIN.listAll, 'vmm.DomainListAllRequest', {},
                               'vmm.DomainListAllReply');
  const names = list.doms.map((d) => d.name);
  for (const d of list.doms)
    console.log(`domain: ${d.name} ${Buffer.from(d.uuid).toString('hex')} id ${d.id}`);
  conn.close();
  if (opts.expect && !names.includes(opts.expect))
    throw new Error(`domain "${opts.expect}" is not listed (got: ${names.join(', ') || 'none'})`);
}

main().catch((e) => {
  console.error(`vmm-client.js: ${e.message}`);
  process.exit(1);
});
