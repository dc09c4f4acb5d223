// One HTTP or HTTPS request, answered whole: status, headers and body as
// text. Over HTTPS, `ca` is the test certificate authority to trust and
// `servername` the name to ask for (nginx picks its certificate by it).
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface RequestOptions {
  ca?: Buffer;
  servername?: string;
  method?: string;
  headers?: Record<string, string>;
  body?: Uint8Array | string;
}

export function httpAnswer(url: string, options: RequestOptions = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const requester = url.startsWith('https:') ? httpsRequest : httpRequest;
    const tls = options.ca ? { ca: options.ca, ...(options.servername ? { servername: options.servername } : {}) } : {};
    const request = requester(url, { method: options.method ?? 'GET', headers: options.headers, ...tls, agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    request.on('error', reject);
    request.end(options.body);
  });
}
