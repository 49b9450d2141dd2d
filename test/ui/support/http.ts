/**
 * JSON over HTTP with node:http: the jsdom test environment has no `fetch`, and the bridge to the local
 * cloud must not depend on the DOM's networking.
 */
import http from 'node:http';

export interface HttpAnswer {
  status: number;
  body: unknown;
}

export function request(url: string, method: 'GET' | 'POST', body?: unknown): Promise<HttpAnswer> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method,
        headers: payload
          ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
          : {},
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          try {
            resolve({
              status: res.statusCode ?? 0,
              body: text ? (JSON.parse(text) as unknown) : {},
            });
          } catch {
            reject(new Error(`${method} ${url} → ${res.statusCode ?? 0}: not JSON: ${text}`));
          }
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

/** POST that must succeed (2xx), answering the parsed body. */
export async function postOk<T>(url: string, body: unknown): Promise<T> {
  const answer = await request(url, 'POST', body);
  if (answer.status < 200 || answer.status >= 300) {
    throw new Error(`POST ${url} → ${answer.status}: ${JSON.stringify(answer.body)}`);
  }
  return answer.body as T;
}
