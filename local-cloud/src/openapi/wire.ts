/**
 * The protobuf messages wx-server-sdk exchanges for `wx.openApi` (its bundled `src/protobuf/openapi.js`):
 * the request `CommApiData { apiType = 1, openapiData = 2 { pairs = 1 { key = 1, value = 2 } }, appid = 6 }`
 * and the answer `CommOpenApiResp { respData = 1, contentType = 2, errorCode = 3 }`. Only these few fields
 * matter here, so a small codec for the wire format replaces a dependency on the SDK's generated code.
 */

export const API_TYPE_OPEN_API = 0;

export interface OpenApiRequest {
  apiType: number;
  appid: string;
  /** The API's parameters: each value is the JSON text the SDK wrote (`JSONBigInt.stringify`). */
  pairs: { key: string; value: Buffer }[];
}

class Reader {
  pos = 0;
  constructor(private readonly buf: Buffer) {}

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  varint(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const byte = this.buf[this.pos++];
      if (byte === undefined) throw new Error('truncated varint');
      // Multiplication instead of `<<` keeps values above 2^31 exact (lengths never get there, ints might).
      result += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7;
      if (shift > 63) throw new Error('varint too long');
    }
  }

  bytes(): Buffer {
    const len = this.varint();
    if (this.pos + len > this.buf.length) throw new Error('truncated field');
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }

  skip(wireType: number): void {
    if (wireType === 0) this.varint();
    else if (wireType === 1) this.pos += 8;
    else if (wireType === 2) this.bytes();
    else if (wireType === 5) this.pos += 4;
    else throw new Error(`unsupported wire type ${wireType}`);
  }

  /** Iterates `(field, wireType)` tags. */
  *fields(): Generator<[number, number]> {
    while (!this.done) {
      const tag = this.varint();
      yield [Math.floor(tag / 8), tag & 7];
    }
  }
}

function decodePair(buf: Buffer): { key: string; value: Buffer } {
  const r = new Reader(buf);
  let key = '';
  let value = Buffer.alloc(0);
  for (const [field, wire] of r.fields()) {
    if (field === 1 && wire === 2) key = r.bytes().toString('utf8');
    else if (field === 2 && wire === 2) value = Buffer.from(r.bytes());
    else r.skip(wire);
  }
  return { key, value };
}

/** Decodes `CommApiData`; throws on malformed input. */
export function decodeOpenApiRequest(buf: Buffer): OpenApiRequest {
  const r = new Reader(buf);
  const req: OpenApiRequest = { apiType: 0, appid: '', pairs: [] };
  for (const [field, wire] of r.fields()) {
    if (field === 1 && wire === 0) {
      req.apiType = r.varint();
    } else if (field === 2 && wire === 2) {
      const inner = new Reader(r.bytes());
      for (const [f, w] of inner.fields()) {
        if (f === 1 && w === 2) req.pairs.push(decodePair(inner.bytes()));
        else inner.skip(w);
      }
    } else if (field === 6 && wire === 2) {
      req.appid = r.bytes().toString('utf8');
    } else {
      r.skip(wire);
    }
  }
  return req;
}

function varint(value: number): Buffer {
  const out: number[] = [];
  // Negative int32 values are written as 10-byte two's complement varints, as protobuf does.
  let v = value < 0 ? BigInt.asUintN(64, BigInt(value)) : BigInt(value);
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) byte |= 0x80;
    out.push(byte);
  } while (v !== 0n);
  return Buffer.from(out);
}

function lengthDelimited(field: number, payload: Buffer): Buffer {
  return Buffer.concat([varint(field * 8 + 2), varint(payload.length), payload]);
}

/** Encodes `CommOpenApiResp`. */
export function encodeOpenApiResponse(resp: {
  respData?: Buffer;
  contentType?: string;
  errorCode?: number;
}): Buffer {
  const parts: Buffer[] = [];
  if (resp.respData) parts.push(lengthDelimited(1, resp.respData));
  if (resp.contentType) parts.push(lengthDelimited(2, Buffer.from(resp.contentType, 'utf8')));
  if (resp.errorCode) parts.push(varint(3 * 8), varint(resp.errorCode));
  return Buffer.concat(parts);
}
